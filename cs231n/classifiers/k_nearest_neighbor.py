"""k-nearest-neighbour classifier with L2 (Euclidean) distance.

Training only memorises the data; all work happens at prediction time: distances from every test row to every
training row, then a majority vote among the k closest training labels.
"""

import numbers

import numpy as np


class KNearestNeighbor:
    """A kNN classifier with L2 distance.

    After train(X, y): self.X_train is (num_train, D) and self.y_train is (num_train,) integer labels 0..C-1.
    """

    def __init__(self):
        self.X_train = None
        self.y_train = None

    def train(self, X, y):
        """Memorise the training data.

        Inputs:
        - X: (num_train, D) array, one flattened example per row.
        - y: (num_train,) array of integer labels 0..C-1; y[i] is the label of X[i].
        """
        X = _as_float_rows(X, "X")
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ValueError(f"y must be a 1-D array with one label per row of X, i.e. shape ({X.shape[0]},); "
                             f"got shape {y.shape}")
        if X.shape[0] == 0:
            raise ValueError("train() needs at least one training example; got X with 0 rows")
        if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
            raise ValueError(f"y must hold non-negative integer class labels (0..C-1); got dtype {y.dtype} "
                             f"with smallest value {y.min()}")
        self.X_train = X
        self.y_train = y

    def predict(self, X, k=1, num_loops=0):
        """Predict a label for each row of X.

        Inputs:
        - X: (num_test, D) array with the same D as the training data.
        - k: number of nearest neighbours that vote, 1 <= k <= num_train.
        - num_loops: which distance implementation to use: 0 (vectorised), 1 or 2 (Python loops, slow).

        Returns y_pred: (num_test,) integer array of predicted labels.
        """
        self._check_trained()
        self._check_k(k)
        if num_loops not in (0, 1, 2) or isinstance(num_loops, bool):
            raise ValueError(f"num_loops must be 0, 1 or 2 (0 is the fast vectorised version); got {num_loops!r}")
        compute = {0: self.compute_distances_no_loops,
                   1: self.compute_distances_one_loop,
                   2: self.compute_distances_two_loops}[num_loops]
        return self.predict_labels(compute(X), k=k)

    def compute_distances_two_loops(self, X):
        """L2 distances with a Python loop over test rows and another over training rows.

        Input: X (num_test, D). Returns dists (num_test, num_train): dists[i, j] = ||X[i] - X_train[j]||_2.
        """
        X = self._check_X(X)
        num_test, num_train = X.shape[0], self.X_train.shape[0]
        dists = np.zeros((num_test, num_train))
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        for i in range(num_test):
            for j in range(num_train):
                diff = X[i] - self.X_train[j]
                dists[i, j] = np.sqrt(diff @ diff)
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return dists

    def compute_distances_one_loop(self, X):
        """L2 distances with one Python loop over test rows; each row is done against all training rows at once.

        Input: X (num_test, D). Returns dists (num_test, num_train).
        """
        X = self._check_X(X)
        num_test, num_train = X.shape[0], self.X_train.shape[0]
        dists = np.zeros((num_test, num_train))
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        for i in range(num_test):
            diff = self.X_train - X[i]  # X[i] broadcasts over the training rows: (num_train, D)
            # einsum sums the squares row by row without a second (num_train, D) temporary.
            dists[i] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return dists

    def compute_distances_no_loops(self, X):
        """L2 distances without Python loops, from ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2.

        Only (num_test, num_train)-sized arrays are created, never a (num_test, num_train, D) one.

        Input: X (num_test, D). Returns dists (num_test, num_train).
        """
        X = self._check_X(X)
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        test_sq = np.einsum("ij,ij->i", X, X)  # (num_test,)
        train_sq = np.einsum("ij,ij->i", self.X_train, self.X_train)  # (num_train,)
        sq_dists = test_sq[:, None] - 2.0 * (X @ self.X_train.T) + train_sq[None, :]
        # Rounding can leave a tiny negative number where the true value is (nearly) 0: clamp before the root.
        dists = np.sqrt(np.maximum(sq_dists, 0.0))
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return dists

    def predict_labels(self, dists, k=1):
        """Majority vote among the k nearest training points.

        Inputs:
        - dists: (num_test, num_train) array; dists[i, j] is the distance from test row i to training row j.
        - k: number of voters, 1 <= k <= num_train.

        Returns y_pred: (num_test,) integer array. A tied vote goes to the smaller label; among training points
        at exactly the same distance, the one with the lower index is taken first.
        """
        self._check_trained()
        self._check_k(k)
        dists = np.asarray(dists)
        num_train = self.X_train.shape[0]
        if dists.ndim != 2 or dists.shape[1] != num_train:
            raise ValueError(f"dists must have shape (num_test, {num_train}), one column per training example; "
                             f"got shape {dists.shape}")
        num_test = dists.shape[0]
        y_pred = np.zeros(num_test, dtype=self.y_train.dtype)
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        # A stable sort keeps equally distant points in index order, so the result never depends on the sort.
        nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]  # (num_test, k) training indices
        closest_y = self.y_train[nearest]  # (num_test, k) their labels
        for i in range(num_test):
            # argmax returns the first maximum, so a tied vote goes to the smaller label.
            y_pred[i] = np.argmax(np.bincount(closest_y[i]))
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return y_pred

    # ---- input checks (kept outside the student regions) ----

    def _check_trained(self):
        if self.X_train is None:
            raise RuntimeError("This KNearestNeighbor has no training data yet: call train(X_train, y_train) "
                               "before predict(), predict_labels() or compute_distances_*().")

    def _check_k(self, k):
        num_train = self.X_train.shape[0]
        if not isinstance(k, numbers.Integral) or isinstance(k, bool) or not 1 <= k <= num_train:
            raise ValueError(f"k must be an integer between 1 and num_train = {num_train} (the number of "
                             f"training examples); got k={k!r}")

    def _check_X(self, X):
        """Trained? X 2-D with the training feature count? Returns X as a float array."""
        self._check_trained()
        X = _as_float_rows(X, "X")
        D = self.X_train.shape[1]
        if X.shape[1] != D:
            raise ValueError(f"X has {X.shape[1]} features per row, but the classifier was trained on rows of "
                             f"{D} features; pass X of shape (num_test, {D}), flattened the same way as X_train")
        return X


def _as_float_rows(X, name):
    """Check that X is 2-D and return it as floats: integer pixels (uint8) would wrap around when subtracted."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (num_examples, D) with one flattened example per row; "
                         f"got shape {X.shape}. Flatten images with {name}.reshape({name}.shape[0], -1).")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    return X
