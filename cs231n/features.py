"""Hand-made image features: histograms of oriented gradients (HOG) and hue histograms.

Each feature function takes one image and returns a 1-D vector; `extract_features` stacks several of them for a
whole set of images into an (N, F) matrix. Looping over 60000 images one by one in Python is slow, so every feature
function here also carries a `batch` attribute: the same computation for an (N, H, W, C) stack of images done
with whole-array operations, chunk by chunk. `extract_features` uses it when it is there (also through
`functools.partial`), and falls back to calling the function image by image otherwise (e.g. for a lambda).
The single-image functions run the batch code on a batch of one, so both paths give the same numbers.
"""

import functools

import numpy as np

from cs231n import validation as check

# Luma weights of ITU-R BT.601: how bright each primary looks to the eye.
GRAY_WEIGHTS = (0.299, 0.587, 0.114)
HOG_CELL = 8
HOG_BINS = 9
# Images per chunk in the batch paths: keeps the float64 temporaries (2 MB each) in cache.
CHUNK = 256


def _gray(chunk):
    """(n, H, W, 3) RGB or (n, H, W) gray -> (n, H, W) float64 gray."""
    if chunk.ndim == 3:
        return chunk.astype(np.float64)
    r, g, b = (chunk[..., k].astype(np.float64) for k in range(3))
    return GRAY_WEIGHTS[0] * r + GRAY_WEIGHTS[1] * g + GRAY_WEIGHTS[2] * b


def rgb2gray(rgb):
    """Convert an RGB image to grayscale with the luma weights 0.299 R + 0.587 G + 0.114 B.

    Inputs: rgb, (H, W, 3) array (any numeric dtype; the scale of the values is kept).
    Returns (H, W) float64 array.
    """
    rgb = check.images(rgb, "rgb", rgb=True, batch=False)
    return _gray(rgb[None])[0]


# --------------------------------------------------------------------------------------------------------------
# HOG
# --------------------------------------------------------------------------------------------------------------

