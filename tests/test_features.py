"""Tests for cs231n.features: HOG and hue histograms against slow, obviously-correct references."""

import functools
import math

import matplotlib.colors
import numpy as np
import pytest

from cs231n import features
from cs231n.features import color_histogram_hsv, extract_features, hog_feature, rgb2gray


def random_images(n, size=32, seed=0, dtype=np.uint8):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, size, size, 3)).astype(dtype)


def smooth_images(n, size=32, seed=0):
    """Blurry random images: their gradients point every way, not just along the pixel grid."""
    rng = np.random.default_rng(seed)
    noise = rng.uniform(0, 255, (n, size + 4, size + 4, 3))
    blurred = sum(noise[:, dy:dy + size, dx:dx + size] for dy in range(5) for dx in range(5)) / 25
    return blurred


def reference_hog(im):
    """HOG written pixel by pixel with the math module, straight from the definition."""
    im = np.asarray(im, dtype=float)
    gray = im if im.ndim == 2 else 0.299 * im[..., 0] + 0.587 * im[..., 1] + 0.114 * im[..., 2]
    H, W = gray.shape
    hist = np.zeros((H // 8, W // 8, 9))
    for y in range(H):
        for x in range(W):
            # Centred differences, with the border pixel repeated outside the image.
            gx = (gray[y, min(x + 1, W - 1)] - gray[y, max(x - 1, 0)]) / 2
            gy = (gray[min(y + 1, H - 1), x] - gray[max(y - 1, 0), x]) / 2
            magnitude = math.hypot(gx, gy)
            degrees = math.degrees(math.atan2(gy, gx)) % 180.0
            # Bin b is centred on 20 * b + 10 degrees; share the vote with the nearest two centres.
            position = degrees / 20.0 - 0.5
            below = math.floor(position)
            share_above = position - below
            hist[y // 8, x // 8, below % 9] += (1 - share_above) * magnitude
            hist[y // 8, x // 8, (below + 1) % 9] += share_above * magnitude
    return (hist / 64).ravel()


def reference_hue_histogram(im, nbin=10, xmin=0, xmax=255, normalized=True):
    """The hue histogram the assignment describes, built from matplotlib and np.histogram."""
    hue = matplotlib.colors.rgb_to_hsv(np.asarray(im, dtype=float) / xmax)[..., 0] * xmax
    counts, _ = np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1))
    return counts / counts.sum() if normalized else counts


def ramp(angle_degrees, length=10.0, size=32):
    """Gray image whose brightness grows along one direction: the same gradient at every interior pixel."""
    y, x = np.mgrid[:size, :size].astype(float)
    a = math.radians(angle_degrees)
    return 100 + length * (math.cos(a) * x + math.sin(a) * y)


INNER_CELLS = [5, 6, 9, 10]  # the 4 cells of a 32 x 32 image that do not touch the border


# ---------------------------------------------------------------------------------------------------- HOG

def test_hog_shape_and_dtype():
    assert hog_feature(random_images(1)[0]).shape == (144,)
    assert hog_feature(random_images(1)[0]).dtype == np.float64
    assert hog_feature(np.zeros((16, 24, 3))).shape == (2 * 3 * 9,)
    assert hog_feature(np.zeros((32, 32))).shape == (144,)  # a gray image is fine for HOG


@pytest.mark.parametrize("seed", [0, 1])
def test_hog_matches_loop_reference_on_random_images(seed):
    for im in (random_images(1, seed=seed)[0], smooth_images(1, seed=seed)[0], smooth_images(1, 24, seed)[0]):
        np.testing.assert_allclose(hog_feature(im), reference_hog(im), rtol=1e-10, atol=1e-10)


def test_hog_matches_reference_on_gray_input():
    gray = smooth_images(1, seed=3)[0, ..., 0]
    np.testing.assert_allclose(hog_feature(gray), reference_hog(gray), rtol=1e-10, atol=1e-10)


def test_hog_of_constant_image_is_zero():
    for value in (0, 77, 255):
        assert np.array_equal(hog_feature(np.full((32, 32, 3), value, dtype=np.uint8)), np.zeros(144))


@pytest.mark.parametrize("angle, expected_bins", [
    (10, {0: 1.0}),            # a bin centre: the whole vote
    (50, {2: 1.0}),
    (170, {8: 1.0}),
    (20, {0: 0.5, 1: 0.5}),    # halfway between two centres: half each
    (35, {1: 0.75, 2: 0.25}),  # 5 degrees from the centre of bin 1 (30), 15 from bin 2 (50)
    (0, {8: 0.5, 0: 0.5}),     # bins 8 and 0 are neighbours: orientation wraps round at 180 degrees
    (190, {0: 1.0}),           # unsigned: 190 degrees is the same orientation as 10
    (-135, {1: 0.25, 2: 0.75}),  # -135 = 45 (mod 180): between the centres 30 and 50
])
def test_hog_orientation_bins_on_ramps(angle, expected_bins):
    hog = hog_feature(ramp(angle)).reshape(16, 9)
    expected = np.zeros(9)
    for b, share in expected_bins.items():
        expected[b] = share * 10.0  # the mean vote of a cell equals the gradient length when all agree
    for c in INNER_CELLS:
        np.testing.assert_allclose(hog[c], expected, atol=1e-9)


def test_hog_is_unsigned_and_linear_in_contrast():
    im = smooth_images(1, seed=4)[0]
    np.testing.assert_allclose(hog_feature(255 - im), hog_feature(im), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hog_feature(3 * im), 3 * hog_feature(im), rtol=1e-12)


def test_hog_cell_order_is_row_major():
    im = np.zeros((32, 32))
    im[8:16, 16:24] = ramp(10)[8:16, 16:24]  # texture only inside cell row 1, column 2 (and its rim)
    hog = hog_feature(im).reshape(4, 4, 9)
    assert hog[1, 2].sum() > 0
    assert hog[2, 1].sum() == 0 and hog[0, 0].sum() == 0 and hog[3, 3].sum() == 0


def test_hog_does_not_depend_on_pixel_dtype():
    im = random_images(1, seed=5)[0]
    assert np.array_equal(hog_feature(im), hog_feature(im.astype(np.float32)))
    assert np.array_equal(hog_feature(im), hog_feature(im.astype(np.float64)))


def test_rgb2gray():
    im = random_images(1, size=8, seed=6)[0]
    gray = rgb2gray(im)
    assert gray.shape == (8, 8)
    np.testing.assert_allclose(gray, im @ np.array([0.299, 0.587, 0.114]), rtol=1e-12)
    assert np.allclose(rgb2gray(np.full((2, 2, 3), 200.0)), 200.0)  # weights sum to one


# ---------------------------------------------------------------------------------------------------- hue

def test_hue_histogram_shape_and_normalisation():
    for im in random_images(5, seed=7):
        hist = color_histogram_hsv(im)
        assert hist.shape == (10,)
        assert hist.dtype == np.float64
        assert np.all(hist >= 0)
        assert math.isclose(hist.sum(), 1.0, rel_tol=1e-12)
    assert color_histogram_hsv(random_images(1)[0], nbin=25).shape == (25,)


def test_hue_histogram_unnormalised_counts_pixels():
    hist = color_histogram_hsv(random_images(1, seed=8)[0], normalized=False)
    assert hist.sum() == 32 * 32
    assert np.array_equal(hist, np.round(hist))


@pytest.mark.parametrize("nbin", [10, 7, 25])
def test_hue_histogram_matches_matplotlib_and_numpy(nbin):
    for im in random_images(4, seed=nbin):
        np.testing.assert_array_equal(color_histogram_hsv(im, nbin=nbin, normalized=False),
                                      reference_hue_histogram(im, nbin=nbin, normalized=False))
        np.testing.assert_allclose(color_histogram_hsv(im, nbin=nbin), reference_hue_histogram(im, nbin=nbin),
                                   rtol=0, atol=1e-15)


def test_hue_histogram_pure_colours_and_bin_edges():
    colours = {(255, 0, 0): 0,          # red, hue 0
               (0, 255, 0): 3,          # green, hue 1/3 -> 85
               (0, 255, 255): 5,        # cyan, hue exactly 1/2 -> 127.5, the left edge of bin 5
               (0, 0, 255): 6,          # blue, hue 2/3 -> 170
               (255, 0, 255): 8,        # magenta, hue 5/6 -> 212.5
               (255, 0, 1): 9,          # a red just past magenta, hue close to 1
               (90, 90, 90): 0}         # gray has no hue: counted as 0
    for rgb, expected_bin in colours.items():
        im = np.empty((4, 4, 3), dtype=np.uint8)
        im[:] = rgb
        assert color_histogram_hsv(im)[expected_bin] == 1.0, rgb
    # 8-bit colours whose hue is an edge in exact arithmetic (here 0.1 and 0.3) land on whichever side the
    # floating-point hue of matplotlib falls: the same side as the reference, pixel for pixel.
    im = np.array([[[255, 153, 0], [51, 255, 0]]], dtype=np.uint8)
    np.testing.assert_array_equal(color_histogram_hsv(im, normalized=False),
                                  reference_hue_histogram(im, normalized=False))


def test_hue_histogram_range_and_scale():
    im = np.random.default_rng(9).uniform(0, 1, (32, 32, 3))
    # Hue does not depend on the scale of the pixels: xmax only sets the scale of the bins.
    np.testing.assert_allclose(color_histogram_hsv(im, xmax=1.0), color_histogram_hsv(255 * im), atol=1e-12)
    im = random_images(1, seed=9)[0]
    # A narrower bin range counts only the hues inside it and normalises over those.
    np.testing.assert_allclose(color_histogram_hsv(im, nbin=5, xmin=100), reference_hue_histogram(im, 5, 100),
                               atol=1e-15)


# ---------------------------------------------------------------------------------------------------- extract

def test_extract_features_stacks_in_order():
    imgs = random_images(6, seed=10)
    feats = extract_features(imgs, [hog_feature, color_histogram_hsv])
    assert feats.shape == (6, 154)
    for i, im in enumerate(imgs):
        np.testing.assert_array_equal(feats[i, :144], hog_feature(im))
        np.testing.assert_array_equal(feats[i, 144:], color_histogram_hsv(im))


def test_batch_path_equals_per_image_path(monkeypatch):
    # Small chunks, so the batch path crosses chunk boundaries (and a short last chunk).
    monkeypatch.setattr(features, "CHUNK", 4)
    imgs = np.concatenate([random_images(5, seed=11), smooth_images(6, seed=11).round()]).astype(np.float32)
    hist20 = functools.partial(color_histogram_hsv, nbin=20)
    fast = extract_features(imgs, [hog_feature, hist20])
    # The same functions hidden behind lambdas have no batch version: image by image.
    slow = extract_features(imgs, [lambda im: hog_feature(im), lambda im: color_histogram_hsv(im, nbin=20)])
    assert fast.shape == slow.shape == (11, 164)
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast[:, :144], np.array([reference_hog(im) for im in imgs]), rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(fast, extract_features(imgs.astype(np.uint8), [hog_feature, hist20]))


def test_batch_functions_are_found_through_partial():
    assert features._batch_version(hog_feature) is features.hog_batch
    part = features._batch_version(functools.partial(color_histogram_hsv, nbin=3))
    assert part.func is features.color_histogram_hsv_batch and part.keywords == {"nbin": 3}
    assert features._batch_version(lambda im: im) is None


def test_extract_features_with_a_custom_function_and_progress_bar():
    imgs = random_images(3, size=8, seed=12)
    feats = extract_features(imgs, [lambda im: im.mean(axis=(0, 1))], verbose=True)
    np.testing.assert_allclose(feats, imgs.mean(axis=(1, 2)))


# ---------------------------------------------------------------------------------------------------- errors

def test_gray_image_where_rgb_is_expected():
    gray = np.zeros((32, 32))
    with pytest.raises(ValueError, match=r"\(H, W, 3\).*grayscale"):
        color_histogram_hsv(gray)
    with pytest.raises(ValueError, match=r"\(H, W, 3\).*grayscale"):
        rgb2gray(gray)
    with pytest.raises(ValueError, match=r"\(N, H, W, 3\)"):
        extract_features(np.zeros((2, 32, 32)), [color_histogram_hsv])


@pytest.mark.parametrize("shape", [(32, 32, 4), (32, 32, 1), (32,), (2, 32, 32, 3)])
def test_wrong_channel_count_or_rank(shape):
    with pytest.raises(ValueError, match=r"must be an image \(H, W, 3\) \(RGB\) or \(H, W\)"):
        hog_feature(np.zeros(shape))
    with pytest.raises(ValueError, match=r"must be an RGB image \(H, W, 3\)"):
        color_histogram_hsv(np.zeros(shape))


@pytest.mark.parametrize("size", [(30, 32), (32, 20), (4, 4)])
def test_hog_wrong_size(size):
    with pytest.raises(ValueError, match=r"multiples of the 8-pixel cell.*got \d+ x \d+"):
        hog_feature(np.zeros((*size, 3)))


def test_bad_pixel_values():
    im = random_images(1)[0].astype(float)
    im[3, 4, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        hog_feature(im)
    with pytest.raises(ValueError, match="NaN or infinite"):
        color_histogram_hsv(im)
    with pytest.raises(ValueError, match=r"pixel values must lie in \[0, xmax\].*xmax=1.0"):
        color_histogram_hsv(random_images(1)[0], xmax=1.0)
    with pytest.raises(ValueError, match=r"pixel values must lie in \[0, xmax\]"):
        color_histogram_hsv(-np.ones((8, 8, 3)))
    with pytest.raises(ValueError, match="an array of numbers; got dtype <U1"):
        hog_feature(np.full((8, 8), "a"))


@pytest.mark.parametrize("kwargs, message", [
    ({"nbin": 0}, "nbin must be an integer >= 1"), ({"nbin": 2.5}, "nbin must be an integer >= 1"),
    ({"xmin": 10, "xmax": 10}, "xmax must be a number > 10"), ({"xmin": 0, "xmax": np.inf}, "xmax must be a finite"),
])
def test_hue_histogram_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        color_histogram_hsv(random_images(1)[0], **kwargs)


def test_extract_features_bad_input():
    with pytest.raises(ValueError, match=r"stack of at least one image.*im\[None\]"):
        extract_features(np.zeros((32, 32)), [hog_feature])
    with pytest.raises(ValueError, match=r"stack of at least one image.*got shape \(0, 32, 32, 3\)"):
        extract_features(np.zeros((0, 32, 32, 3)), [hog_feature])
    with pytest.raises(ValueError, match="list of feature functions"):
        extract_features(random_images(2), [])
    with pytest.raises(ValueError, match="list of feature functions"):
        extract_features(random_images(2), ["hog"])
    with pytest.raises(ValueError, match="1-D vector"):
        extract_features(random_images(2), [lambda im: im])
    lengths = iter([3, 4])
    with pytest.raises(ValueError, match="1-D vector of the same length for every image"):
        extract_features(random_images(2), [lambda im: np.zeros(next(lengths))])


def test_complex_images_are_refused():
    # the imaginary part used to be dropped silently
    im = random_images(1)[0] + 1j
    with pytest.raises(ValueError, match="real numbers; got complex"):
        hog_feature(im)
    with pytest.raises(ValueError, match="real numbers; got complex"):
        color_histogram_hsv(im)
