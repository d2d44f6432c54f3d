"""The CIFAR-10 data flow end to end on synthetic data: lookup, download from a server on 127.0.0.1, checksums,
atomic and safe extraction, the restricted unpickler, validation, locking, clean-up and the command line.

Batches here hold 20 images (2 per class) instead of 10000, and the archive is a small synthetic one: tests pass
images_per_batch, md5, url and datasets_dir as parameters (a separate test pins the real defaults). Name
resolution for anything but 127.0.0.1 fails, so nothing ever leaves the machine."""

import inspect
import io
import os
import pickle
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cs231n import cifar10, datasets
from tests.synthetic_cifar import (
    PROXY_VARIABLES,
    SMALL_BATCH,
    LocalServer,
    build_archive,
    py2_batch_pickle,
    synthetic_batches,
    write_folder,
)

ARCHIVE_PATH = "/kriz/cifar-10-python.tar.gz"
DEAD_URL = "http://127.0.0.1:9/no-default-downloads-in-tests.tar.gz"  # nothing listens on port 9
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Name resolution for anything but 127.0.0.1 fails, so no test can reach the real network by mistake."""
    resolve = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        if host not in ("127.0.0.1", b"127.0.0.1"):
            raise OSError(f"tests may only connect to 127.0.0.1, not {host!r}")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def env(monkeypatch, tmp_path):
    """An empty datasets/ folder and no $CS231N_DATASETS; returns the folder."""
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    datasets_dir = tmp_path / "datasets"
    datasets_dir.mkdir()
    return datasets_dir


@pytest.fixture
def archive(tmp_path):
    """A valid synthetic archive outside datasets/: (path, batches, md5)."""
    path = tmp_path / "synthetic.tar.gz"
    batches = synthetic_batches(seed=1)
    return path, batches, build_archive(path, batches)


@pytest.fixture
def http_server(monkeypatch):
    """A LocalServer for one test; proxies are bypassed for loopback."""
    for var in PROXY_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with LocalServer() as server:
        yield server


def small(datasets_dir, md5="0" * 32, **options):
    """ensure()'s keyword arguments for the synthetic dataset: no retries, and no URL that leads anywhere."""
    return {"url": DEAD_URL, "datasets_dir": datasets_dir, "md5": md5, "retries": 0,
            "images_per_batch": SMALL_BATCH} | options


def cli(argv, datasets_dir, md5="0" * 32):
    """main() on the synthetic dataset; returns the exit status."""
    return datasets.main(argv, datasets_dir=datasets_dir, md5=md5, retries=0, images_per_batch=SMALL_BATCH)


def listing(folder):
    """What a run left in a folder, apart from the lock file (which stays, as lock files do)."""
    return sorted(p.name for p in Path(folder).iterdir() if p.name != datasets.LOCK_NAME)


def assert_same_batches(folder, batches):
    for name, (data, labels) in batches.items():
        got_data, got_labels = datasets.read_batch(folder / name)
        np.testing.assert_array_equal(got_data, data)
        np.testing.assert_array_equal(got_labels, labels)


def one_error_line(err):
    """The single `error: ...` line a failing command printed (fails when there is none or more than one)."""
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, err
    return errors[0]


class Planted:
    """Unpickling this calls os.system, which creates the marker file."""

    def __init__(self, marker):
        self.command = f'echo planted > "{marker}"'

    def __reduce__(self):
        return os.system, (self.command,)


# --- the defaults are the real dataset's ----------------------------------------------------------------------


def test_defaults_describe_the_official_archive():
    assert datasets.URL == "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    assert datasets.MD5 == "c58f30108f718f92721af3b95e74349a"
    defaults = {name: p.default for name, p in inspect.signature(datasets.ensure).parameters.items()}
    assert defaults["url"] == datasets.URL and defaults["md5"] == datasets.MD5
    assert defaults["images_per_batch"] == 10000 and defaults["datasets_dir"] == ROOT / "datasets"
    assert inspect.signature(datasets.validate).parameters["images_per_batch"].default == 10000
    # The data constants have one home, cs231n.cifar10.
    assert datasets.BATCH_NAMES is cifar10.BATCH_NAMES and datasets.CLASSES is cifar10.CLASSES
    assert datasets.PIXELS == 3072 and datasets.NUM_CLASSES == 10


def test_validate_with_the_real_numbers_rejects_a_small_batch(tmp_path):
    write_folder(tmp_path / "cifar-10-batches-py")
    with pytest.raises(datasets.InvalidDatasetError, match=r"holds 20 images, expected 10000"):
        datasets.validate(tmp_path / "cifar-10-batches-py")


# --- reading batches ------------------------------------------------------------------------------------------


def test_read_batch_reads_the_python2_format(tmp_path):
    data, labels = synthetic_batches()["data_batch_1"]
    (tmp_path / "b").write_bytes(py2_batch_pickle(data, labels))
    got_data, got_labels = datasets.read_batch(tmp_path / "b")
    assert got_data.dtype == np.uint8 and got_data.shape == (SMALL_BATCH, 3072)
    assert got_labels.dtype == np.int64 and got_labels.shape == (SMALL_BATCH,)
    np.testing.assert_array_equal(got_data, data)
    np.testing.assert_array_equal(got_labels, labels)


