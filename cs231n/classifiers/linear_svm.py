"""Multiclass SVM (hinge) loss and its gradient, written twice: with loops and vectorised.

For one example with scores s = x W (a row of C numbers) and true class y, the loss is

    L = sum over j != y of max(0, s_j - s_y + delta),    delta = 1,

averaged over the N examples, plus reg * sum(W ** 2) (no factor 1/2).
"""

import numpy as np

from cs231n import validation as check

MARGIN = 1.0  # delta: how far the true class's score must lead every other score


def svm_loss_naive(W, X, y, reg):
    """Hinge loss and gradient with explicit loops over examples and classes.

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
    # -- TODO: hinge loss and gradient, with loops -------------------------------------------------------------
    # Compute loss (a float) and dW (D, C), its gradient with respect to W, looping over the N examples and, for
    # each, over the C classes. Example i has scores X[i] @ W, shape (C,); every class j != y[i] adds its margin
    # max(0, s_j - s_y[i] + MARGIN). Average over the N examples, then add reg * sum(W * W).
    # Hint: a class j with a positive margin adds X[i] to column j of dW and subtracts X[i] from column y[i].
    # ---------------------------------------------------------------------------------------------------------
    # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    num_train, num_classes = X.shape[0], W.shape[1]
    for i in range(num_train):
        scores = X[i].dot(W)
        correct_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_score + MARGIN
            if margin > 0:
                loss += margin
                # An active margin pushes s_j up and s_y down by the same x_i.
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    return loss, dW


def svm_loss_vectorized(W, X, y, reg):
    """Hinge loss and gradient without Python loops; same inputs and outputs as svm_loss_naive.

    Inputs: W (D, C), X (N, D), y (N,) labels in 0..C-1, reg float.
    Returns (loss, dW): loss a float, dW of shape (D, C).
    """
    W, X, y, reg = check.loss_inputs(W, X, y, reg)
    loss = 0.0
    dW = np.zeros(W.shape)
    # -- TODO: hinge loss and gradient, vectorised -------------------------------------------------------------
    # Compute the same loss (a float) and dW (D, C) as svm_loss_naive, without Python loops. All scores at once
    # are X @ W, shape (N, C); the true class's score of each row is scores[np.arange(N), y], shape (N,).
    # Hint: build margins (N, C) and zero them at the true class; for the gradient, dscores (N, C) holds 1 for
    # every positive margin and minus the row's count of them at the true class, and dW = X.T @ dscores / N.
    # ---------------------------------------------------------------------------------------------------------
    # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X.dot(W)
    correct_scores = scores[rows, y][:, None]
    margins = np.maximum(0, scores - correct_scores + MARGIN)
    margins[rows, y] = 0  # the true class never counts against itself
    loss = margins.sum() / num_train + reg * np.sum(W * W)

    # dscores[i, j] is dL_i/ds_j: 1 for every violating class, minus their count for the true class.
    dscores = (margins > 0).astype(scores.dtype)
    dscores[rows, y] = -dscores.sum(axis=1)
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    return loss, dW
