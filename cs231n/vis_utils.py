"""Pictures the notebooks share: image grids, class examples, linear-classifier weights, search heat maps."""

from math import ceil, sqrt

import numpy as np

from cs231n.data_utils import CLASSES


def visualize_grid(Xs, ubound=255.0, padding=1):
    """Tile a stack of images into one image, each rescaled on its own to [0, ubound].

    Inputs:
    - Xs: (N, H, W, C) array of N images.
    - ubound: the largest value of the output (255.0 for uint8-like display, 1.0 for floats).
    - padding: pixels of blank (zero) border between neighbouring images.

    Returns a (G*H + (G-1)*padding, G*W + (G-1)*padding, C) float array, G = ceil(sqrt(N)), images filled in
    row-major order; unused cells stay zero.
    """
    Xs = np.asarray(Xs)
    if Xs.ndim != 4:
        raise ValueError(f"visualize_grid expects images of shape (N, H, W, C), got shape {Xs.shape}")
    N, H, W, C = Xs.shape
    grid_size = int(ceil(sqrt(N)))
    grid = np.zeros((grid_size * H + (grid_size - 1) * padding,
                     grid_size * W + (grid_size - 1) * padding, C))
    for i, img in enumerate(Xs):
        row, col = divmod(i, grid_size)
        low, high = img.min(), img.max()
        # Each image gets its own contrast stretch: weights and filters have no shared scale.
        scaled = ubound * (img - low) / (high - low) if high > low else np.zeros_like(img, dtype=float)
        y0, x0 = row * (H + padding), col * (W + padding)
        grid[y0:y0 + H, x0:x0 + W] = scaled
    return grid


def plot_class_examples(X, y, samples_per_class=7, classes=CLASSES, seed=0):
    """Show `samples_per_class` random images of each class, one column per class.

    Inputs: X (N, 32, 32, 3) images with values 0..255, y (N,) labels. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 4 or X.shape[1:] != (32, 32, 3):
        raise ValueError(f"X must hold images of shape (N, 32, 32, 3), got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"X and y must match: got {len(X)} images but {len(y)} labels")
    counts = np.bincount(y.astype(np.int64), minlength=len(classes))
    if np.any(counts[:len(classes)] < samples_per_class):
        c = int(np.argmin(counts[:len(classes)]))
        raise ValueError(f"samples_per_class={samples_per_class}, but there are only {counts[c]} images of class "
                         f"{c} ({classes[c]})")
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(samples_per_class, len(classes),
                             figsize=(1.1 * len(classes), 1.1 * samples_per_class), squeeze=False)
    for c, name in enumerate(classes):
        picks = rng.choice(np.flatnonzero(y == c), samples_per_class, replace=False)
        for row, idx in enumerate(picks):
            ax = axes[row, c]
            ax.imshow(X[idx].astype(np.uint8))
            ax.axis("off")
        axes[0, c].set_title(name)
    fig.tight_layout()
    return fig


def plot_linear_weights(W, classes=CLASSES, image_shape=(32, 32, 3)):
    """Show each column of a linear classifier's weights as an image (its "template").

    Inputs: W (D, C) with D = prod(image_shape), or D = prod(image_shape) + 1 when the last row is the bias
    (the bias trick; that row is dropped). Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    W = np.asarray(W)
    pixels = int(np.prod(image_shape))
    if W.shape[0] not in (pixels, pixels + 1):
        raise ValueError(f"W must have {pixels} or {pixels + 1} rows for images of shape {image_shape}, "
                         f"got W of shape {W.shape}")
    if W.shape[1] != len(classes):
        raise ValueError(f"W must have {len(classes)} columns (one per class), got W of shape {W.shape}")
    templates = W[:pixels].T.reshape(-1, *image_shape)
    low, high = templates.min(), templates.max()
    high = high if high > low else low + 1  # all-equal weights (e.g. zeros) show as black, not NaN
    fig, axes = plt.subplots(1, len(classes), figsize=(1.3 * len(classes), 1.8))
    for ax, template, name in zip(axes, templates, classes):
        # One scale for all classes, so brightness is comparable between templates.
        ax.imshow((255.0 * (template - low) / (high - low)).astype(np.uint8))
        ax.set_title(name)
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_search_heatmap(results, value_index=1, title="validation accuracy", xlabel="learning rate",
                        ylabel="regularisation strength"):
    """Heat map of a grid search.

    Inputs:
    - results: dict mapping (x_value, y_value) -> tuple of scores, e.g. (lr, reg) -> (train_acc, val_acc).
    - value_index: which score of the tuple to colour by.

    Returns the matplotlib Figure; each cell is annotated with its score, missing cells stay blank.
    """
    import matplotlib.pyplot as plt

    if not results:
        raise ValueError("plot_search_heatmap got no results: expected a dict {(x, y): (score, ...)}")
    xs = sorted({x for x, _ in results})
    ys = sorted({y for _, y in results})
    grid = np.full((len(ys), len(xs)), np.nan)
    for (x, y), scores in results.items():
        grid[ys.index(y), xs.index(x)] = scores[value_index]
    fig, ax = plt.subplots(figsize=(1.2 * len(xs) + 2.5, 0.7 * len(ys) + 1.5))
    image = ax.imshow(grid, cmap="viridis", origin="lower", aspect="auto")
    ax.set_xticks(range(len(xs)), [f"{x:.1e}" for x in xs], rotation=45, ha="right")
    ax.set_yticks(range(len(ys)), [f"{y:.1e}" for y in ys])
    for (row, col), value in np.ndenumerate(grid):
        if not np.isnan(value):
            ax.text(col, row, f"{value:.3f}", ha="center", va="center", fontsize=8,
                    color="black" if value > np.nanmean(grid) else "white")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    return fig