def test_read_batch_reads_a_python3_pickle_without_filenames(tmp_path):
    data, labels = synthetic_batches()["test_batch"]
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        (tmp_path / "b").write_bytes(pickle.dumps({"data": data, "labels": labels.tolist()}, protocol=protocol))
        np.testing.assert_array_equal(datasets.read_batch(tmp_path / "b")[0], data)


def test_planted_pickle_is_refused_without_running(tmp_path):
    marker = tmp_path / "marker"
    payload = pickle.dumps({"data": Planted(marker), "labels": [0]}, protocol=2)
    (tmp_path / "data_batch_1").write_bytes(payload)
    with pytest.raises(datasets.UnsafePickleError, match=r"system.*never needs.*make data"):
        datasets.read_batch(tmp_path / "data_batch_1")
    assert not marker.exists()
    # Control: the payload is live, so the refusal above is what kept it from running.
    pickle.loads(payload)
    assert marker.exists()


@pytest.mark.parametrize("payload", [
    pickle.dumps({"data": eval, "labels": []}, protocol=2),
    pickle.dumps({"data": np.array([1, None], dtype=object), "labels": [0, 1]}, protocol=2),
    pickle.dumps({"data": np.zeros((1, 3072), np.uint8).view(np.recarray), "labels": [0]}, protocol=2),
], ids=["builtin-eval", "object-array", "ndarray-subclass"])
def test_pickles_beyond_plain_arrays_are_refused(tmp_path, payload):
    (tmp_path / "b").write_bytes(payload)
    with pytest.raises(datasets.UnsafePickleError, match=r"b is not a valid CIFAR-10 batch: it asks"):
        datasets.read_batch(tmp_path / "b")


def test_unsafe_pickle_error_is_an_unpickling_error():
    assert issubclass(datasets.UnsafePickleError, pickle.UnpicklingError)


@pytest.mark.parametrize(("payload", "message"), [
    (b"\x80\x02}q\x01(U\x04data", "cannot be unpickled"),
    (b"", "cannot be unpickled"),
    (pickle.dumps([1, 2, 3]), "not a dict with 'data' and 'labels'"),
    (pickle.dumps({"data": np.zeros((2, 3072), np.float32), "labels": [0, 1]}), r"uint8 array .* got float32"),
    (pickle.dumps({"data": np.zeros((2, 1024), np.uint8), "labels": [0, 1]}), r"shape \(N, 3072\)"),
    (pickle.dumps({"data": np.zeros((2, 3072), np.uint8), "labels": [0]}), r"'labels' should be 2 integers"),
    (pickle.dumps({"data": np.zeros((2, 3072), np.uint8), "labels": [0, 10]}), r"labels should lie in 0\.\.9"),
    (pickle.dumps({"data": np.zeros((2, 3072), np.uint8), "labels": [0.5, 1.0]}), r"'labels' should be"),
    (pickle.dumps({"data": np.zeros((2, 3072), np.uint8), "labels": [[0], [1, 2]]}), r"'labels' is not a list"),
])
def test_corrupt_batches_get_a_clear_error(tmp_path, payload, message):
    (tmp_path / "b").write_bytes(payload)
    with pytest.raises(datasets.InvalidDatasetError, match=message) as info:
        datasets.read_batch(tmp_path / "b")
    assert f"delete {tmp_path} and run `make data`" in str(info.value) and "\n" not in str(info.value)


def test_read_batch_of_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist; check the path, or run `make data`"):
        datasets.read_batch(tmp_path / "data_batch_1")


# --- validation -----------------------------------------------------------------------------------------------


