"""Pictures the notebooks share: image grids, class examples, linear-classifier weights, search heat maps."""

from collections import namedtuple
from math import ceil, sqrt

import numpy as np

from cs231n.cifar10 import CLASSES, IMAGE_SHAPE


def show_jpeg(fig, dpi=72, quality=80):
    """Display a figure of photographs as a JPEG at screen resolution, then close it.

    Small photos hardly compress as PNG; as a JPEG they look the same on screen and take a fraction of the space,
    which keeps a saved notebook small. Inputs: fig, a matplotlib Figure; dpi; quality (1..95). Returns nothing (a
    returned value would be stored a second time as the cell's result).
    """
    from io import BytesIO

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    buffer = BytesIO()
    fig.savefig(buffer, format="jpeg", dpi=dpi, bbox_inches="tight", pil_kwargs={"quality": quality})
    plt.close(fig)
    display(Image(buffer.getvalue(), format="jpeg"))


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
    if X.ndim != 4 or X.shape[1:] != IMAGE_SHAPE:
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


def _templates(W, classes, image_shape):
    """The columns of W (bias row dropped) as images, scaled together to 0..255 uint8."""
    W = np.asarray(W)
    pixels = int(np.prod(image_shape))
    if W.ndim != 2 or W.shape[0] not in (pixels, pixels + 1):
        raise ValueError(f"W must have {pixels} or {pixels + 1} rows for images of shape {image_shape}, "
                         f"got W of shape {W.shape}")
    if W.shape[1] != len(classes):
        raise ValueError(f"W must have {len(classes)} columns (one per class), got W of shape {W.shape}")
    templates = W[:pixels].T.reshape(-1, *image_shape)
    low, high = templates.min(), templates.max()
    high = high if high > low else low + 1  # all-equal weights (e.g. zeros) show as black, not NaN
    # One scale for all classes of a model, so brightness is comparable between its templates.
    return (255.0 * (templates - low) / (high - low)).astype(np.uint8)


def plot_linear_weights(W, classes=CLASSES, image_shape=IMAGE_SHAPE):
    """Show each column of a linear classifier's weights as an image (its "template").

    Inputs:
    - W: (D, C) weights with D = prod(image_shape), or D = prod(image_shape) + 1 when the last row is the bias
      (the bias trick; that row is dropped). Or a dict {label: W} to compare several models: one row of
      templates per model, headed by its label.
    - classes: the C class names, shown above the templates.

    Each model's templates share one colour scale (so brightness compares between its classes); different
    models are scaled separately. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    models = dict(W) if isinstance(W, dict) else {None: W}
    if not models:
        raise ValueError("plot_linear_weights got an empty dict: expected {label: W, ...}")
    rows = [(label, _templates(weights, classes, image_shape)) for label, weights in models.items()]
    if len(rows) == 1 and rows[0][0] is None:
        fig, axes = plt.subplots(1, len(classes), figsize=(1.3 * len(classes), 1.8))
        panels = [(fig, axes, rows[0][1])]
    else:
        fig = plt.figure(figsize=(1.1 * len(classes), 1.55 * len(rows)), layout="constrained")
        subfigs = np.atleast_1d(fig.subfigures(len(rows), 1))
        panels = []
        for subfig, (label, templates) in zip(subfigs, rows):
            subfig.suptitle(label, x=0.01, ha="left", fontsize=10)
            panels.append((subfig, subfig.subplots(1, len(classes)), templates))
    for _, axes, templates in panels:
        for ax, template, name in zip(axes, templates, classes):
            ax.imshow(template)
            ax.set_title(name, fontsize=9)
            ax.axis("off")
    if len(panels) == 1 and rows[0][0] is None:
        fig.tight_layout()
    return fig


SearchGaps = namedtuple("SearchGaps", "best value se gaps")
SearchGaps.__doc__ = """What a grid search's scores can tell apart.

