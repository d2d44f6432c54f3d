"""TwoLayerNet: published toy figures, gradients against numeric ones, training bookkeeping, bad input."""

import numpy as np
import pytest
from scipy.special import log_softmax

from cs231n.classifiers import TwoLayerNet
from cs231n.gradient_check import eval_numerical_gradient, rel_error

# The assignment's toy model and its published figures.
TOY_SCORES = np.array([
    [-0.81233741, -1.27654624, -0.70335995],
    [-0.17129677, -1.18803311, -0.47310444],
    [-0.51590475, -1.01354314, -0.8504215],
    [-0.15419291, -0.48629638, -0.52901952],
    [-0.00618733, -0.12435261, -0.15226949],
])
TOY_LOSS = 1.30378789133  # at reg = 0.05


def toy_net_and_data():
    np.random.seed(0)
    net = TwoLayerNet(4, 10, 3, std=1e-1)
    np.random.seed(1)
    X = 10 * np.random.randn(5, 4)
    y = np.array([0, 1, 2, 2, 1])
    return net, X, y


def random_net(N, D, H, C, seed):
    """A net with non-zero biases (so a penalty or gradient wrongly applied to biases shows) and data (N, D)."""
    rng = np.random.default_rng(seed)
    np.random.seed(seed)
    net = TwoLayerNet(D, H, C, std=0.5)
    net.params["b1"] = rng.standard_normal(H)
    net.params["b2"] = rng.standard_normal(C)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, N)
    return net, X, y


def reference_loss(net, X, y, reg):
    """The loss written independently: scipy's log_softmax, explicit ReLU, per-row loop."""
    p = net.params
    hidden = np.where(X @ p["W1"] + p["b1"] > 0, X @ p["W1"] + p["b1"], 0.0)
    log_probs = log_softmax(hidden @ p["W2"] + p["b2"], axis=1)
    data_loss = sum(-log_probs[i, y[i]] for i in range(len(y))) / len(y)
    return data_loss + reg * sum(np.sum(p[w] ** 2) for w in ("W1", "W2"))


# ---- initialisation and the toy figures ----

def test_init_draws_W1_then_W2_and_zero_biases():
    np.random.seed(3)
    net = TwoLayerNet(6, 4, 3, std=0.01)
    np.random.seed(3)
    W1, W2 = 0.01 * np.random.randn(6, 4), 0.01 * np.random.randn(4, 3)
    assert set(net.params) == {"W1", "b1", "W2", "b2"}
    np.testing.assert_array_equal(net.params["W1"], W1)
    np.testing.assert_array_equal(net.params["W2"], W2)
    np.testing.assert_array_equal(net.params["b1"], np.zeros(4))
    np.testing.assert_array_equal(net.params["b2"], np.zeros(3))


def test_float32_parameters_use_the_same_draws():
    np.random.seed(3)
    net64 = TwoLayerNet(6, 4, 3, std=0.01)
    np.random.seed(3)
    net32 = TwoLayerNet(6, 4, 3, std=0.01, dtype=np.float32)
    for name, param in net32.params.items():
        assert param.dtype == np.float32
        np.testing.assert_array_equal(param, net64.params[name].astype(np.float32))
    X = np.random.randn(8, 6).astype(np.float32)
    y = np.arange(8) % 3
    stats = net32.train(X, y, X, y, learning_rate=0.1, num_iters=5, batch_size=4)
    assert all(param.dtype == np.float32 for param in net32.params.values())
    assert len(stats["loss_history"]) == 5


def test_toy_scores_match_published():
    net, X, _ = toy_net_and_data()
    scores = net.loss(X)
    assert scores.shape == (5, 3)
    assert np.sum(np.abs(scores - TOY_SCORES)) < 1e-7


def test_toy_loss_matches_published():
    net, X, y = toy_net_and_data()
    loss, _ = net.loss(X, y, reg=0.05)
    assert abs(loss - TOY_LOSS) < 1e-12


def test_toy_loss_accepts_label_list():
    net, X, _ = toy_net_and_data()
    loss, _ = net.loss(X, [0, 1, 2, 2, 1], reg=0.05)
    assert abs(loss - TOY_LOSS) < 1e-12


# ---- loss ----

