"""Linear classifiers scores = X W trained by minibatch stochastic gradient descent.

LinearClassifier holds the training loop and prediction; a subclass only says which loss to minimise:
LinearSVM the multiclass hinge loss, Softmax the cross-entropy loss.
"""

import numpy as np

from cs231n.classifiers.linear_svm import svm_loss_vectorized
from cs231n.classifiers.softmax import softmax_loss_vectorized


def _check_X(X, name="X"):
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D numpy array (N, D), one flattened example per row; got "
                         f"{type(X).__name__} of shape {np.shape(X)}. Use X.reshape(len(X), -1).")


class LinearClassifier:
    """Base class: subclasses implement loss(X_batch, y_batch, reg) -> (loss, dW).

    Attributes:
    - W: (D, C) weights, None until the first call to train.
    """

    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        """Minimise the loss by SGD on minibatches drawn with replacement.

        Inputs:
        - X: (N, D) training examples (append a column of ones first if you want a bias).
        - y: (N,) integer labels in 0..C-1; C = max(y) + 1 on the first call.
        - learning_rate: step size (float).
        - reg: regularisation strength (float).
        - num_iters: number of SGD steps.
        - batch_size: examples per step.
        - verbose: print the loss every 100 steps.

        Calling train again continues from the current W (for example with a smaller learning rate).

        Returns loss_history, a list of num_iters floats: the minibatch loss before each step.
        Raises FloatingPointError when the loss stops being finite (the learning rate is too large).
        """
        _check_X(X)
        y = np.asarray(y)
        if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer) or (y.size and y.min() < 0):
            raise ValueError(f"y must be ({X.shape[0]},) non-negative integer labels, one per row of X; got "
                             f"shape {y.shape} and dtype {y.dtype}")
        if num_iters < 0 or batch_size < 1:
            raise ValueError(f"need num_iters >= 0 and batch_size >= 1, got {num_iters} and {batch_size}")
        num_train, dim = X.shape
        num_classes = int(y.max()) + 1
        if self.W is None:
            # Small random weights: every class starts with (nearly) the same score.
            self.W = 0.001 * np.random.randn(dim, num_classes)
        elif self.W.shape[0] != dim or num_classes > self.W.shape[1]:
            raise ValueError(f"this classifier was trained with W of shape {self.W.shape}; it cannot continue on "
                             f"X with {dim} columns and labels up to {num_classes - 1}. Use a new classifier.")

        loss_history = []
        for it in range(num_iters):
            # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            batch = np.random.choice(num_train, batch_size, replace=True)
            X_batch, y_batch = X[batch], y[batch]
            # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            # A diverging run overflows; report it once, clearly, instead of a stream of warnings.
            with np.errstate(over="ignore", invalid="ignore"):
                loss, grad = self.loss(X_batch, y_batch, reg)
            if not np.isfinite(loss):
                raise FloatingPointError(f"the loss became {loss} at iteration {it} with learning_rate="
                                         f"{learning_rate} and reg={reg}: training diverged. Try a smaller "
                                         f"learning rate (or a smaller reg).")
            loss_history.append(float(loss))

            # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            self.W -= learning_rate * grad
            # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            if verbose and it % 100 == 0:
                print(f"iteration {it} / {num_iters}: loss {loss:.6f}")
        return loss_history

    def predict(self, X):
        """Predict labels with the trained weights.

        Inputs: X (N, D) examples.
        Returns y_pred (N,) integer array, the class with the highest score for each row.
        """
        if self.W is None:
            raise ValueError("this classifier has no weights yet; call train(X, y) before predict(X)")
        _check_X(X)
        if X.shape[1] != self.W.shape[0]:
            raise ValueError(f"X has {X.shape[1]} columns but the classifier was trained on {self.W.shape[0]}; "
                             f"preprocess X the same way as the training data (mean, bias column)")
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        y_pred = np.argmax(X.dot(self.W), axis=1)
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return y_pred

    def loss(self, X_batch, y_batch, reg):
        """Loss and gradient on a minibatch.

        Inputs: X_batch (N, D), y_batch (N,) labels, reg float.
        Returns (loss, dW): loss a float, dW of self.W's shape (D, C).
        """
        raise NotImplementedError("LinearClassifier is abstract: use LinearSVM or Softmax, or override loss()")


class LinearSVM(LinearClassifier):
    """Linear classifier trained with the multiclass hinge loss (margin 1)."""

    def loss(self, X_batch, y_batch, reg):
        """Hinge loss and gradient; see LinearClassifier.loss for shapes."""
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)


class Softmax(LinearClassifier):
    """Linear classifier trained with the softmax cross-entropy loss."""

    def loss(self, X_batch, y_batch, reg):
        """Softmax loss and gradient; see LinearClassifier.loss for shapes."""
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)
