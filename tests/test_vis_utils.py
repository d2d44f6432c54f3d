"""cs231n.vis_utils: the image grid's geometry and scaling; the plots return figures and reject bad shapes."""

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere: tests never open a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cs231n.data_utils import CLASSES  # noqa: E402
from cs231n.vis_utils import plot_class_examples, plot_linear_weights, plot_search_heatmap, visualize_grid  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_grid_shape_and_placement(rng):
    # 5 images of 4x3 -> a 3x3 grid (ceil(sqrt(5))), 1 pixel of padding between cells.
    Xs = rng.uniform(-1, 1, (5, 4, 3, 2))
    grid = visualize_grid(Xs, ubound=1.0, padding=1)
    assert grid.shape == (3 * 4 + 2, 3 * 3 + 2, 2)
    for i, img in enumerate(Xs):
        row, col = divmod(i, 3)
        cell = grid[row * 5:row * 5 + 4, col * 4:col * 4 + 3]
        np.testing.assert_allclose(cell, (img - img.min()) / (img.max() - img.min()))
    # Padding rows/columns and the four unused cells stay zero.
    assert np.all(grid[4] == 0) and np.all(grid[9] == 0) and np.all(grid[:, 3] == 0) and np.all(grid[:, 7] == 0)
    assert np.all(grid[5:9, 8:11] == 0) and np.all(grid[10:14] == 0)


def test_grid_scales_each_image_to_ubound_on_its_own(rng):
    Xs = np.stack([rng.uniform(0, 1, (2, 2, 3)), rng.uniform(100, 200, (2, 2, 3))])
    grid = visualize_grid(Xs, padding=0)
    assert grid.shape == (4, 4, 3)
    for cell in (grid[:2, :2], grid[:2, 2:]):
        assert cell.min() == 0 and cell.max() == pytest.approx(255.0)
    np.testing.assert_allclose(grid[:2, 2:], 255 * (Xs[1] - Xs[1].min()) / np.ptp(Xs[1]))


def test_grid_padding_and_constant_images():
    grid = visualize_grid(np.full((4, 2, 2, 1), 7.0), padding=3)
    assert grid.shape == (2 * 2 + 3, 2 * 2 + 3, 1)
    assert np.all(grid == 0)  # a constant image has no contrast to stretch: it shows as zeros, not NaN


def test_grid_rejects_images_without_four_axes():
    with pytest.raises(ValueError, match=r"\(N, H, W, C\).*\(32, 32, 3\)"):
        visualize_grid(np.zeros((32, 32, 3)))


def labelled_images(rng, per_class=3):
    y = np.repeat(np.arange(10), per_class)
    return rng.integers(0, 256, (len(y), 32, 32, 3)).astype(np.float64), y


def test_class_examples_figure(rng):
    X, y = labelled_images(rng)
    fig = plot_class_examples(X, y, samples_per_class=2)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 2 * 10
    assert [ax.get_title() for ax in fig.axes[:10]] == list(CLASSES)


def test_class_examples_shows_images_of_the_right_class(rng):
    X, y = labelled_images(rng)
    X[:] = y[:, None, None, None] * 20  # every image of class c has all pixels 20 * c
    fig = plot_class_examples(X, y, samples_per_class=3)
    axes = np.array(fig.axes).reshape(3, 10)
    for (_, c), ax in np.ndenumerate(axes):
        assert np.all(ax.get_images()[0].get_array() == 20 * c)


@pytest.mark.parametrize(("X", "y", "message"), [
    (np.zeros((30, 32, 32)), np.repeat(np.arange(10), 3), r"\(N, 32, 32, 3\)"),
    (np.zeros((30, 32, 32, 3)), np.arange(10), "30 images but 10 labels"),
    (np.zeros((30, 32, 32, 3)), np.repeat(np.arange(10), 3), "only 3 images of class"),
])
def test_class_examples_rejects_bad_input(X, y, message):
    with pytest.raises(ValueError, match=message):
        plot_class_examples(X, y, samples_per_class=4 if "only" in message else 2)


@pytest.mark.parametrize("rows", [3072, 3073])
def test_linear_weights_with_and_without_bias_row(rng, rows):
    W = rng.standard_normal((rows, 10))
    fig = plot_linear_weights(W)
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 10
    shown = fig.axes[0].get_images()[0].get_array()
    assert shown.shape == (32, 32, 3)
    templates = W[:3072].T.reshape(10, 32, 32, 3)
    expected = (255 * (templates[0] - templates.min()) / np.ptp(templates)).astype(np.uint8)
    np.testing.assert_array_equal(shown, expected)  # one shared scale, bias row ignored


def test_linear_weights_that_are_all_equal(rng):
    fig = plot_linear_weights(np.zeros((3073, 10)))  # e.g. right after zero initialisation
    assert np.all(fig.axes[0].get_images()[0].get_array() == 0)


@pytest.mark.parametrize(("shape", "message"), [((3000, 10), "3072 or 3073 rows"), ((3073, 7), "10 columns")])
def test_linear_weights_reject_bad_shapes(shape, message):
    with pytest.raises(ValueError, match=message):
        plot_linear_weights(np.zeros(shape))


def test_search_heatmap(rng):
    results = {(lr, reg): (0.3, 0.1 * i + 0.05 * j)
               for i, lr in enumerate([1e-7, 1e-6]) for j, reg in enumerate([1e3, 1e4, 1e5])}
    del results[(1e-6, 1e5)]
    fig = plot_search_heatmap(results)
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    grid = ax.get_images()[0].get_array()
    assert grid.shape == (3, 2)  # rows: reg, columns: learning rate
    assert grid[1, 0] == pytest.approx(0.05) and grid[0, 1] == pytest.approx(0.1)
    assert np.ma.is_masked(grid[2, 1]) or np.isnan(grid[2, 1])
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"{v[1]:.3f}" for v in results.values())
    train_fig = plot_search_heatmap(results, value_index=0)
    assert {t.get_text() for t in train_fig.axes[0].texts} == {"0.300"}


def test_search_heatmap_rejects_empty_results():
    with pytest.raises(ValueError, match="no results"):
        plot_search_heatmap({})