def test_validate_counts_each_class(env):
    write_folder(env / "cifar-10-batches-py")
    counts = datasets.validate(env / "cifar-10-batches-py", images_per_batch=SMALL_BATCH)
    np.testing.assert_array_equal(counts["train"], np.full(10, 5 * SMALL_BATCH // 10))
    np.testing.assert_array_equal(counts["test"], np.full(10, SMALL_BATCH // 10))


def _unbalanced():
    batches = synthetic_batches()
    data, labels = batches["data_batch_3"]
    batches["data_batch_3"] = (data, np.where(labels == 9, 0, labels))
    return batches


@pytest.mark.parametrize(("make", "message"), [
    (_unbalanced, r"train split should hold 10 images of each class, got \[12, .*, 8\]"),
    (lambda: {**synthetic_batches(), "test_batch": synthetic_batches(images_per_batch=30)["test_batch"]},
     r"test_batch holds 30 images, expected 20"),
])
def test_validate_rejects_wrong_counts(env, make, message):
    write_folder(env / "cifar-10-batches-py", make())
    with pytest.raises(datasets.InvalidDatasetError, match=message):
        datasets.validate(env / "cifar-10-batches-py", images_per_batch=SMALL_BATCH)


def test_validate_rejects_a_missing_batch(env):
    folder = env / "cifar-10-batches-py"
    write_folder(folder)
    (folder / "data_batch_4").unlink()
    with pytest.raises(datasets.DatasetError, match=f"{folder} has no data_batch_4; delete {folder} and run"):
        datasets.validate(folder, images_per_batch=SMALL_BATCH)


# --- where the dataset is found ---------------------------------------------------------------------------------


def test_missing_dataset_names_make_data(env):
    with pytest.raises(FileNotFoundError) as info:
        datasets.cifar10_dir(env)
    assert isinstance(info.value, datasets.DatasetNotFoundError)
    assert str(info.value).startswith(f"CIFAR-10 not found: {env / 'cifar-10-batches-py'} does not exist; ")
    assert "make data" in str(info.value) and "python -m cs231n.datasets" in str(info.value)


def test_cifar10_dir_prefers_the_shared_copy(env, tmp_path, monkeypatch):
    write_folder(env / "cifar-10-batches-py")
    assert datasets.cifar10_dir(env) == env / "cifar-10-batches-py"
    write_folder(tmp_path / "shared" / "cifar-10-batches-py")
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "shared"))
    assert datasets.cifar10_dir(env) == tmp_path / "shared" / "cifar-10-batches-py"


def test_cifar10_dir_reports_an_incomplete_folder(env):
    write_folder(env / "cifar-10-batches-py")
    (env / "cifar-10-batches-py" / "test_batch").unlink()
    with pytest.raises(datasets.DatasetNotFoundError, match="has no test_batch; delete .* and run `make data`"):
        datasets.cifar10_dir(env)


def test_shared_copy_is_used_in_place_and_never_written(env, tmp_path, monkeypatch, archive):
    shared = tmp_path / "shared" / "cifar-10-batches-py"
    batches = write_folder(shared)
    before = {p.name: p.stat().st_mtime_ns for p in shared.iterdir()}
    monkeypatch.setenv(datasets.ENV_VAR, str(shared.parent))
    (env / "cifar-10-python.tar.gz").write_bytes(archive[0].read_bytes())  # would be used if lookup fell through
    folder, source, _ = datasets.ensure(**small(env, archive[2]))
    assert folder == shared and "used in place" in source
    assert datasets.check(env, SMALL_BATCH)[0] == shared and datasets.cifar10_dir(env) == shared
    assert {p.name: p.stat().st_mtime_ns for p in shared.iterdir()} == before
    assert sorted(p.name for p in shared.parent.iterdir()) == ["cifar-10-batches-py"]
    assert sorted(p.name for p in env.iterdir()) == ["cifar-10-python.tar.gz"]  # no lock file either
    assert_same_batches(shared, batches)


def test_a_variable_naming_the_batches_folder_itself_is_accepted(env, tmp_path, monkeypatch):
    write_folder(tmp_path / "shared" / "cifar-10-batches-py")
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "shared" / "cifar-10-batches-py"))
    assert datasets.cifar10_dir(env) == tmp_path / "shared" / "cifar-10-batches-py"


@pytest.mark.parametrize(("damage", "problem", "fix"), [
    (lambda shared: (shared / "test_batch").unlink(), "has no test_batch", "repair the copy CS231N_DATASETS points to"),
    (shutil.rmtree, "does not exist", "point CS231N_DATASETS at the folder that contains cifar-10-batches-py/"),
], ids=["partial-copy", "no-copy"])
def test_a_set_variable_is_authoritative(env, tmp_path, monkeypatch, capsys, damage, problem, fix):
    # One rule for the notebooks' lookup, `make data` and --check: a broken shared copy is reported by all three
    # in the same words, even though a good copy sits in datasets/.
    write_folder(env / "cifar-10-batches-py")
    shared = tmp_path / "shared" / "cifar-10-batches-py"
    write_folder(shared)
    damage(shared)
    monkeypatch.setenv(datasets.ENV_VAR, str(shared.parent))
    messages = []
    for call in (lambda: datasets.cifar10_dir(env), lambda: datasets.check(env, SMALL_BATCH),
                 lambda: datasets.ensure(**small(env))):
        with pytest.raises(datasets.DatasetNotFoundError) as info:
            call()
        messages.append(str(info.value))
    assert messages[0] == messages[1] == messages[2]
    assert f"{shared} {problem}; {fix}" in messages[0] and "or unset CS231N_DATASETS" in messages[0]
    assert cli([], env) == 1 and cli(["--check"], env) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: {messages[0]}"] * 2


def test_a_broken_shared_copy_is_reported_not_skipped(env, tmp_path, monkeypatch):
    shared = tmp_path / "shared" / "cifar-10-batches-py"
    write_folder(shared)
    (shared / "data_batch_2").write_bytes(b"garbage")
    monkeypatch.setenv(datasets.ENV_VAR, str(shared.parent))
    with pytest.raises(datasets.InvalidDatasetError, match=f"data_batch_2 is not a valid.*unset {datasets.ENV_VAR}"):
        datasets.ensure(**small(env))
    assert listing(env) == []


def test_checkout_folder_comes_before_an_archive(env, archive, http_server, capsys):
    batches = write_folder(env / "cifar-10-batches-py")
    (env / "cifar-10-python.tar.gz").write_bytes(b"not even an archive")
    folder, source, _ = datasets.ensure(**small(env, url=http_server.url(ARCHIVE_PATH)))
    assert folder == env / "cifar-10-batches-py" and source == "already in place"
    assert_same_batches(folder, batches)
    assert http_server.hits == [] and "already exists, so nothing is extracted" in capsys.readouterr().err
    assert sorted(p.name for p in env.iterdir()) == ["cifar-10-batches-py", "cifar-10-python.tar.gz"]  # no lock


# --- a hand-placed archive --------------------------------------------------------------------------------------


