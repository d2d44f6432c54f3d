"""A two-layer fully connected network: affine -> ReLU -> affine -> softmax, trained by minibatch SGD.

With N examples of dimension D, a hidden layer of H units and C classes the network computes

    hidden = max(0, X W1 + b1)        (N, H)
    scores = hidden W2 + b2           (N, C)

and is trained on the softmax (cross-entropy) loss averaged over the batch, plus the L2 penalty
reg * (sum W1^2 + sum W2^2) on the weights (the biases are not penalised).
"""

from numbers import Integral, Real

import numpy as np


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _non_negative(value, name):
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _positive(value, name):
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def _check_X(X, input_size, name="X"):
    """X as a float array of shape (N, input_size), or a ValueError saying what arrived and how to fix it."""
    X = np.asarray(X)
    if X.ndim != 2:
        hint = " Flatten images first, e.g. X.reshape(len(X), -1)." if X.ndim > 2 else ""
        raise ValueError(f"{name} must be a 2-D array of shape (N, {input_size}), got shape {X.shape}.{hint}")
    if X.shape[1] != input_size:
        raise ValueError(f"{name} has {X.shape[1]} columns but the network was built for input_size={input_size}")
    if not np.issubdtype(X.dtype, np.number):
        raise ValueError(f"{name} must hold numbers, got dtype {X.dtype}")
    return X


def _check_y(y, num_rows, num_classes, name="y"):
    """y as an int array of shape (num_rows,) with labels in 0..num_classes-1, or a ValueError."""
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != num_rows:
        raise ValueError(f"{name} must be a 1-D array of {num_rows} labels (one per row of the data), "
                         f"got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    if num_rows and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"{name} must hold labels in 0..{num_classes - 1} (output_size={num_classes}), "
                         f"got labels from {y.min()} to {y.max()}")
    return y