@pytest.mark.parametrize("N, D, H, C", [(1, 3, 2, 2), (7, 5, 6, 4), (20, 12, 9, 10)])
def test_scores_without_labels_have_shape_N_by_C(N, D, H, C):
    net, X, _ = random_net(N, D, H, C, seed=N)
    scores = net.loss(X)
    assert scores.shape == (N, C)
    p = net.params
    np.testing.assert_allclose(scores, np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"])


@pytest.mark.parametrize("reg", [0.0, 0.1, 2.0])
def test_loss_matches_independent_reference(reg):
    net, X, y = random_net(9, 6, 7, 5, seed=11)
    loss, _ = net.loss(X, y, reg=reg)
    assert abs(loss - reference_loss(net, X, y, reg)) < 1e-10


def test_penalty_is_reg_times_squared_weights_only():
    net, X, y = random_net(8, 5, 4, 3, seed=2)
    p = net.params
    loss0, _ = net.loss(X, y, reg=0.0)
    loss1, _ = net.loss(X, y, reg=0.3)
    assert abs((loss1 - loss0) - 0.3 * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))) < 1e-10


def test_loss_is_averaged_over_the_batch():
    net, X, y = random_net(6, 5, 4, 3, seed=4)
    loss_once, grads_once = net.loss(X, y, reg=0.1)
    loss_twice, grads_twice = net.loss(np.vstack([X, X]), np.concatenate([y, y]), reg=0.1)
    assert abs(loss_once - loss_twice) < 1e-12
    for name in grads_once:
        np.testing.assert_allclose(grads_once[name], grads_twice[name], rtol=1e-10, atol=1e-12)


def test_large_scores_do_not_overflow():
    # Scores in the thousands: exp(710) already overflows float64, so the rows must be shifted by their max.
    net, X, y = random_net(6, 5, 4, 3, seed=5)
    net.params["W2"] *= 1e4
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, grads = net.loss(X, y, reg=0.0)
    assert np.isfinite(loss)
    assert abs(loss - reference_loss(net, X, y, 0.0)) < 1e-8 * max(1.0, loss)
    assert all(np.all(np.isfinite(g)) for g in grads.values())


# ---- gradients ----

@pytest.mark.parametrize("N, D, H, C, reg", [
    (5, 4, 10, 3, 0.0),
    (5, 4, 10, 3, 0.05),
    (7, 6, 5, 4, 0.3),
    (3, 8, 2, 5, 1.0),
    (12, 3, 7, 2, 0.01),
])
def test_gradients_match_numeric(N, D, H, C, reg):
    net, X, y = random_net(N, D, H, C, seed=N * 100 + D)
    _, grads = net.loss(X, y, reg=reg)
    assert set(grads) == {"W1", "b1", "W2", "b2"}
    for name, param in net.params.items():
        assert grads[name].shape == param.shape
        numeric = eval_numerical_gradient(lambda _: net.loss(X, y, reg=reg)[0], param, verbose=False)
        assert rel_error(grads[name], numeric) < 1e-7, name


def test_toy_gradients_match_numeric():
    net, X, y = toy_net_and_data()
    _, grads = net.loss(X, y, reg=0.05)
    for name, param in net.params.items():
        numeric = eval_numerical_gradient(lambda _: net.loss(X, y, reg=0.05)[0], param, verbose=False)
        assert rel_error(grads[name], numeric) < 1e-8, name


# ---- training ----

def test_training_lowers_toy_loss():
    net, X, y = toy_net_and_data()
    stats = net.train(X, y, X, y, learning_rate=1e-1, reg=5e-6, num_iters=100, verbose=False)
    loss_history = stats["loss_history"]
    assert len(loss_history) == 100
    assert loss_history[0] > 1.0
    assert loss_history[-1] < 0.02


def test_training_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    centres = 3 * rng.standard_normal((4, 10))
    y = rng.integers(0, 4, 400)
    X = centres[y] + 0.5 * rng.standard_normal((400, 10))
    np.random.seed(0)
    net = TwoLayerNet(10, 20, 4, std=0.1)
    stats = net.train(X[:300], y[:300], X[300:], y[300:], learning_rate=0.1, reg=1e-4, num_iters=200,
                      batch_size=50)
    assert stats["val_acc_history"][-1] > 0.95
    assert np.mean(net.predict(X[300:]) == y[300:]) > 0.95


