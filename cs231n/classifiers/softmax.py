"""Softmax (cross-entropy) loss and its gradient, written twice: with loops and vectorised.

For one example with scores s = x W (a row of C numbers) and true class y, the class probabilities are
p_j = exp(s_j) / sum_k exp(s_k) and the loss is L = -log p_y, averaged over the N examples, plus
reg * sum(W ** 2) (no factor 1/2). Both versions are numerically stable: they subtract each row's largest score
(which leaves p unchanged) and work with log-probabilities, so scores of any size give a finite loss.
"""

import numpy as np

from cs231n import validation as check


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and gradient with an explicit loop over examples.

    Inputs:
    - W: (D, C) weights.
    - X: (N, D) minibatch, one example per row.
    - y: (N,) labels, y[i] in 0..C-1 is the class of X[i].
    - reg: regularisation strength (float).

    Returns (loss, dW): loss a float, dW the (D, C) gradient of the loss with respect to W.
    """
    W, X, y, reg = check.loss_inputs(W, X, y, reg)
    loss = 0.0
    dW = np.zeros(W.shape)
    # -- TODO: softmax loss and gradient, with loops -----------------------------------------------------------
    # Compute loss (a float) and dW (D, C) looping over the N examples. Example i has scores s = X[i] @ W, shape
    # (C,), probabilities p = exp(s) / sum(exp(s)) and loss -log p[y[i]]; its gradient adds (p_j - [j == y[i]])
    # * X[i] to column j of dW. Average over the N examples, then add reg * sum(W * W) (gradient 2 * reg * W).
    # Hint: subtract the largest score from s first (np.max, not np.argmax): p stays the same and exp() can no
    # longer overflow.
    # ---------------------------------------------------------------------------------------------------------
    # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    num_train, num_classes = X.shape[0], W.shape[1]
    for i in range(num_train):
        scores = X[i].dot(W)
        # After the shift the largest score is 0: exp never overflows and the sum is at least 1.
        shifted = scores - np.max(scores)
        log_sum = np.log(np.sum(np.exp(shifted)))
        loss += log_sum - shifted[y[i]]
        for j in range(num_classes):
            p_j = np.exp(shifted[j] - log_sum)
            dW[:, j] += (p_j - (j == y[i])) * X[i]
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    return loss, dW


def softmax_loss_vectorized(W, X, y, reg):
    """Softmax loss and gradient without Python loops; same inputs and outputs as softmax_loss_naive.

    Inputs: W (D, C), X (N, D), y (N,) labels in 0..C-1, reg float.
    Returns (loss, dW): loss a float, dW of shape (D, C).
    """
    W, X, y, reg = check.loss_inputs(W, X, y, reg)
    loss = 0.0
    dW = np.zeros(W.shape)
    # -- TODO: softmax loss and gradient, vectorised -----------------------------------------------------------
    # Compute the same loss (a float) and dW (D, C) as softmax_loss_naive, without Python loops: scores X @ W
    # (N, C), shifted row by row, log-probabilities (N, C), and the gradient with respect to the scores,
    # dscores = p - one_hot(y), shape (N, C), which X.T @ dscores / N turns into dW.
    # Hint: keepdims=True keeps a row's max and sum as an (N, 1) column that broadcasts across the C classes.
    # ---------------------------------------------------------------------------------------------------------
    # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X.dot(W)
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, y].sum() / num_train + reg * np.sum(W * W)

    # dL_i/ds = p - onehot(y_i)
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    return loss, dW
