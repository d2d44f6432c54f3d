"""Linear classifiers scores = X W trained by minibatch stochastic gradient descent.

LinearClassifier holds the training loop and prediction; a subclass only says which loss to minimise:
LinearSVM the multiclass hinge loss, Softmax the cross-entropy loss.
"""

import numpy as np

from cs231n import validation as check
from cs231n.classifiers.linear_svm import svm_loss_vectorized
from cs231n.classifiers.softmax import softmax_loss_vectorized


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
        - learning_rate: step size (float > 0).
        - reg: regularisation strength (float >= 0).
        - num_iters: number of SGD steps.
        - batch_size: examples per step.
        - verbose: print the loss every 100 steps.

        Calling train again continues from the current W (for example with a smaller learning rate). W is created
        on the first call, with X's float dtype (np.float32 data trains about twice as fast as float64).

        Returns loss_history, a list of num_iters floats: the minibatch loss of each step.
        Raises FloatingPointError when the loss stops being finite (the learning rate is too large).
        """
        X = check.rows(X)
        y = check.labels(y, X.shape[0])
        learning_rate = check.number(learning_rate, "learning_rate", low=0.0, strict=True)
        reg = check.number(reg, "reg", low=0.0)
        num_iters = check.integer(num_iters, "num_iters")
        batch_size = check.integer(batch_size, "batch_size", low=1)
        num_train, dim = X.shape
        num_classes = int(y.max()) + 1
        if self.W is None:
            # Small random weights: every class starts with (nearly) the same score. W takes the data's float type:
            # float32 data then trains in float32, without converting each minibatch to float64 twice a step.
            self.W = (0.001 * np.random.randn(dim, num_classes)).astype(X.dtype)
        elif self.W.shape[0] != dim or num_classes > self.W.shape[1]:
            raise ValueError(f"this classifier was trained with W of shape {self.W.shape}; it cannot continue on "
                             f"X with {dim} columns and labels up to {num_classes - 1}. Use a new classifier.")

        loss_history = []
        for it in range(num_iters):
            loss = None
            # A diverging run overflows on its way to inf; step_loss below reports it once, clearly.
            with np.errstate(over="ignore", invalid="ignore"):
                # -- TODO: one step of minibatch SGD ------------------------------------------------------------
                # Draw batch_size rows of X at random, with replacement, into X_batch (batch_size, D) and their
                # labels into y_batch (batch_size,). Evaluate loss and grad = self.loss(X_batch, y_batch, reg);
                # grad has the shape of self.W, (D, C). Then move self.W one step of learning_rate downhill.
                # Hint: np.random.choice(num_train, batch_size) draws the row indices.
                # -----------------------------------------------------------------------------------------------
                # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
                batch = np.random.choice(num_train, batch_size, replace=True)
                X_batch, y_batch = X[batch], y[batch]
                loss, grad = self.loss(X_batch, y_batch, reg)
                self.W -= learning_rate * grad
                # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            loss_history.append(check.step_loss(loss, it, learning_rate, reg))
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
        X = check.rows(X, dim=self.W.shape[0], allow_empty=True,
                       dim_fix="Preprocess X as the training data was (mean image, bias column).")
        y_pred = np.zeros(X.shape[0], dtype=np.int64)
        # -- TODO: predict -------------------------------------------------------------------------------------
        # Fill y_pred (N,) with the index of the highest-scoring class of each row of X (N, D); the scores are
        # X @ self.W, shape (N, C).
        # Hint: mind the axis: one prediction per row, so take the maximum across the C columns.
        # -----------------------------------------------------------------------------------------------------
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