@pytest.mark.parametrize("N, batch_size, num_iters, epochs", [
    (50, 10, 23, 4),   # 5 steps per epoch: 4 complete epochs
    (50, 10, 25, 5),
    (50, 10, 4, 0),    # not one complete epoch
    (8, 200, 3, 3),    # batch larger than the data: every step is an epoch
])
def test_history_lengths(N, batch_size, num_iters, epochs):
    net, X, y = random_net(N, 6, 5, 3, seed=1)
    stats = net.train(X, y, X[:7], y[:7], learning_rate=1e-2, num_iters=num_iters, batch_size=batch_size)
    assert len(stats["loss_history"]) == num_iters
    assert len(stats["train_acc_history"]) == epochs
    assert len(stats["val_acc_history"]) == epochs
    for acc in stats["train_acc_history"] + stats["val_acc_history"]:
        assert 0.0 <= acc <= 1.0


def test_last_val_accuracy_is_that_of_the_final_parameters():
    net, X, y = random_net(40, 6, 5, 3, seed=6)
    X_val, y_val = X[:15] + 0.1, y[:15]
    stats = net.train(X, y, X_val, y_val, learning_rate=0.05, num_iters=12, batch_size=10)  # 3 epochs exactly
    assert stats["val_acc_history"][-1] == np.mean(net.predict(X_val) == y_val)