class TwoLayerNet:
    """Affine -> ReLU -> affine -> softmax classifier.

    The learnable parameters live in the dict self.params:
    - W1: (D, H) first-layer weights      - b1: (H,) first-layer biases
    - W2: (H, C) second-layer weights     - b2: (C,) second-layer biases
    """

    def __init__(self, input_size, hidden_size, output_size, std=1e-4, dtype=np.float64):
        """Draw small random weights and zero biases.

        Inputs:
        - input_size: D, the dimension of an input row.
        - hidden_size: H, the number of hidden ReLU units.
        - output_size: C, the number of classes.
        - std: standard deviation of the Gaussian initial weights.
        - dtype: float dtype of the parameters. float64 (the default) is what gradient checks need; np.float32,
          with float32 data, halves memory and roughly doubles training speed.

        W1 is drawn before W2, both from the global numpy random state, so np.random.seed(...) before the
        call fixes the network (the same draws for either dtype).
        """
        D = _positive_int(input_size, "input_size")
        H = _positive_int(hidden_size, "hidden_size")
        C = _positive_int(output_size, "output_size")
        std = _non_negative(std, "std")
        dtype = np.dtype(dtype)
        if not np.issubdtype(dtype, np.floating):
            raise ValueError(f"dtype must be a floating-point type such as np.float32 or np.float64, got {dtype}")
        W1 = std * np.random.randn(D, H)
        W2 = std * np.random.randn(H, C)
        self.params = {
            "W1": W1.astype(dtype),
            "b1": np.zeros(H, dtype=dtype),
            "W2": W2.astype(dtype),
            "b2": np.zeros(C, dtype=dtype),
        }

    def loss(self, X, y=None, reg=0.0):
        """Class scores, or the loss and its gradients.

        Inputs:
        - X: (N, D) input rows.
        - y: (N,) integer labels in 0..C-1, or None.
        - reg: L2 regularisation strength (>= 0).

        Returns:
        - if y is None: scores, (N, C), scores[i, c] is the score of class c for row i;
        - otherwise (loss, grads): loss is a float, the mean softmax loss over the batch plus
          reg * (sum W1^2 + sum W2^2); grads maps each key of self.params to the gradient of the loss with
          respect to that parameter, with the parameter's shape.
        """
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        X = _check_X(X, W1.shape[0])
        num_train = X.shape[0]
        if y is not None:
            y = _check_y(y, num_train, W2.shape[1])
            if num_train == 0:
                raise ValueError("the loss of an empty batch is undefined: X has 0 rows")
        reg = _non_negative(reg, "reg")

        scores = None
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        hidden = np.maximum(0, X @ W1 + b1)  # (N, H)
        scores = hidden @ W2 + b2  # (N, C)
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        if y is None:
            return scores

        loss = None
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        # Shifting each row by its max leaves the softmax unchanged and keeps exp() from overflowing; taking
        # log-probabilities as shifted - log(sum exp) never evaluates log(0), since that sum is at least 1.
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
        data_loss = -log_probs[np.arange(num_train), y].mean()
        loss = data_loss + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        grads = {}
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        # d(mean loss)/d(scores) = (softmax - one_hot(y)) / N
        dscores = np.exp(log_probs)  # (N, C)
        dscores[np.arange(num_train), y] -= 1
        dscores /= num_train
        grads["W2"] = hidden.T @ dscores + 2 * reg * W2  # (H, C)
        grads["b2"] = dscores.sum(axis=0)  # (C,)
        dhidden = dscores @ W2.T  # (N, H)
        dhidden[hidden <= 0] = 0  # ReLU passes gradient only where the unit was active
        grads["W1"] = X.T @ dhidden + 2 * reg * W1  # (D, H)
        grads["b1"] = dhidden.sum(axis=0)  # (H,)
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        return float(loss), grads

    def train(self, X, y, X_val, y_val, learning_rate=1e-3, learning_rate_decay=0.95, reg=5e-6,
              num_iters=100, batch_size=200, verbose=False):
        """Minibatch stochastic gradient descent.

        Inputs:
        - X: (N, D) training rows; y: (N,) their labels in 0..C-1.
        - X_val: (N_val, D) validation rows; y_val: (N_val,) their labels.
        - learning_rate: the initial step size.
        - learning_rate_decay: factor the step size is multiplied by after every epoch.
        - reg: L2 regularisation strength.
        - num_iters: number of SGD steps.
        - batch_size: rows per step, drawn with replacement.
        - verbose: print the loss every 100 steps and the accuracies after every epoch.

        An epoch is max(N // batch_size, 1) steps. After each complete epoch the training accuracy (on a fixed
        random subset of at most 1000 training rows) and the validation accuracy are recorded, then the step
        size decays.

        Returns a dict with
        - loss_history: list of num_iters floats, the minibatch loss at each step;
        - train_acc_history, val_acc_history: lists with one float per complete epoch.

        Raises FloatingPointError when the loss becomes NaN or infinite (a diverging run).
        """
        D, C = self.params["W1"].shape[0], self.params["W2"].shape[1]
        X = _check_X(X, D)
        num_train = X.shape[0]
        if num_train == 0:
            raise ValueError("X has no rows to train on")
        y = _check_y(y, num_train, C)
        X_val = _check_X(X_val, D, "X_val")
        y_val = _check_y(y_val, X_val.shape[0], C, "y_val")
        if X_val.shape[0] == 0:
            raise ValueError("X_val has no rows: the validation accuracy needs at least one")
        learning_rate = _positive(learning_rate, "learning_rate")
        decay = _positive(learning_rate_decay, "learning_rate_decay")
        reg = _non_negative(reg, "reg")
        num_iters = _positive_int(num_iters, "num_iters")
        batch_size = _positive_int(batch_size, "batch_size")

        iterations_per_epoch = max(num_train // batch_size, 1)
        check_rows = np.random.choice(num_train, min(num_train, 1000), replace=False)
        loss_history, train_acc_history, val_acc_history = [], [], []

        for it in range(num_iters):
            X_batch, y_batch = None, None
            # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            batch = np.random.choice(num_train, batch_size, replace=True)
            X_batch, y_batch = X[batch], y[batch]
            # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            # A diverging run overflows on its way to inf/NaN; the check below reports it once, clearly.
            with np.errstate(over="ignore", invalid="ignore"):
                loss, grads = self.loss(X_batch, y=y_batch, reg=reg)
            if not np.isfinite(loss):
                raise FloatingPointError(
                    f"training diverged at iteration {it}: the loss became {loss}. The learning rate "
                    f"(now {learning_rate:g}) is too large for this data and reg={reg:g}; try one about 10 "
                    f"times smaller.")
            loss_history.append(loss)

            # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            for name, grad in grads.items():
                self.params[name] -= learning_rate * grad
            # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            if verbose and (it % 100 == 0 or it == num_iters - 1):
                print(f"iteration {it} / {num_iters}: loss {loss:.6f}")

            if (it + 1) % iterations_per_epoch == 0:
                train_acc = float(np.mean(self.predict(X[check_rows]) == y[check_rows]))
                val_acc = float(np.mean(self.predict(X_val) == y_val))
                train_acc_history.append(train_acc)
                val_acc_history.append(val_acc)
                learning_rate *= decay
                if verbose:
                    print(f"epoch {len(val_acc_history)}: train accuracy {train_acc:.3f}, "
                          f"validation accuracy {val_acc:.3f}")

        return {
            "loss_history": loss_history,
            "train_acc_history": train_acc_history,
            "val_acc_history": val_acc_history,
        }

    def predict(self, X):
        """Predicted labels: y_pred (N,) int, the highest-scoring class of each row of X (N, D)."""
        X = _check_X(X, self.params["W1"].shape[0])
        y_pred = None
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        y_pred = np.argmax(self.loss(X), axis=1)
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return y_pred