def test_hand_placed_archive_is_verified_and_extracted(env, archive, http_server):
    path, batches, md5 = archive
    (env / "cifar-10-python.tar.gz").write_bytes(path.read_bytes())
    folder, source, counts = datasets.ensure(**small(env, md5, url=http_server.url(ARCHIVE_PATH)))
    assert folder == env / "cifar-10-batches-py" and "cifar-10-python.tar.gz" in source
    assert_same_batches(folder, batches)
    assert counts["train"].sum() == 5 * SMALL_BATCH
    assert listing(env) == ["cifar-10-batches-py", "cifar-10-python.tar.gz"]  # the user's file is kept
    assert http_server.hits == []


def test_hand_placed_archive_with_a_wrong_checksum_is_not_extracted(env, archive):
    path, _, md5 = archive
    (env / "cifar-10-python.tar.gz").write_bytes(path.read_bytes()[:-100])
    with pytest.raises(datasets.ChecksumError, match=rf"md5 .* expected {md5}.*delete it and run `make data`"):
        datasets.ensure(**small(env, md5))
    assert listing(env) == ["cifar-10-python.tar.gz"]


def test_from_archive_extracts_a_file_saved_elsewhere(env, archive, capsys):
    path, batches, md5 = archive
    assert cli(["--from-archive", str(path)], env, md5) == 0
    assert "CIFAR-10 OK" in capsys.readouterr().out
    assert_same_batches(env / "cifar-10-batches-py", batches)
    assert listing(env) == ["cifar-10-batches-py"] and path.exists()


def test_from_archive_that_does_not_exist(env, tmp_path, capsys):
    assert cli(["--from-archive", str(tmp_path / "nope.tar.gz")], env) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "nope.tar.gz does not exist" in err


def test_from_archive_given_a_folder_says_so(env, tmp_path, capsys):
    # Issue 14, item 4: this was "... does not exist".
    assert cli(["--from-archive", str(tmp_path)], env) == 1
    assert one_error_line(capsys.readouterr().err) == (f"error: {tmp_path} is a folder, not an archive; give the "
                                                       "path of the file cifar-10-python.tar.gz itself")


# --- downloads from the local server ----------------------------------------------------------------------------


def test_download_verify_extract(env, archive, http_server):
    path, batches, md5 = archive
    url = http_server.serve(ARCHIVE_PATH, ("ok", path.read_bytes()))
    folder, source, counts = datasets.ensure(**small(env, md5, url=url))
    assert folder == env / "cifar-10-batches-py" and source == f"downloaded from {url}"
    assert_same_batches(folder, batches)
    np.testing.assert_array_equal(counts["test"], np.full(10, 2))
    assert listing(env) == ["cifar-10-batches-py"]  # the downloaded archive is not kept
    assert http_server.hits == [ARCHIVE_PATH]
    datasets.ensure(**small(env, md5, url=url))  # idempotent: a second run finds the folder and downloads nothing
    assert http_server.hits == [ARCHIVE_PATH]