class ConstantGradientNet(TwoLayerNet):
    """Loss 1 and gradient 1 everywhere, recording each minibatch: isolates train()'s bookkeeping."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches = []

    def loss(self, X, y=None, reg=0.0):
        if y is None:
            return np.zeros((len(X), self.params["W2"].shape[1]))
        self.batches.append((np.array(X), np.array(y)))
        return 1.0, {name: np.ones_like(p) for name, p in self.params.items()}


def test_sgd_steps_and_decay_once_per_epoch():
    np.random.seed(0)
    net = ConstantGradientNet(3, 2, 2, std=0.0)
    X, y = np.arange(30.0).reshape(10, 3), np.arange(10) % 2
    # 10 rows, batch 5: two steps per epoch, so the step sizes are 1, 1, 0.5, 0.5, 0.25.
    net.train(X, y, X, y, learning_rate=1.0, learning_rate_decay=0.5, num_iters=5, batch_size=5)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(net.params[name], -3.25)


def test_minibatches_are_drawn_from_the_data_with_replacement():
    np.random.seed(0)
    net = ConstantGradientNet(3, 2, 4, std=0.0)
    X, y = np.arange(12.0).reshape(4, 3), np.array([0, 1, 2, 3])
    net.train(X, y, X, y, learning_rate=1e-3, num_iters=6, batch_size=9)
    assert len(net.batches) == 6
    for X_batch, y_batch in net.batches:
        assert X_batch.shape == (9, 3) and y_batch.shape == (9,)
        rows = (X_batch[:, 0] / 3).astype(int)  # row i of X starts with 3 * i
        np.testing.assert_array_equal(X[rows], X_batch)
        np.testing.assert_array_equal(y[rows], y_batch)
    assert len({tuple(y_batch) for _, y_batch in net.batches}) > 1  # a fresh draw every step


def test_training_is_reproducible_under_a_seed():
    runs = []
    for _ in range(2):
        net, X, y = random_net(30, 5, 4, 3, seed=8)
        np.random.seed(123)
        stats = net.train(X, y, X, y, learning_rate=0.05, num_iters=10, batch_size=7)
        runs.append((stats["loss_history"], net.params["W1"].copy()))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_diverging_training_names_the_learning_rate():
    net, X, y = random_net(20, 5, 8, 3, seed=9)
    with pytest.raises(FloatingPointError, match="learning rate"):
        net.train(100 * X, y, X, y, learning_rate=1e6, num_iters=100, batch_size=10)


# ---- predict ----

def test_predict_returns_the_highest_scoring_class():
    net, X, _ = random_net(13, 6, 5, 4, seed=10)
    y_pred = net.predict(X)
    assert y_pred.shape == (13,)
    assert np.issubdtype(y_pred.dtype, np.integer)
    np.testing.assert_array_equal(y_pred, np.argmax(net.loss(X), axis=1))


def test_toy_predictions():
    net, X, _ = toy_net_and_data()
    np.testing.assert_array_equal(net.predict(X), np.argmax(TOY_SCORES, axis=1))


# ---- bad input ----

@pytest.mark.parametrize("kwargs, message", [
    ({"input_size": 0, "hidden_size": 3, "output_size": 2}, "input_size"),
    ({"input_size": 4, "hidden_size": 2.5, "output_size": 2}, "hidden_size"),
    ({"input_size": 4, "hidden_size": 3, "output_size": -1}, "output_size"),
    ({"input_size": 4, "hidden_size": 3, "output_size": 2, "std": -1.0}, "std"),
    ({"input_size": 4, "hidden_size": 3, "output_size": 2, "dtype": np.int64}, "dtype"),
])
def test_bad_constructor_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TwoLayerNet(**kwargs)


def test_loss_rejects_bad_input():
    net, X, y = toy_net_and_data()
    with pytest.raises(ValueError, match=r"reshape\(len\(X\), -1\)"):
        net.loss(X.reshape(5, 2, 2, 1))
    with pytest.raises(ValueError, match="4 columns.*input_size"):
        net.loss(X[:, :3])
    with pytest.raises(ValueError, match="5 labels"):
        net.loss(X, y[:4])
    with pytest.raises(ValueError, match=r"labels in 0\.\.2"):
        net.loss(X, np.array([0, 1, 2, 3, 1]))
    with pytest.raises(ValueError, match=r"labels in 0\.\.2"):
        net.loss(X, np.array([0, -1, 2, 2, 1]))
    with pytest.raises(ValueError, match="integer"):
        net.loss(X, y.astype(float))
    with pytest.raises(ValueError, match="reg"):
        net.loss(X, y, reg=-0.1)
    with pytest.raises(ValueError, match="empty batch"):
        net.loss(X[:0], y[:0])
    with pytest.raises(ValueError, match="2-D"):
        net.predict(X[0])


@pytest.mark.parametrize("kwargs, message", [
    ({"learning_rate": 0.0}, "learning_rate"),
    ({"learning_rate": float("nan")}, "learning_rate"),
    ({"learning_rate_decay": -0.5}, "learning_rate_decay"),
    ({"reg": -1.0}, "reg"),
    ({"num_iters": 0}, "num_iters"),
    ({"batch_size": 0}, "batch_size"),
    ({"batch_size": 10.0}, "batch_size"),
])
def test_train_rejects_bad_settings(kwargs, message):
    net, X, y = toy_net_and_data()
    with pytest.raises(ValueError, match=message):
        net.train(X, y, X, y, **kwargs)


def test_train_rejects_bad_data():
    net, X, y = toy_net_and_data()
    with pytest.raises(ValueError, match="X_val"):
        net.train(X, y, X[:, :3], y)
    with pytest.raises(ValueError, match="y_val"):
        net.train(X, y, X, y[:3])
    with pytest.raises(ValueError, match="X must be a batch of at least one row; got an empty batch"):
        net.train(X[:0], y[:0], X, y)
    with pytest.raises(ValueError, match="X_val must be a batch of at least one row"):
        net.train(X, y, X[:0], y[:0])


# --- issue 14: bad data that used to be answered silently or misleadingly ------------------------------------------


def test_train_names_non_finite_data_instead_of_reporting_divergence():
    net, X, y = toy_net_and_data()
    X = X.copy()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X must be an array of finite numbers; got 1 NaN.*row 3"):
        net.train(X, y, X[:0] + 1, y[:0])
    with pytest.raises(ValueError, match=r"X_val must be an array of finite numbers; got 1 NaN.*row 3"):
        net.train(np.nan_to_num(X), y, X, y)


def test_complex_input_is_refused():
    net, X, y = toy_net_and_data()
    with pytest.raises(ValueError, match="real numbers; got complex"):
        net.loss(X + 1j, y)
    with pytest.raises(ValueError, match="real numbers; got complex"):
        net.predict(X + 1j)


def test_the_loss_of_an_empty_batch_is_refused():
    net, X, y = toy_net_and_data()
    with pytest.raises(ValueError, match=r"at least one row; got an empty batch"):
        net.loss(X[:0], y[:0])
    assert net.loss(X[:0]).shape == (0, 3)  # scores of no rows are fine
