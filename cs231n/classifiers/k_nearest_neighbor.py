"""k-nearest-neighbour classifier with L2 (Euclidean) distance.

Training only memorises the data; all work happens at prediction time: distances from every test row to every
training row, then a majority vote among the k closest training labels.
"""

import numpy as np

from cs231n import validation as check


class KNearestNeighbor:
    """A kNN classifier with L2 distance.

    After train(X, y): self.X_train is (num_train, D) floats and self.y_train is (num_train,) integer labels.
    """

    def __init__(self):
        self.X_train = None
        self.y_train = None

    def train(self, X, y):
        """Memorise the training data.

        Inputs:
        - X: (num_train, D) array, one flattened example per row.
        - y: (num_train,) integer labels 0..C-1; y[i] is the label of X[i].
        """
        X = check.rows(X)
        self.y_train = check.labels(y, X.shape[0])
        self.X_train = X

    def predict(self, X, k=1, num_loops=0):
        """Predict a label for each row of X.

        Inputs:
        - X: (num_test, D) array with the same D as the training data.
        - k: number of nearest neighbours that vote, 1 <= k <= num_train.
        - num_loops: which distance implementation to use: 0 (vectorised), 1 or 2 (Python loops, slow).

        Returns y_pred: (num_test,) integer array of predicted labels.
        """
        k = self._check_k(k)
        num_loops = check.integer(num_loops, "num_loops", 0, 2, fix="0 is the fast vectorised version.")
        compute = (self.compute_distances_no_loops, self.compute_distances_one_loop,
                   self.compute_distances_two_loops)[num_loops]
        return self.predict_labels(compute(X), k=k)

    def compute_distances_two_loops(self, X):
        """L2 distances with a Python loop over test rows and another over training rows.

        Input: X (num_test, D). Returns dists (num_test, num_train): dists[i, j] = ||X[i] - X_train[j]||_2.
        """
        X = self._test_rows(X)
        num_test, num_train = X.shape[0], self.X_train.shape[0]
        dists = np.zeros((num_test, num_train))
        # -- TODO: distances with two loops ------------------------------------------------------------------
        # Fill dists (num_test, num_train): dists[i, j] is the L2 distance between the test row X[i] and the
        # training row self.X_train[j], both of shape (D,). Loop over the test rows i and, inside, over the
        # training rows j.
        # Hint: work on whole rows (no third loop over the D pixels), and write the formula: no np.linalg.norm.
        # ----------------------------------------------------------------------------------------------------
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
        X = self._test_rows(X)
        num_test, num_train = X.shape[0], self.X_train.shape[0]
        dists = np.zeros((num_test, num_train))
        # -- TODO: distances with one loop -------------------------------------------------------------------
        # Fill dists (num_test, num_train) as before, now with a single loop over the test rows: row i of dists,
        # shape (num_train,), holds the distances from X[i] to every training row at once.
        # Hint: self.X_train - X[i] broadcasts the (D,) row over all (num_train, D) training rows; then reduce
        # along axis=1.
        # ----------------------------------------------------------------------------------------------------
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        for i in range(num_test):
            diff = self.X_train - X[i]  # (num_train, D)
            # einsum sums the squares row by row without a second (num_train, D) temporary.
            dists[i] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return dists

    def compute_distances_no_loops(self, X):
        """L2 distances without Python loops, from ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2.

        Only (num_test, num_train)-sized arrays are created, never a (num_test, num_train, D) one.

        Input: X (num_test, D). Returns dists (num_test, num_train).
        """
        X = self._test_rows(X)
        dists = np.zeros((X.shape[0], self.X_train.shape[0]))
        # -- TODO: distances without loops -------------------------------------------------------------------
        # Fill dists (num_test, num_train) with no Python loop and no (num_test, num_train, D) temporary.
        # Expand the square: ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2. All the products a.b at once are one
        # matrix product of X (num_test, D) and self.X_train.T (D, num_train); the squared norms are a column
        # (num_test, 1) and a row (1, num_train) that broadcasting adds to every entry.
        # Hint: rounding can leave a tiny negative number where the true value is 0; clamp at 0 before np.sqrt.
        # ----------------------------------------------------------------------------------------------------
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        test_sq = np.einsum("ij,ij->i", X, X)  # (num_test,)
        train_sq = np.einsum("ij,ij->i", self.X_train, self.X_train)  # (num_train,)
        sq_dists = test_sq[:, None] - 2.0 * (X @ self.X_train.T) + train_sq[None, :]
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
        k = self._check_k(k)
        dists = check.rows(dists, "dists", dim=self.X_train.shape[0], allow_empty=True,
                           dim_fix="dists needs one column per training example (num_test, num_train).")
        num_test = dists.shape[0]
        y_pred = np.zeros(num_test, dtype=self.y_train.dtype)
        # -- TODO: the vote ----------------------------------------------------------------------------------
        # Fill y_pred (num_test,): for each test row i, find the k training rows with the smallest dists[i],
        # look up their labels in self.y_train (num_train,), and store the most common of those k labels.
        # A tie between labels goes to the smaller label.
        # Hint: np.argsort sorts indices by distance; np.bincount counts labels, and np.argmax returns the
        # first (so the smallest) of equal counts.
        # ----------------------------------------------------------------------------------------------------
        # *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        # A stable sort keeps equally distant points in index order, so the result never depends on the sort.
        nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]  # (num_test, k) training indices
        closest_y = self.y_train[nearest]  # (num_test, k) their labels
        for i in range(num_test):
            y_pred[i] = np.argmax(np.bincount(closest_y[i]))
        # *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return y_pred

    # ---- input checks (kept outside the student regions) ----

    def _check_trained(self):
        if self.X_train is None:
            raise RuntimeError("This KNearestNeighbor has no training data yet: call train(X_train, y_train) "
                               "before predict(), predict_labels() or compute_distances_*().")

    def _check_k(self, k):
        self._check_trained()
        return check.integer(k, "k", 1, self.X_train.shape[0],
                             fix="k counts the voting neighbours, at most the number of training examples.")

    def _test_rows(self, X):
        """X as float rows with the training data's D; an empty X gives an empty result."""
        self._check_trained()
        D = self.X_train.shape[1]
        return check.rows(X, dim=D, allow_empty=True,
                          dim_fix=f"The classifier was trained on rows of {D} features; flatten X the same way.")
