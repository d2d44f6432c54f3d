"""cs231n.vis_utils: the image grid's geometry and scaling; the plots return figures and reject bad shapes; the
search heat map states the standard error, marks the statistical ties and does not stretch noise over its colours."""

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere: tests never open a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cs231n.cifar10 import CLASSES  # noqa: E402
from cs231n.vis_utils import (  # noqa: E402
    plot_class_examples,
    plot_linear_weights,
    plot_search_heatmap,
    search_gaps,
    visualize_grid,
)


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
    with pytest.raises(ValueError, match=message):  # also as one model among several
        plot_linear_weights({"good": np.zeros((3073, 10)), "bad": np.zeros(shape)})


def test_linear_weights_of_several_models_one_row_each(rng):
    first, second = rng.standard_normal((3073, 10)), 100 * rng.standard_normal((3072, 10))
    fig = plot_linear_weights({"first run": first, "best model": second})
    assert len(fig.axes) == 2 * 10
    assert [sub.get_suptitle() for sub in fig.subfigs] == ["first run", "best model"]
    assert [ax.get_title() for ax in fig.subfigs[1].axes] == list(CLASSES)
    # Each model has its own colour scale: both rows use the full range 0..255.
    for sub, W in zip(fig.subfigs, (first, second)):
        shown = np.stack([ax.get_images()[0].get_array() for ax in sub.axes])
        templates = W[:3072].T.reshape(10, 32, 32, 3)
        np.testing.assert_array_equal(shown, (255 * (templates - templates.min()) / np.ptp(templates)).astype(np.uint8))


def test_linear_weights_rejects_an_empty_dict():
    with pytest.raises(ValueError, match="empty dict"):
        plot_linear_weights({})


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


# A grid where the best (0.405) and its neighbours differ by far less than the standard error of a 1000-image
# accuracy (sqrt(0.405 * 0.595 / 1000) = 0.0155), plus one cell 1.6 SE below and one 3.2 SE below.
TIES = {(1e-7, 1e3): (0.42, 0.405), (1e-7, 1e4): (0.41, 0.400), (1e-6, 1e3): (0.43, 0.397),
        (1e-6, 1e4): (0.40, 0.380), (1e-5, 1e3): (0.44, 0.355)}


def marked(fig):
    """{(column, row) of a cell: how its outline marks it} for every outlined cell of a heat map."""
    return {(round(p.get_x() + p.get_width() / 2), round(p.get_y() + p.get_height() / 2)): p.get_gid()
            for p in fig.axes[0].patches}


def test_search_gaps_in_standard_errors():
    gaps = search_gaps(TIES)
    assert gaps.best == (1e-7, 1e3) and gaps.value == 0.405
    assert gaps.se == pytest.approx(np.sqrt(0.405 * 0.595 / 1000))
    assert gaps.gaps[(1e-7, 1e3)] == 0
    assert gaps.gaps[(1e-6, 1e4)] == pytest.approx(0.025 / gaps.se)
    assert search_gaps(TIES, n_val=4000).se == pytest.approx(gaps.se / 2)  # four times the images, half the noise
    assert search_gaps(TIES, value_index=0).best == (1e-5, 1e3)


@pytest.mark.parametrize(("results", "n_val", "message"), [
    ({}, 1000, "no results"), (TIES, 0, "n_val"), ({(1, 1): (0.0, 37.0)}, 1000, "accuracies")])
def test_search_gaps_rejects_bad_input(results, n_val, message):
    with pytest.raises(ValueError, match=message):
        search_gaps(results, n_val=n_val)


def test_search_gaps_and_heatmap_skip_failed_runs():
    results = {**TIES, (1e-5, 1e4): (np.nan, np.nan)}  # a diverged run
    gaps = search_gaps(results)
    assert gaps.best == (1e-7, 1e3) and np.isnan(gaps.gaps[(1e-5, 1e4)])
    assert (2, 1) not in marked(plot_search_heatmap(results))  # its cell stays blank, without an outline
    with pytest.raises(ValueError, match="no finite score"):
        search_gaps({(1, 1): (np.nan, np.nan)})