- best: the key (e.g. (lr, reg)) of the best score; value: that score.
- se: the standard error of the best score, sqrt(value * (1 - value) / n) for an accuracy measured on n examples.
- gaps: dict key -> (value - score) / se, how many standard errors each cell lies below the best (0 for the best).
"""


def search_gaps(results, value_index=1, n_val=1000):
    """How far each cell of a grid search lies below the best one, in standard errors of the best score.

    Inputs:
    - results: dict mapping (x_value, y_value) -> tuple of scores, e.g. (lr, reg) -> (train_acc, val_acc).
    - value_index: which score of the tuple to compare (an accuracy, a fraction in [0, 1]).
    - n_val: how many examples each score was measured on (1000 validation images in every notebook).

    An accuracy p measured on n images is an average of n right-or-wrong outcomes, so it would scatter by about
    sqrt(p (1 - p) / n) if it were measured on another n images of the same kind: 0.015 for p = 0.4, n = 1000.
    Cells less than one or two such standard errors below the best are statistical ties with it.

    Returns a SearchGaps(best, value, se, gaps); a NaN score (a failed run) gets a NaN gap.
    """
    if not results:
        raise ValueError("search_gaps got no results: expected a dict {(x, y): (score, ...)}")
    n_val = int(n_val)
    if n_val < 1:
        raise ValueError(f"n_val must be the number of examples the scores were measured on, got {n_val}")
    scores = {key: float(values[value_index]) for key, values in results.items()}
    measured = {key: score for key, score in scores.items() if np.isfinite(score)}  # NaN: a run that failed
    if not measured:
        raise ValueError("search_gaps got no finite score to compare")
    best = max(measured, key=measured.get)
    value = measured[best]
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"search_gaps compares accuracies (fractions in [0, 1]); the best score is {value}. "
                         "For other scores, call plot_search_heatmap with n_val=None.")
    # An accuracy of exactly 0 or 1 has no spread by this formula; half an example keeps the gaps finite.
    se = sqrt(max(value * (1.0 - value), 0.5 / n_val) / n_val)
    return SearchGaps(best, value, se, {key: (value - score) / se for key, score in scores.items()})


def plot_search_heatmap(results, value_index=1, title="validation accuracy", xlabel="learning rate",
                        ylabel="regularisation strength", n_val=1000):
    """Heat map of a grid search that shows which differences are noise.

    Inputs:
    - results: dict mapping (x_value, y_value) -> tuple of scores, e.g. (lr, reg) -> (train_acc, val_acc).
    - value_index: which score of the tuple to colour by.
    - title, xlabel, ylabel: the labels of the plot.
    - n_val: how many examples each score was measured on (the size of the validation set; for training
      accuracies the size of the training set). None: a plain heat map whose colours span the scores, with no
      standard error and no ties marked (for scores that are not accuracies).

    Every cell is annotated with its score; missing cells stay blank. With n_val, the standard error
    se = sqrt(p (1 - p) / n_val) of the best score p is stated under the title, the best cell is outlined with a
    thick line, cells within 1 se of it with a thin solid line and cells within 2 se with a dashed line (ties:
    their difference from the best is within the noise of the measurement). The colours then span at least
    4 se below the best, so that a spread far smaller than the noise does not fill the whole colour map and make
    statistical ties look maximally different; the colour bar marks 1 and 2 se below the best.

    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if not results:
        raise ValueError("plot_search_heatmap got no results: expected a dict {(x, y): (score, ...)}")
    xs = sorted({x for x, _ in results})
    ys = sorted({y for _, y in results})
    grid = np.full((len(ys), len(xs)), np.nan)
    for (x, y), scores in results.items():
        grid[ys.index(y), xs.index(x)] = scores[value_index]
    gaps = None if n_val is None else search_gaps(results, value_index, n_val)
    low, high = np.nanmin(grid), np.nanmax(grid)
    if gaps is not None:
        low = min(low, gaps.value - 4 * gaps.se)
    if high <= low:
        low, high = low - 0.5, high + 0.5  # one score, or all equal: any colour will do

    fig, ax = plt.subplots(figsize=(1.2 * len(xs) + 2.8, 0.7 * len(ys) + 2.2))
    image = ax.imshow(grid, cmap="viridis", origin="lower", aspect="auto", vmin=low, vmax=high)
    ax.set_xticks(range(len(xs)), [f"{x:.1e}" for x in xs], rotation=45, ha="right")
    ax.set_yticks(range(len(ys)), [f"{y:.1e}" for y in ys])
    for (row, col), value in np.ndenumerate(grid):
        if not np.isnan(value):
            # dark text on the light (high) end of viridis, light text on the dark end
            ax.text(col, row, f"{value:.3f}", ha="center", va="center", fontsize=9,
                    color="black" if image.norm(value) > 0.45 else "white")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    colorbar = fig.colorbar(image, ax=ax)
    if gaps is None:
        ax.set_title(title)
    else:
        ax.set_title(f"{title}\nstandard error of the best: sqrt(p(1-p)/n) = {gaps.se:.3f} "
                     f"(p = {gaps.value:.3f}, n = {n_val})", fontsize=9)
        styles = {"best": dict(linestyle="-", linewidth=3.0), "within 1 SE": dict(linestyle="-", linewidth=1.2),
                  "within 2 SE": dict(linestyle="--", linewidth=1.2)}
        for (x, y), gap in gaps.gaps.items():
            kind = ("best" if (x, y) == gaps.best else "within 1 SE" if gap <= 1 else
                    "within 2 SE" if gap <= 2 else None)
            if kind is not None:
                inset = 0.06 if kind == "best" else 0.1
                ax.add_patch(Rectangle((xs.index(x) - 0.5 + inset, ys.index(y) - 0.5 + inset), 1 - 2 * inset,
                                       1 - 2 * inset, fill=False, edgecolor="black", gid=kind, **styles[kind]))
        for k, style in ((1, styles["within 1 SE"]), (2, styles["within 2 SE"])):
            if gaps.value - k * gaps.se >= low:
                colorbar.ax.axhline(gaps.value - k * gaps.se, color="black", **style)
        colorbar.set_label("lines: 1 SE and 2 SE below the best", fontsize=8)
        handles = [Line2D([], [], color="black", label=kind, **style) for kind, style in styles.items()]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=3, fontsize=8,
                  frameon=False, title="outlined: ties with the best (within 2 SE)", title_fontsize=8)
    fig.tight_layout()
    return fig
