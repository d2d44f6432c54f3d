"""Multiclass SVM (hinge) loss and its gradient, written twice: with loops and vectorised.

For one example with scores s = x W (a row of C numbers) and true class y, the loss is

    L = sum over j != y of max(0, s_j - s_y + delta),    delta = 1,

averaged over the N examples, plus reg * sum(W ** 2) (no factor 1/2).
"""

import numpy as np

MARGIN = 1.0


def check_loss_inputs(W, X, y):
    """Validate the arguments shared by every loss function of a linear classifier.

    Inputs:
    - W: (D, C) weights.
    - X: (N, D) examples, one per row.
    - y: (N,) integer labels in 0..C-1.

    Returns nothing; raises ValueError naming the mismatch and how to fix it.
    """
    if np.ndim(W) != 2 or np.ndim(X) != 2:
        raise ValueError(f"W must be 2-D (D, C) and X 2-D (N, D); got W of shape {np.shape(W)} and X of shape "
                         f"{np.shape(X)}. Flatten images with X.reshape(len(X), -1) first.")
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows; they must match (X is (N, D), "
                         f"W is (D, C)). Did you forget (or add twice) the bias column?")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), one label per row of X; got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}; convert with y.astype(int)")
    num_classes = W.shape[1]
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1} (W has {num_classes} columns); got labels from "
                         f"{y.min()} to {y.max()}")


def svm_loss_naive(W, X, y, reg):
    """Hinge loss and gradient with explicit loops over examples and classes.

    Inputs:
    - W: (D, C) weights.
    - X: (N, D) minibatch, one example per row.
    - y: (N,) labels, y[i] in 0..C-1 is the class of X[i].
    - reg: regularisation strength (float).

    Returns (loss, dW): loss a float, dW the (D, C) gradient of the loss with respect to W.
    """
    check_loss_inputs(W, X, y)
    # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros(W.shape)
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
    check_loss_inputs(W, X, y)
    # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X.dot(W)
    correct_scores = scores[rows, y][:, None]
    margins = np.maximum(0, scores - correct_scores + MARGIN)
    margins[rows, y] = 0  # the true class never counts against itself
    loss = margins.sum() / num_train + reg * np.sum(W * W)

    # dscores[i, j] is dL_i/ds_j: 1 for every violating class, minus their count for the true class.
    dscores = (margins > 0).astype(float)
    dscores[rows, y] = -dscores.sum(axis=1)
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    return loss, dW
