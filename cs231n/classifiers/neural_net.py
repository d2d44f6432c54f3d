"""Two-layer fully connected network (being written: issue 5)."""


class TwoLayerNet:
    pass