def test_search_gaps_at_a_perfect_score_stay_finite():
    gaps = search_gaps({(1, 1): (0, 1.0), (1, 2): (0, 0.999)})
    assert gaps.se > 0 and np.isfinite(gaps.gaps[(1, 2)])


def test_search_heatmap_marks_the_ties_with_the_best():
    fig = plot_search_heatmap(TIES)
    # columns: lr 1e-7, 1e-6, 1e-5; rows: reg 1e3, 1e4. 0.400 and 0.397 are within 1 SE of 0.405, 0.380 within
    # 2 SE; 0.355 (3.2 SE below) is not a tie and has no outline.
    assert marked(fig) == {(0, 0): "best", (0, 1): "within 1 SE", (1, 0): "within 1 SE", (1, 1): "within 2 SE"}
    styles = {p.get_gid(): (p.get_linestyle(), p.get_linewidth()) for p in fig.axes[0].patches}
    assert len(set(styles.values())) == 3  # the three kinds look different
    assert "0.016" in fig.axes[0].get_title() and "n = 1000" in fig.axes[0].get_title()  # the SE is stated
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["best", "within 1 SE", "within 2 SE"]


def test_search_heatmap_ties_depend_on_the_validation_size():
    # On 100 000 images the SE is 0.0016: only the best cell is left, every other cell is a real difference.
    assert marked(plot_search_heatmap(TIES, n_val=100_000)) == {(0, 0): "best"}


def test_search_heatmap_does_not_stretch_noise_over_the_colour_map():
    # All scores within 0.008 (half an SE): the colours must span at least 4 SE below the best, so the cells
    # use only the top of the map instead of running from its darkest to its lightest colour.
    results = {(lr, reg): (0.4, 0.397 + 0.001 * (3 * i + j))
               for i, lr in enumerate([1e-7, 1e-6, 1e-5]) for j, reg in enumerate([1e3, 1e4, 1e5])}
    fig = plot_search_heatmap(results)
    norm = fig.axes[0].get_images()[0].norm
    se = search_gaps(results).se
    assert norm.vmax == pytest.approx(0.405) and norm.vmin == pytest.approx(0.405 - 4 * se)
    assert norm(0.397) > 0.8
    # A spread larger than the noise keeps its full range of colours.
    wide = {(1, 1): (0, 0.1), (1, 2): (0, 0.5)}
    norm = plot_search_heatmap(wide).axes[0].get_images()[0].norm
    assert (norm.vmin, norm.vmax) == pytest.approx((0.1, 0.5))


def test_search_heatmap_without_n_val_is_a_plain_heat_map():
    fig = plot_search_heatmap(TIES, n_val=None, title="scores")
    assert not fig.axes[0].patches and fig.axes[0].get_legend() is None
    assert fig.axes[0].get_title() == "scores"
    norm = fig.axes[0].get_images()[0].norm
    assert (norm.vmin, norm.vmax) == pytest.approx((0.355, 0.405))


def test_search_heatmap_keeps_its_old_call():
    # features.ipynb calls it with a title only; the title stays the first line of the plot's title.
    fig = plot_search_heatmap(TIES, title="linear SVM on features: validation accuracy")
    assert fig.axes[0].get_title().splitlines()[0] == "linear SVM on features: validation accuracy"


def test_show_jpeg_displays_a_small_jpeg_closes_the_figure_and_returns_nothing(monkeypatch):
    import IPython.display
    import matplotlib.pyplot as plt

    from cs231n.vis_utils import show_jpeg

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    fig, ax = plt.subplots(figsize=(3, 3))
    ax.imshow(np.random.default_rng(0).integers(0, 256, (32, 32, 3)).astype(np.uint8))
    assert show_jpeg(fig, dpi=72) is None  # a returned value would be stored again as the cell's result
    (image,) = shown
    assert image.format == "jpeg" and image.data[:3] == b"\xff\xd8\xff"  # the JPEG signature
    assert len(image.data) < 40_000
    assert not plt.fignum_exists(fig.number)
