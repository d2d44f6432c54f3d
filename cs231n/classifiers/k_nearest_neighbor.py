"""k-nearest-neighbour classifier (being written: issue 3)."""


class KNearestNeighbor:
    pass
