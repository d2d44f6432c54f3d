"""A two-layer fully connected network: affine -> ReLU -> affine -> softmax, trained by minibatch SGD.

With N examples of dimension D, a hidden layer of H units and C classes the network computes

    hidden = max(0, X W1 + b1)        (N, H)
    scores = hidden W2 + b2           (N, C)

and is trained on the softmax (cross-entropy) loss averaged over the batch, plus the L2 penalty
reg * (sum W1^2 + sum W2^2) on the weights (the biases are not penalised).
"""

import numpy as np

from cs231n import validation as check


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
        D = check.integer(input_size, "input_size", low=1)
        H = check.integer(hidden_size, "hidden_size", low=1)
        C = check.integer(output_size, "output_size", low=1)
        std = check.number(std, "std", low=0.0)
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise ValueError(f"dtype must be a floating-point type such as np.float32 or np.float64; got {dtype}.")
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
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        X = check.rows(X, dim=W1.shape[0], allow_empty=y is None, dim_fix="input_size is the network's D.")
        y = None if y is None else check.labels(y, X.shape[0], W2.shape[1])
        reg = check.number(reg, "reg", low=0.0)

        scores = None
        # -- TODO: forward pass --------------------------------------------------------------------------------
        # Compute scores (N, C), the class scores of every row of X (N, D): the hidden layer
        # hidden = ReLU(X W1 + b1) is (N, H), and scores = hidden W2 + b2. Keep hidden: backprop needs it.
        # Hint: ReLU is np.maximum(0, z) elementwise; the (H,) and (C,) biases broadcast over the N rows.
        # ------------------------------------------------------------------------------------------------------
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        hidden = np.maximum(0, X @ W1 + b1)  # (N, H)
        scores = hidden @ W2 + b2  # (N, C)
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        if y is None:
            return scores

        loss = None
        # -- TODO: loss ----------------------------------------------------------------------------------------
        # Compute loss (a float): the softmax loss -log p[i, y[i]] averaged over the N rows, plus the penalty
        # reg * (sum(W1 * W1) + sum(W2 * W2)); p (N, C) are the softmax probabilities of scores.
        # Hint: subtract each row's max (not its argmax) from scores before exp(), so large scores cannot
        # overflow; p is unchanged by the shift.
        # ------------------------------------------------------------------------------------------------------
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        num_train = X.shape[0]
        # Shifting each row by its max leaves the softmax unchanged and keeps exp() from overflowing; taking
        # log-probabilities as shifted - log(sum exp) never evaluates log(0), since that sum is at least 1.
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
        data_loss = -log_probs[np.arange(num_train), y].mean()
        loss = data_loss + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        grads = {}
        # -- TODO: backward pass -------------------------------------------------------------------------------
        # Fill grads with the gradient of loss for every parameter, each of its parameter's shape: grads["W1"]
        # (D, H), grads["b1"] (H,), grads["W2"] (H, C), grads["b2"] (C,). Go backwards: dscores (N, C) =
        # (p - one_hot(y)) / N, then through the second layer to dhidden (N, H), through the ReLU, through the
        # first layer. Add 2 * reg * W to each weight gradient.
        # Hint: the ReLU passes gradient only where its output hidden was positive; the biases' gradients are
        # sums over the rows of an already averaged dscores / dhidden, like the weights'.
        # ------------------------------------------------------------------------------------------------------
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
        X = check.rows(X, dim=D, dim_fix="input_size is the network's D.")
        y = check.labels(y, X.shape[0], C)
        X_val = check.rows(X_val, "X_val", dim=D, dim_fix="Preprocess X_val as X was.")
        y_val = check.labels(y_val, X_val.shape[0], C, "y_val")
        learning_rate = check.number(learning_rate, "learning_rate", low=0.0, strict=True)
        decay = check.number(learning_rate_decay, "learning_rate_decay", low=0.0, strict=True)
        reg = check.number(reg, "reg", low=0.0)
        num_iters = check.integer(num_iters, "num_iters", low=1)
        batch_size = check.integer(batch_size, "batch_size", low=1)

        num_train = X.shape[0]
        iterations_per_epoch = max(num_train // batch_size, 1)
        check_rows = np.random.choice(num_train, min(num_train, 1000), replace=False)
        loss_history, train_acc_history, val_acc_history = [], [], []

        for it in range(num_iters):
            loss = None
            # A diverging run overflows on its way to inf; step_loss below reports it once, clearly.
            with np.errstate(over="ignore", invalid="ignore"):
                # -- TODO: one step of minibatch SGD ------------------------------------------------------------
                # Draw batch_size rows of X at random, with replacement, into X_batch (batch_size, D) and their
                # labels into y_batch (batch_size,). Evaluate loss and grads = self.loss(X_batch, y=y_batch,
                # reg=reg); grads[name] has the shape of self.params[name]. Then move every parameter one step of
                # learning_rate against its gradient.
                # Hint: np.random.choice(num_train, batch_size) draws the row indices; update the arrays in
                # self.params in place (-=), so the dict keeps pointing at them.
                # -----------------------------------------------------------------------------------------------
                # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
                batch = np.random.choice(num_train, batch_size, replace=True)
                X_batch, y_batch = X[batch], y[batch]
                loss, grads = self.loss(X_batch, y=y_batch, reg=reg)
                for name, grad in grads.items():
                    self.params[name] -= learning_rate * grad
                # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            loss_history.append(check.step_loss(loss, it, learning_rate, reg))

            if verbose and (it % 100 == 0 or it == num_iters - 1):
                print(f"iteration {it} / {num_iters}: loss {loss:.6f}")

            if (it + 1) % iterations_per_epoch == 0:
                train_acc = float(np.mean(self.predict(X[check_rows]) == y[check_rows]))
                val_acc = float(np.mean(self.predict(X_val) == y_val))
                train_acc_history.append(train_acc)
                val_acc_history.append(val_acc)
                learning_rate *= decay
                if verbose:
                    print(f"epoch {len(val_acc_history)}: train accuracy {train_acc:.3f} (on {len(check_rows)} "
                          f"training rows), validation accuracy {val_acc:.3f}")

        return {
            "loss_history": loss_history,
            "train_acc_history": train_acc_history,
            "val_acc_history": val_acc_history,
        }

    def predict(self, X):
        """Predicted labels: y_pred (N,) int, the highest-scoring class of each row of X (N, D)."""
        X = check.rows(X, dim=self.params["W1"].shape[0], allow_empty=True, dim_fix="input_size is the network's D.")
        y_pred = np.zeros(X.shape[0], dtype=np.int64)
        # -- TODO: predict -------------------------------------------------------------------------------------
        # Fill y_pred (N,) with the highest-scoring class of every row of X (N, D); self.loss(X) returns the
        # scores (N, C).
        # Hint: no softmax needed: it never changes which class scores highest. Take the maximum across the C
        # columns, one prediction per row.
        # -----------------------------------------------------------------------------------------------------
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        y_pred = np.argmax(self.loss(X), axis=1)
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return y_pred