def _hog_gray_batch(gray):
    """HOG of a stack of gray images: (n, H, W) float64 -> (n, (H/8) * (W/8) * 9) float64.

    Layout of a row: cells in row-major order (cell row, cell column), 9 orientation bins per cell.
    """
    n, H, W = gray.shape
    # Centred differences; repeating the border pixels gives the edge a (halved) one-sided difference.
    padded = np.pad(gray, ((0, 0), (1, 1), (1, 1)), mode="edge")
    gx = 0.5 * (padded[:, 1:-1, 2:] - padded[:, 1:-1, :-2])
    gy = 0.5 * (padded[:, 2:, 1:-1] - padded[:, :-2, 1:-1])
    magnitude = np.sqrt(gx * gx + gy * gy)
    # Unsigned orientation: a dark-to-light edge and a light-to-dark edge at the same angle vote alike, so
    # orientations are taken modulo 180 degrees. Measured in bin widths (20 degrees), bin b is centred on b + 0.5.
    # Each pixel splits its magnitude between the two nearest bin centres, so a small turn of an edge moves the
    # histogram a little instead of jumping a whole bin; bin 8 and bin 0 are neighbours.
    # arctan2 lies in (-pi, pi]; two extra turns (2 x 9 bins) make every position positive, so int() is floor()
    # and the "modulo 9" is done once at the end by folding the 4 x 9 virtual bins onto 9.
    position = np.arctan2(gy, gx) * (HOG_BINS / np.pi) - 0.5 + 2 * HOG_BINS
    lower = position.astype(np.intp)
    upper_share = (position - lower) * magnitude
    cells_y, cells_x = H // HOG_CELL, W // HOG_CELL
    cell = (np.arange(H) // HOG_CELL)[:, None] * cells_x + (np.arange(W) // HOG_CELL)[None, :]
    slot = (np.arange(n)[:, None, None] * (cells_y * cells_x) + cell) * (4 * HOG_BINS) + lower
    size = n * cells_y * cells_x * 4 * HOG_BINS
    votes = np.bincount(slot.ravel(), (magnitude - upper_share).ravel(), minlength=size)
    votes += np.bincount(slot.ravel() + 1, upper_share.ravel(), minlength=size)
    votes = votes.reshape(n, cells_y * cells_x, 4, HOG_BINS).sum(axis=2)
    # The mean vote per pixel of the cell keeps values on the scale of a pixel's gradient.
    return votes.reshape(n, -1) / (HOG_CELL * HOG_CELL)


def _check_hog_size(shape, name):
    H, W = shape
    if H < HOG_CELL or W < HOG_CELL or H % HOG_CELL or W % HOG_CELL:
        raise ValueError(f"{name} needs image height and width that are multiples of the {HOG_CELL}-pixel cell "
                         f"(e.g. 32 x 32 for CIFAR-10), got {H} x {W}; crop or resize the image first")


def hog_batch(imgs):
    """HOG features of a stack of images (the fast path of `hog_feature`).

    Inputs: imgs, (N, H, W, 3) RGB or (N, H, W) gray, H and W multiples of 8.
    Returns (N, (H/8) * (W/8) * 9) float64: for a 32 x 32 image 4 x 4 cells x 9 bins = 144 values.
    """
    imgs = check.images(imgs, "imgs", rgb=False, batch=True)
    _check_hog_size(imgs.shape[1:3], "hog_feature")
    out = []
    for start in range(0, imgs.shape[0], CHUNK):
        chunk = check.finite(imgs[start:start + CHUNK], "imgs")
        out.append(_hog_gray_batch(_gray(chunk)))
    return np.concatenate(out)


def hog_feature(im):
    """Histogram of oriented gradients of one image.

    The image is turned gray; each pixel's brightness gradient (centred differences) votes with its length for
    its unsigned orientation in [0, 180) degrees, split between the two nearest of 9 bins 20 degrees wide; votes
    are averaged over each 8 x 8 cell.

    Inputs: im, (H, W, 3) RGB or (H, W) gray image, H and W multiples of 8.
    Returns ((H/8) * (W/8) * 9,) float64 vector, cells in row-major order, 9 bins per cell: 144 values for
    32 x 32. Bin b covers orientations around (b + 0.5) * 20 degrees (0 = horizontal gradient, i.e. a vertical
    edge; angles grow from the +x axis towards +y, i.e. downwards in the image).
    """
    im = check.images(im, "im", rgb=False, batch=False)
    return hog_batch(im[None])[0]


hog_feature.batch = hog_batch


# --------------------------------------------------------------------------------------------------------------
# Hue histogram
# --------------------------------------------------------------------------------------------------------------

def _hue(chunk, xmax):
    """Hue of RGB pixels: (n, H, W, 3) with values in [0, xmax] -> (n, H, W) float64 in [0, 1).

    Gray pixels (all channels equal) have no hue and get 0. The arithmetic follows
    matplotlib.colors.rgb_to_hsv step by step in float64, so for integer or float64 pixels the values are
    identical to it, not just close.
    """
    # float64 whatever the input dtype, so uint8 and float32 copies of an image give identical hues.
    r, g, b = (chunk[..., k].astype(np.float64) / xmax for k in range(3))
    value = np.maximum(np.maximum(r, g), b)
    delta = value - np.minimum(np.minimum(r, g), b)
    # The hexagon model: which channel is largest picks the sector, the other two place the hue inside it.
    # Ties pick blue over green over red (the formulas agree on ties anyway).
    blue_max, green_max = b == value, g == value
    numerator = np.where(blue_max, r - g, np.where(green_max, b - r, g - b))
    offset = np.where(blue_max, 4.0, np.where(green_max, 2.0, 0.0))
    colourful = delta > 0
    hue = offset + numerator / np.where(colourful, delta, 1.0)
    hue = np.where(colourful, hue / 6.0, 0.0)
    return np.where(hue < 0, hue + 1.0, hue)  # red sector reaches below 0: wrap round the colour circle


def _check_pixel_range(chunk, xmax):
    if chunk.dtype == np.uint8 and xmax >= 255:
        return  # cannot be out of range
    low, high = chunk.min(), chunk.max()
    if low < 0 or high > xmax:
        raise ValueError(f"pixel values must lie in [0, xmax] = [0, {xmax:g}]; got values in [{low}, {high}]. Pass "
                         "xmax=255 for 8-bit images, xmax=1.0 for images scaled to [0, 1].")


def color_histogram_hsv_batch(imgs, nbin=10, xmin=0, xmax=255, normalized=True):
    """Hue histograms of a stack of RGB images (the fast path of `color_histogram_hsv`).

    Inputs: imgs (N, H, W, 3) with values in [0, xmax]; nbin, xmin, xmax, normalized as in color_histogram_hsv.
    Returns (N, nbin) float64.
    """
    imgs = check.images(imgs, "imgs", rgb=True, batch=True)
    nbin = check.integer(nbin, "nbin", low=1)
    xmin, xmax = check.number(xmin, "xmin"), check.number(xmax, "xmax", low=max(xmin, 0.0), strict=True)
    edges = np.linspace(xmin, xmax, nbin + 1)
    out = np.empty((imgs.shape[0], nbin))
    for start in range(0, imgs.shape[0], CHUNK):
        chunk = check.finite(imgs[start:start + CHUNK], "imgs")
        _check_pixel_range(chunk, xmax)
        n = chunk.shape[0]
        values = (_hue(chunk, xmax) * xmax).reshape(n, -1)
        # Bins are [edge_k, edge_k+1), the last one closed, as in np.histogram. Index by arithmetic, then let
        # the edges themselves settle values that rounding put on the wrong side.
        inside = (values >= xmin) & (values <= xmax)
        index = np.minimum(((values - xmin) * (nbin / (xmax - xmin))).astype(np.intp), nbin - 1)
        index -= values < edges[index]
        index += (values >= edges[index + 1]) & (index < nbin - 1)
        slot = np.arange(n)[:, None] * nbin + index
        counts = np.bincount(slot[inside], minlength=n * nbin).reshape(n, nbin).astype(np.float64)
        if normalized:
            # Fractions of the counted pixels; an image with no pixel in range keeps an all-zero histogram.
            counts /= np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
        out[start:start + n] = counts
    return out


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    """Histogram of the hue of an RGB image.

    Each pixel's hue h in [0, 1) (matplotlib.colors.rgb_to_hsv; gray pixels get h = 0) is scaled to h * xmax and
    counted in nbin equal bins spanning [xmin, xmax].

    Inputs:
    - im: (H, W, 3) RGB image with values in [0, xmax].
    - nbin: number of bins.
    - xmin, xmax: range of the bins; xmax is also the largest possible pixel value (255 for 8-bit images).
    - normalized: divide by the number of counted pixels, so the histogram sums to 1.
    Returns (nbin,) float64.
    """
    im = check.images(im, "im", rgb=True, batch=False)
    return color_histogram_hsv_batch(im[None], nbin=nbin, xmin=xmin, xmax=xmax, normalized=normalized)[0]


color_histogram_hsv.batch = color_histogram_hsv_batch


# --------------------------------------------------------------------------------------------------------------
# Stacking features
# --------------------------------------------------------------------------------------------------------------

def _batch_version(fn):
    """The whole-batch version of a feature function, or None. Sees through functools.partial."""
    if isinstance(fn, functools.partial):
        inner = _batch_version(fn.func)
        return None if inner is None else functools.partial(inner, *fn.args, **fn.keywords)
    return getattr(fn, "batch", None)


def extract_features(imgs, feature_fns, verbose=False):
    """Compute several features for a set of images and stack them side by side.

    Inputs:
    - imgs: (N, H, W, C) array of N images (or (N, H, W) gray images).
    - feature_fns: list of k functions, each taking one image and returning a 1-D vector of length F_i.
      A function with a `batch` attribute (like hog_feature and color_histogram_hsv, also inside a
      functools.partial) is run on a chunk of images at once; any other is called image by image.
    - verbose: show a progress bar over the N images.

    Returns (N, F_1 + ... + F_k) float64: row i holds the features of image i in the order of feature_fns.
    """
    from cs231n.progress import progress

    imgs = np.asarray(imgs)
    if imgs.ndim < 3 or imgs.shape[0] == 0:
        raise ValueError(f"imgs must be a stack of at least one image (N, H, W, C); got shape {imgs.shape}. For "
                         "a single image im pass im[None].")
    feature_fns = [feature_fns] if callable(feature_fns) else list(feature_fns)
    if not feature_fns or not all(callable(fn) for fn in feature_fns):
        raise ValueError(f"feature_fns must be a non-empty list of feature functions; got {feature_fns!r}.")
    batch_fns = [_batch_version(fn) for fn in feature_fns]
    pieces = []  # one (chunk, F_1 + ... + F_k) block per chunk of images
    with progress(total=imgs.shape[0], desc="features", unit="img", disable=not verbose) as bar:
        for start in range(0, imgs.shape[0], CHUNK):
            chunk = imgs[start:start + CHUNK]
            blocks = [_features_of_chunk(fn, bfn, chunk, start) for fn, bfn in zip(feature_fns, batch_fns)]
            pieces.append(np.hstack(blocks))
            if pieces[0].shape[1] != pieces[-1].shape[1]:
                raise ValueError(f"the feature functions returned {pieces[-1].shape[1]} values per image for images "
                                 f"{start}.. but {pieces[0].shape[1]} for image 0; each must return the same number "
                                 "of values for every image.")
            bar.update(len(chunk))
    return np.vstack(pieces)


def _features_of_chunk(fn, batch_fn, chunk, start):
    """(len(chunk), F) float64 features of one chunk of images, by the batch version when there is one."""
    name = getattr(fn, "__name__", None) or repr(fn)
    if batch_fn is not None:
        rows = np.asarray(batch_fn(chunk), dtype=np.float64)
    else:
        rows = [np.asarray(fn(im), dtype=np.float64) for im in chunk]
        if any(row.ndim != 1 or row.shape != rows[0].shape for row in rows):
            shapes = sorted({row.shape for row in rows})
            raise ValueError(f"feature function {name} must return a 1-D vector of the same length for every image; "
                             f"got shapes {shapes} for images {start}..{start + len(chunk) - 1}.")
        rows = np.stack(rows)
    if rows.ndim != 2 or rows.shape[0] != len(chunk):
        raise ValueError(f"the batch version of feature function {name} must return ({len(chunk)}, F) for "
                         f"{len(chunk)} images; got shape {rows.shape}.")
    return rows
