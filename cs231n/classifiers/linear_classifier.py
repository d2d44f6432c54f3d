"""Linear classifiers trained by SGD (being written: issue 4)."""


class LinearClassifier:
    pass


class LinearSVM(LinearClassifier):
    pass


class Softmax(LinearClassifier):
    pass