def test_download_through_the_cli_with_a_mirror_url(env, archive, http_server, capsys):
    url = http_server.serve("/mirror/c10.tgz", ("ok", archive[0].read_bytes()))
    assert cli(["--url", url], env, archive[2]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("CIFAR-10 OK: ") and captured.out.count("\n") == 1
    assert "Downloading CIFAR-10" in captured.err
    assert_same_batches(env / "cifar-10-batches-py", archive[1])


def test_checksum_mismatch_leaves_nothing(env, archive, http_server, capsys):
    url = http_server.serve(ARCHIVE_PATH, ("ok", archive[0].read_bytes()))
    with pytest.raises(datasets.ChecksumError, match=r"does not have the CIFAR-10 md5 0{32}.*make data"):
        datasets.ensure(**small(env, "0" * 32, url=url))
    assert listing(env) == []
    assert cli(["--url", url], env, "0" * 32) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("error: ") and "md5" in last and "make data" in last
    assert listing(env) == []


def test_truncated_download_keeps_only_a_partial_file_and_resumes(env, archive, http_server):
    body, md5 = archive[0].read_bytes(), archive[2]
    url = http_server.serve(ARCHIVE_PATH, ("truncate", body), ("ok", body))
    with pytest.raises(datasets.DatasetError, match=r"run `make data` again \(it resumes from what arrived\)"):
        datasets.ensure(**small(env, md5, url=url))
    assert listing(env) == ["cifar-10-python.tar.gz.part"]  # not the archive's name, not a dataset folder
    arrived = (env / "cifar-10-python.tar.gz.part").read_bytes()
    assert 0 < len(arrived) <= len(body) // 2 and body.startswith(arrived)
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.cifar10_dir(env)
    folder, _, _ = datasets.ensure(**small(env, md5, url=url))  # the next run asks only for the rest
    assert http_server.ranges == [None, f"bytes={len(arrived)}-"]
    assert_same_batches(folder, archive[1])
    assert listing(env) == ["cifar-10-batches-py"]


def test_truncated_download_is_retried_from_where_it_stopped(env, archive, http_server, monkeypatch):
    import pooch.core

    monkeypatch.setattr(pooch.core, "time", type("NoWait", (), {"sleep": staticmethod(lambda seconds: None)}))
    body = archive[0].read_bytes()
    url = http_server.serve(ARCHIVE_PATH, ("truncate", body), ("ok", body))
    folder, _, _ = datasets.ensure(**small(env, archive[2], url=url, retries=1))
    assert http_server.hits == [ARCHIVE_PATH, ARCHIVE_PATH]
    first, second = http_server.ranges
    assert first is None and 0 < int(second[6:-1]) <= len(body) // 2
    assert_same_batches(folder, archive[1])


def test_a_server_that_ignores_ranges_starts_over(env, archive, http_server):
    (env / "cifar-10-python.tar.gz.part").write_bytes(b"x" * 100)
    url = http_server.serve(ARCHIVE_PATH, ("no-range", archive[0].read_bytes()))
    assert_same_batches(datasets.ensure(**small(env, archive[2], url=url))[0], archive[1])
    assert http_server.ranges == ["bytes=100-"] and listing(env) == ["cifar-10-batches-py"]


def test_a_complete_partial_file_is_verified_not_downloaded_again(env, archive, http_server):
    (env / "cifar-10-python.tar.gz.part").write_bytes(archive[0].read_bytes())
    url = http_server.serve(ARCHIVE_PATH, ("ok", archive[0].read_bytes()))  # answers 416 to a range past the end
    assert_same_batches(datasets.ensure(**small(env, archive[2], url=url))[0], archive[1])
    assert listing(env) == ["cifar-10-batches-py"]


def test_a_wrong_partial_file_fails_the_checksum_and_is_discarded(env, archive, http_server):
    body, md5 = archive[0].read_bytes(), archive[2]
    (env / "cifar-10-python.tar.gz.part").write_bytes(bytes(len(body) // 3))  # zeros: not the archive's start
    url = http_server.serve(ARCHIVE_PATH, ("ok", body))
    with pytest.raises(datasets.ChecksumError, match="nothing was kept"):
        datasets.ensure(**small(env, md5, url=url))
    assert listing(env) == []
    assert_same_batches(datasets.ensure(**small(env, md5, url=url))[0], archive[1])  # the next run starts afresh


def test_interrupted_download_leaves_only_a_partial_file(env, archive, http_server, monkeypatch, capsys):
    import urllib3

    read1 = urllib3.HTTPResponse.read1

    def first_chunk_then_ctrl_c(self, amt=None, **kwargs):
        if getattr(self, "_interrupt", False):
            raise KeyboardInterrupt
        self._interrupt = True
        return read1(self, 1000, **kwargs)

    monkeypatch.setattr(urllib3.HTTPResponse, "read1", first_chunk_then_ctrl_c)
    url = http_server.serve(ARCHIVE_PATH, ("ok", archive[0].read_bytes()))
    assert cli(["--url", url], env, archive[2]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == ("error: interrupted; run `make data` again (a download "
                                                        "resumes where it stopped)")
    assert listing(env) == ["cifar-10-python.tar.gz.part"]
    arrived = (env / "cifar-10-python.tar.gz.part").stat().st_size
    assert 0 < arrived <= 1000
    monkeypatch.setattr(urllib3.HTTPResponse, "read1", read1)
    assert cli(["--url", url], env, archive[2]) == 0
    assert http_server.ranges == [None, f"bytes={arrived}-"] and listing(env) == ["cifar-10-batches-py"]


def test_a_trickling_server_is_given_up(env, archive, http_server):
    # Issue 14, item 2: a byte every 50 ms never trips a per-read timeout; the stall rule looks at the whole
    # transfer (here: fewer than 1000 bytes in 0.3 s).
    url = http_server.serve(ARCHIVE_PATH, ("trickle", archive[0].read_bytes()))
    start = time.monotonic()
    with pytest.raises(datasets.DatasetError, match=r"ReadTimeout: the transfer stalled: fewer than 1000 bytes "
                                                    r"arrived in 0\.3 s\); check the connection") as info:
        datasets.ensure(**small(env, archive[2], url=url, stall_seconds=0.3, stall_bytes=1000))
    assert time.monotonic() - start < 5  # typically 0.3 s; without the rule, hours
    assert "it resumes from what arrived" in str(info.value)
    assert listing(env) == ["cifar-10-python.tar.gz.part"]
    assert 0 < (env / "cifar-10-python.tar.gz.part").stat().st_size < 1000


def test_a_content_length_that_is_no_number_is_treated_as_unknown(env, archive, http_server, capsys):
    # Issue 14, item 3: was an uncaught ValueError; the md5 still decides whether the file is whole.
    url = http_server.serve(ARCHIVE_PATH, ("bad-length", archive[0].read_bytes()))
    assert cli(["--url", url], env, archive[2]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert_same_batches(env / "cifar-10-batches-py", archive[1])


def test_a_full_disk_gets_a_one_line_error(env, archive, monkeypatch, capsys):
    import tempfile

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", no_space)
    assert cli(["--from-archive", str(archive[0])], env, archive[2]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"error: [Errno 28] No space left on device; free some disk space or fix the "
                           f"permissions of {env}")
    assert listing(env) == []


def test_http_error_names_the_alternatives(env, http_server):
    url = http_server.serve(ARCHIVE_PATH, ("status", 404))
    with pytest.raises(datasets.DatasetError, match=r"could not download .*--url.*browser") as info:
        datasets.ensure(**small(env, url=url))
    assert "404" in str(info.value)
    assert listing(env) == []


def test_the_network_guard_works(env):
    with pytest.raises(datasets.DatasetError, match="tests may only connect to 127.0.0.1"):
        datasets.ensure(**small(env, url="https://example.invalid/cifar-10-python.tar.gz"))


@pytest.mark.parametrize(("url", "message"), [
    ("file:///etc/passwd", "give a full http://, https:// or ftp:// URL with --url"),
    ("127.0.0.1/cifar.tgz", "give a full http://, https:// or ftp:// URL with --url"),
    ("http://[::1", r"not a valid URL \(Invalid IPv6 URL\)"),
    ("http://127.0.0.1:99999/x", r"not a valid URL \(Port out of range"),
    ("", r"the download URL is empty; give a mirror's full address with --url, or leave --url out"),
], ids=["scheme", "no-scheme", "ipv6", "port", "empty"])
def test_a_bad_url_is_named_before_anything_is_fetched(env, url, message, capsys):
    # Issue 14, items 4 and 12: these were "free some disk space ...", and --url "" used the official URL.
    assert cli(["--url", url], env) == 1
    line = one_error_line(capsys.readouterr().err)
    assert re.search(message, line) and "disk space" not in line and "could not download" not in line
    assert listing(env) == []


# --- leftovers and two runs at once -----------------------------------------------------------------------------


def test_what_earlier_runs_left_is_cleaned_and_nothing_else(env, archive):
    # Issue 14, item 5: pooch's temporary file of a killed download, a staging folder, and a downloaded archive
    # whose extraction another run finished are ours; a user's archive and other files are not.
    write_folder(env / "cifar-10-batches-py")
    for name in ("tmpab_3x9k2", "cifar-10-python.tar.gz.downloaded", "cifar-10-python.tar.gz.part"):
        (env / name).write_bytes(b"")
    write_folder(env / f"{datasets.STAGING_PREFIX}abc" / "cifar-10-batches-py")
    for name in ("cifar-10-python.tar.gz", "tmp-notes.txt", "tmpfolder123"):
        (env / name).write_bytes(b"mine")
    datasets.ensure(**small(env))
    assert listing(env) == ["cifar-10-batches-py", "cifar-10-python.tar.gz", "tmp-notes.txt", "tmpfolder123"]


def test_an_archive_downloaded_before_a_failed_extraction_is_used_then_deleted(env, archive, http_server,
                                                                                monkeypatch, capsys):
    # Issue 14, item 5: it used to stay for good (163 MiB), taken for a hand-placed archive.
    path, batches, md5 = archive
    url = http_server.serve(ARCHIVE_PATH, ("ok", path.read_bytes()))
    copy = tarfile.copyfileobj

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(tarfile, "copyfileobj", ctrl_c)
    assert cli(["--url", url], env, md5) == 1
    assert listing(env) == ["cifar-10-python.tar.gz.downloaded"]
    monkeypatch.setattr(tarfile, "copyfileobj", copy)
    assert cli(["--url", url], env, md5) == 0
    assert "downloaded by an earlier run" in capsys.readouterr().err
    assert http_server.hits == [ARCHIVE_PATH]  # not downloaded again
    assert listing(env) == ["cifar-10-batches-py"]
    assert_same_batches(env / "cifar-10-batches-py", batches)


def _ensure_in_a_process(datasets_dir, md5, url=DEAD_URL):
    """ensure() on the synthetic dataset in a fresh Python process (started, not waited for)."""
    options = {"url": url, "datasets_dir": str(datasets_dir), "md5": md5, "retries": 0,
               "images_per_batch": SMALL_BATCH}
    code = f"import cs231n.datasets as d; d.ensure(**{options!r})"
    environ = {k: v for k, v in os.environ.items() if k not in (*PROXY_VARIABLES, datasets.ENV_VAR)}
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=environ | {"NO_PROXY": "127.0.0.1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_a_killed_download_is_cleaned_up_and_resumed(env, archive, http_server):
    # Issue 14, item 5: kill -9 leaves pooch's temporary file (tmpXXXXXXXX) and our lock; the next run removes
    # the first, is not blocked by the second (the OS released it), and resumes from the partial file.
    path, batches, md5 = archive
    http_server.trickle_seconds = 0.001
    url = http_server.serve(ARCHIVE_PATH, ("trickle", path.read_bytes()), ("ok", path.read_bytes()))
    process = _ensure_in_a_process(env, md5, url)
    part = env / "cifar-10-python.tar.gz.part"
    deadline = time.monotonic() + 10
    while not part.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    left = listing(env)
    assert len(left) == 2 and left[0] == "cifar-10-python.tar.gz.part" and datasets.POOCH_TEMPORARY.fullmatch(left[1])
    arrived = part.stat().st_size
    datasets.ensure(**small(env, md5, url=url))
    assert http_server.ranges == [None, f"bytes={arrived}-" if arrived else None]
    assert listing(env) == ["cifar-10-batches-py"]
    assert_same_batches(env / "cifar-10-batches-py", batches)


def test_two_runs_at_once_take_turns(env, archive, http_server, monkeypatch):
    # Issue 14, item 1: the second run used to download into the same .part file and delete the first run's
    # staging folder. Now it waits for the lock (saying so), then uses the first run's result.
    path, batches, md5 = archive
    url = http_server.serve(ARCHIVE_PATH, ("gate", path.read_bytes()))
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    results = {}

    def run(name):
        results[name] = datasets.ensure(**small(env, md5, url=url))

    first = threading.Thread(target=run, args=("first",))
    first.start()
    while not http_server.hits:  # the first run holds the lock and is downloading
        time.sleep(0.01)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    deadline = time.monotonic() + 2
    while "waiting" not in stderr.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    http_server.gate.set()
    first.join(5)
    second.join(5)
    waits = [line for line in stderr.getvalue().splitlines() if "waiting" in line]
    assert waits == [f"Another run is setting up CIFAR-10 in {env}; waiting for it to finish"]
    assert results["first"][1] == f"downloaded from {url}" and results["second"][1] == "already in place"
    assert http_server.hits == [ARCHIVE_PATH]
    assert listing(env) == ["cifar-10-batches-py"]
    assert_same_batches(env / "cifar-10-batches-py", batches)


def test_two_processes_extracting_at_once_both_succeed(env, tmp_path):
    # Issue 14, item 1, as `make data` in two terminals: the loser used to fail with "[Errno 2] ... free some
    # disk space or fix the permissions" after the winner deleted its staging folder.
    path = tmp_path / "bigger.tar.gz"
    md5 = build_archive(path, synthetic_batches())
    (env / "cifar-10-python.tar.gz").write_bytes(path.read_bytes())
    processes = [_ensure_in_a_process(env, md5) for _ in range(3)]
    errors = [p.communicate(timeout=20)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], errors
    assert listing(env) == ["cifar-10-batches-py", "cifar-10-python.tar.gz"]


# --- extraction: atomic and confined to the target --------------------------------------------------------------


def test_interrupted_extraction_leaves_no_folder(env, archive, monkeypatch):
    path, batches, md5 = archive
    (env / "cifar-10-python.tar.gz").write_bytes(path.read_bytes())
    copy, calls = tarfile.copyfileobj, []

    def copy_then_interrupt(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:  # three batches are already on disk
            raise KeyboardInterrupt
        return copy(*args, **kwargs)

    monkeypatch.setattr(tarfile, "copyfileobj", copy_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        datasets.ensure(**small(env, md5))
    assert listing(env) == ["cifar-10-python.tar.gz"]
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.cifar10_dir(env)
    monkeypatch.setattr(tarfile, "copyfileobj", copy)
    assert datasets.ensure(**small(env, md5))[0] == env / "cifar-10-batches-py"  # the next run starts cleanly
    assert_same_batches(env / "cifar-10-batches-py", batches)


def test_leftovers_of_a_killed_run_do_not_count(env, archive):
    staging = env / f"{datasets.STAGING_PREFIX}abc" / "cifar-10-batches-py"
    write_folder(staging)  # even complete-looking files in a staging folder are not the dataset
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.cifar10_dir(env)
    datasets.ensure(**small(env, archive[2], archive=archive[0]))
    assert listing(env) == ["cifar-10-batches-py"]  # and they are swept up by the next run


def test_an_invalid_archive_leaves_nothing(env, tmp_path):
    path = tmp_path / "bad.tar.gz"
    batches = synthetic_batches()
    del batches["data_batch_5"]
    md5 = build_archive(path, batches)
    with pytest.raises(datasets.InvalidDatasetError, match="not the CIFAR-10 python archive: its "
                                                           "cifar-10-batches-py/ has no data_batch_5; the archive"):
        datasets.ensure(**small(env, md5, archive=path))
    assert listing(env) == []


def test_members_outside_the_batches_folder_are_skipped(env, tmp_path):
    path = tmp_path / "extra.tar.gz"
    readme = tarfile.TarInfo("readme.txt")
    readme.size = 2
    nested = tarfile.TarInfo("cifar-10-batches-py/sub/data_batch_1")
    nested.size = 2
    md5 = build_archive(path, extra_members=[(readme, b"hi"), (nested, b"no")])
    datasets.ensure(**small(env, md5, archive=path))
    assert listing(env) == ["cifar-10-batches-py"]
    assert sorted(p.name for p in (env / "cifar-10-batches-py").iterdir()) == sorted(cifar10.BATCH_NAMES)


def test_a_corrupt_gzip_stream_gets_a_clear_error(env, tmp_path):
    import hashlib

    path = tmp_path / "bad.tar.gz"
    build_archive(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(datasets.DatasetError, match="cannot extract .*damaged"):
        datasets.ensure(**small(env, hashlib.md5(path.read_bytes()).hexdigest(), archive=path))
    assert listing(env) == []


def _member(name, kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    payload = b"owned" if kind == tarfile.REGTYPE else None
    info.size = len(payload) if payload else 0
    return info, payload


@pytest.mark.parametrize("with_filters", [True, False], ids=["tarfile-data-filter", "no-filters"])
@pytest.mark.parametrize(("member", "problem"), [
    (_member("cifar-10-batches-py/../../escaped.txt"), "would land outside the dataset folder"),
    (_member("../escaped.txt"), "would land outside the dataset folder"),
    (_member("/tmp/cs231n-absolute-escape.txt"), "has an absolute path"),
    (_member("C:/escape.txt"), "has an absolute path"),
    (_member("cifar-10-batches-py/readme.html", tarfile.SYMTYPE, "/etc/passwd"), "is a link"),
    (_member("cifar-10-batches-py/batches.meta", tarfile.SYMTYPE, "data_batch_1"), "is a link"),
    (_member("cifar-10-batches-py/batches.meta", tarfile.LNKTYPE, "/etc/passwd"), "is a link"),
    (_member("cifar-10-batches-py/dev", tarfile.CHRTYPE), "is a device or pipe"),
    (_member("cifar-10-batches-py/fifo", tarfile.FIFOTYPE), "is a device or pipe"),
], ids=["dotdot-inside", "dotdot", "absolute", "drive", "symlink", "inner-symlink", "hardlink", "device", "fifo"])
# Without filters, extractall() on Python 3.12+ warns that 3.14 will filter by default: the fallback is for older
# Pythons, where nothing warns; real runs on 3.12+ always pass filter="data".
@pytest.mark.filterwarnings("ignore:Python 3.14 will, by default, filter:DeprecationWarning")
def test_members_that_could_escape_are_refused(env, tmp_path, monkeypatch, capsys, member, problem, with_filters):
    # With tarfile's 'data' filter (Python 3.12+, 3.11.4+, 3.10.12+) and with the fallback for older Pythons.
    if not with_filters:
        monkeypatch.delattr(tarfile, "data_filter")
    path = tmp_path / "evil.tar.gz"
    md5 = build_archive(path, extra_members=[member])
    with pytest.raises(datasets.UnsafeArchiveError, match=f"its member '{member[0].name}' {problem}; nothing was"):
        datasets.ensure(**small(env, md5, archive=path))
    assert listing(env) == []
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/cs231n-absolute-escape.txt").exists()
    assert cli(["--from-archive", str(path)], env, md5) == 1
    assert one_error_line(capsys.readouterr().err).startswith(f"error: refusing to extract {path}")


def test_planted_pickle_in_an_archive_is_refused_without_running(env, tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "planted.tar.gz"
    planted = pickle.dumps({"data": Planted(marker), "labels": [0]}, protocol=2)
    md5 = build_archive(path, overrides={"data_batch_2": planted})
    with pytest.raises(datasets.UnsafePickleError, match=r"planted\.tar\.gz:cifar-10-batches-py/data_batch_2 is"):
        datasets.ensure(**small(env, md5, archive=path))
    assert not marker.exists()
    assert listing(env) == []


# --- a dataset folder that is not what it should be (issue 14, item 4) -----------------------------------------


def test_a_folder_where_a_batch_should_be(env, capsys):
    folder = env / "cifar-10-batches-py"
    write_folder(folder)
    (folder / "data_batch_4").unlink()
    (folder / "data_batch_4").mkdir()
    expected = (f"error: {folder} holds a folder where the batch file data_batch_4 should be; delete {folder} and "
                "run `make data`")
    for argv in (["--check"], []):
        assert cli(argv, env) == 1
        assert one_error_line(capsys.readouterr().err).startswith(expected)
    with pytest.raises(datasets.DatasetNotFoundError, match="holds a folder where the batch file data_batch_4"):
        datasets.cifar10_dir(env)


def test_a_file_where_the_dataset_folder_should_be(env, capsys):
    (env / "cifar-10-batches-py").write_text("oops")
    for argv in (["--check"], []):
        assert cli(argv, env) == 1
        assert one_error_line(capsys.readouterr().err) == (
            f"error: {env / 'cifar-10-batches-py'} is a file, not a folder; delete {env / 'cifar-10-batches-py'} and "
            "run `make data` (or `python -m cs231n.datasets`) to fetch a fresh copy")


# --- the command line -------------------------------------------------------------------------------------------


def test_check_prints_the_split_and_per_class_counts(env, tmp_path, monkeypatch, capsys):
    write_folder(tmp_path / "shared" / "cifar-10-batches-py")
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "shared"))
    assert cli(["--check"], env) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("CIFAR-10 OK: ") and "100 training and 20 test images" in lines[0]
    assert lines[1].split() == ["split", "images", *cifar10.CLASSES]
    assert lines[2].split() == ["train", "100"] + ["10"] * 10
    assert lines[3].split() == ["test", "20"] + ["2"] * 10


def test_check_never_downloads_or_extracts(env, archive, http_server, capsys):
    (env / "cifar-10-python.tar.gz").write_bytes(archive[0].read_bytes())
    assert cli(["--check"], env, archive[2]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: CIFAR-10 not found") and "make data" in err
    assert sorted(p.name for p in env.iterdir()) == ["cifar-10-python.tar.gz"] and http_server.hits == []


def test_check_reports_an_invalid_folder(env, capsys):
    write_folder(env / "cifar-10-batches-py", overrides={"test_batch": b"\x80\x02garbage"})
    assert cli(["--check"], env) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "test_batch" in err
    assert f"delete {env / 'cifar-10-batches-py'} and run `make data`" in err


def test_check_does_not_combine_with_download_options(env):
    with pytest.raises(SystemExit) as info:
        datasets.main(["--check", "--url", "http://127.0.0.1/x"])
    assert info.value.code == 2


def _run(args, env_vars):
    environ = {k: v for k, v in os.environ.items() if k != datasets.ENV_VAR} | env_vars
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=environ, timeout=60, cwd=ROOT)


def test_module_entry_point_exit_code_and_one_line_error(env):
    # A real `python -m cs231n.datasets` in a fresh process, pointed at a folder that fails validation.
    write_folder(env / "shared" / "cifar-10-batches-py")
    result = _run(["-m", "cs231n.datasets", "--check"], {datasets.ENV_VAR: str(env / "shared")})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "holds 20 images, expected 10000" in result.stderr and f"unset {datasets.ENV_VAR}" in result.stderr


def test_missing_dataset_in_a_fresh_process(env):
    code = "import sys, cs231n.datasets as d; sys.exit(d.main(['--check'], datasets_dir=sys.argv[1]))"
    result = _run(["-c", code, str(env)], {})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "CIFAR-10 not found" in result.stderr and "make data" in result.stderr
