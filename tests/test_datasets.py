"""The CIFAR-10 data flow end to end on synthetic data: lookup order, download from a server on 127.0.0.1,
checksums, atomic and safe extraction, the restricted unpickler, validation and the command line.

Batches here hold 20 images (2 per class) instead of 10000; datasets.IMAGES_PER_BATCH is shrunk to match, and
a separate test pins the real numbers. URL and MD5 are pointed at loopback and at the synthetic archive, so
nothing ever leaves the machine."""

import os
import pickle
import socket
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from conftest import SMALL_BATCH, build_archive, py2_batch_pickle, synthetic_batches, write_folder
from cs231n import datasets

ARCHIVE_PATH = "/kriz/cifar-10-python.tar.gz"


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
    """An empty datasets/ folder, no $CS231N_DATASETS, small batches, no retries, no real URL."""
    datasets_dir = tmp_path / "datasets"
    datasets_dir.mkdir()
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    monkeypatch.setattr(datasets, "DATASETS_DIR", datasets_dir)
    monkeypatch.setattr(datasets, "IMAGES_PER_BATCH", SMALL_BATCH)
    monkeypatch.setattr(datasets, "DOWNLOAD_RETRIES", 0)
    monkeypatch.setattr(datasets, "URL", "http://127.0.0.1:9/no-default-downloads-in-tests.tar.gz")
    return datasets_dir


@pytest.fixture
def archive(env, tmp_path, monkeypatch):
    """A valid synthetic archive outside datasets/, with MD5 set to its checksum. Returns (path, batches)."""
    path = tmp_path / "synthetic.tar.gz"
    batches = synthetic_batches(seed=1)
    monkeypatch.setattr(datasets, "MD5", build_archive(path, batches))
    return path, batches


def listing(folder):
    return sorted(p.name for p in Path(folder).iterdir())


def assert_same_batches(folder, batches):
    for name, (data, labels) in batches.items():
        got_data, got_labels = datasets.read_batch(folder / name)
        np.testing.assert_array_equal(got_data, data)
        np.testing.assert_array_equal(got_labels, labels)


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
    assert datasets.IMAGES_PER_BATCH == 10000 and datasets.PIXELS == 3072 and datasets.NUM_CLASSES == 10
    assert datasets.BATCH_NAMES == (*(f"data_batch_{i}" for i in range(1, 6)), "test_batch")


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
    with pytest.raises(datasets.UnsafePickleError):
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
    assert "make data" in str(info.value) and "\n" not in str(info.value)


def test_read_batch_of_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist; check the path, or run `make data`"):
        datasets.read_batch(tmp_path / "data_batch_1")


# --- validation -----------------------------------------------------------------------------------------------


def test_validate_counts_each_class(env):
    write_folder(env / "cifar-10-batches-py")
    counts = datasets.validate(env / "cifar-10-batches-py")
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
        datasets.validate(env / "cifar-10-batches-py")


def test_validate_rejects_a_missing_batch(env):
    folder = env / "cifar-10-batches-py"
    write_folder(folder)
    (folder / "data_batch_4").unlink()
    with pytest.raises(datasets.DatasetError, match="data_batch_4.*missing"):
        datasets.validate(folder)


# --- where the dataset is found ---------------------------------------------------------------------------------


def test_missing_dataset_names_make_data(env):
    with pytest.raises(FileNotFoundError) as info:
        datasets.cifar10_dir()
    assert isinstance(info.value, datasets.DatasetNotFoundError)
    assert "make data" in str(info.value) and "python -m cs231n.datasets" in str(info.value)


def test_cifar10_dir_prefers_the_shared_copy(env, tmp_path, monkeypatch):
    write_folder(env / "cifar-10-batches-py")
    assert datasets.cifar10_dir() == env / "cifar-10-batches-py"
    write_folder(tmp_path / "shared" / "cifar-10-batches-py")
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "shared"))
    assert datasets.cifar10_dir() == tmp_path / "shared" / "cifar-10-batches-py"


def test_cifar10_dir_skips_an_incomplete_folder(env):
    write_folder(env / "cifar-10-batches-py")
    (env / "cifar-10-batches-py" / "test_batch").unlink()
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.cifar10_dir()


def test_shared_copy_is_used_in_place_and_never_written(env, tmp_path, monkeypatch, archive):
    shared = tmp_path / "shared" / "cifar-10-batches-py"
    batches = write_folder(shared)
    before = {p.name: p.stat().st_mtime_ns for p in shared.iterdir()}
    monkeypatch.setenv(datasets.ENV_VAR, str(shared.parent))
    (env / "cifar-10-python.tar.gz").write_bytes(archive[0].read_bytes())  # would be used if lookup fell through
    folder, source, _ = datasets.ensure()
    assert folder == shared and "used in place" in source
    assert {p.name: p.stat().st_mtime_ns for p in shared.iterdir()} == before
    assert listing(shared.parent) == ["cifar-10-batches-py"]
    assert listing(env) == ["cifar-10-python.tar.gz"]
    assert_same_batches(shared, batches)


def test_a_variable_naming_the_batches_folder_itself_is_accepted(env, tmp_path, monkeypatch):
    write_folder(tmp_path / "shared" / "cifar-10-batches-py")
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "shared" / "cifar-10-batches-py"))
    assert datasets.cifar10_dir() == tmp_path / "shared" / "cifar-10-batches-py"


def test_a_variable_naming_nothing_falls_back_to_the_checkout(env, tmp_path, monkeypatch, archive, capsys):
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "nowhere"))
    (env / "cifar-10-python.tar.gz").write_bytes(archive[0].read_bytes())
    folder, _, _ = datasets.ensure()
    assert folder == env / "cifar-10-batches-py" and datasets.cifar10_dir() == folder
    assert f"{datasets.ENV_VAR} is set but" in capsys.readouterr().err


def test_a_broken_shared_copy_is_reported_not_skipped(env, tmp_path, monkeypatch):
    shared = tmp_path / "shared" / "cifar-10-batches-py"
    write_folder(shared)
    (shared / "data_batch_2").write_bytes(b"garbage")
    monkeypatch.setenv(datasets.ENV_VAR, str(shared.parent))
    with pytest.raises(datasets.InvalidDatasetError, match=f"unset {datasets.ENV_VAR}"):
        datasets.ensure()
    assert listing(env) == []


def test_checkout_folder_comes_before_an_archive(env, archive, http_server):
    batches = write_folder(env / "cifar-10-batches-py")
    (env / "cifar-10-python.tar.gz").write_bytes(b"not even an archive")
    folder, source, _ = datasets.ensure(url=http_server.url(ARCHIVE_PATH))
    assert folder == env / "cifar-10-batches-py" and source == "already in place"
    assert_same_batches(folder, batches)
    assert http_server.hits == []


# --- a hand-placed archive --------------------------------------------------------------------------------------


def test_hand_placed_archive_is_verified_and_extracted(env, archive, http_server):
    path, batches = archive
    (env / "cifar-10-python.tar.gz").write_bytes(path.read_bytes())
    folder, source, counts = datasets.ensure(url=http_server.url(ARCHIVE_PATH))
    assert folder == env / "cifar-10-batches-py" and "cifar-10-python.tar.gz" in source
    assert_same_batches(folder, batches)
    assert counts["train"].sum() == 5 * SMALL_BATCH
    assert listing(env) == ["cifar-10-batches-py", "cifar-10-python.tar.gz"]  # the user's file is kept
    assert http_server.hits == []


def test_hand_placed_archive_with_a_wrong_checksum_is_not_extracted(env, archive):
    path, _ = archive
    (env / "cifar-10-python.tar.gz").write_bytes(path.read_bytes()[:-100])
    with pytest.raises(datasets.ChecksumError, match=r"md5 .* expected .*delete it and run `make data`"):
        datasets.ensure()
    assert listing(env) == ["cifar-10-python.tar.gz"]


def test_from_archive_extracts_a_file_saved_elsewhere(env, archive, capsys):
    path, batches = archive
    assert datasets.main(["--from-archive", str(path)]) == 0
    assert "CIFAR-10 OK" in capsys.readouterr().out
    assert_same_batches(env / "cifar-10-batches-py", batches)
    assert listing(env) == ["cifar-10-batches-py"] and path.exists()


def test_from_archive_that_does_not_exist(env, tmp_path, capsys):
    assert datasets.main(["--from-archive", str(tmp_path / "nope.tar.gz")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "nope.tar.gz does not exist" in err


# --- downloads from the local server ----------------------------------------------------------------------------


def test_download_verify_extract(env, archive, http_server):
    path, batches = archive
    url = http_server.serve(ARCHIVE_PATH, ("ok", path.read_bytes()))
    folder, source, counts = datasets.ensure(url=url)
    assert folder == env / "cifar-10-batches-py" and source == f"downloaded from {url}"
    assert_same_batches(folder, batches)
    np.testing.assert_array_equal(counts["test"], np.full(10, 2))
    assert listing(env) == ["cifar-10-batches-py"]  # the downloaded archive is not kept
    assert http_server.hits == [ARCHIVE_PATH]
    datasets.ensure(url=url)  # idempotent: a second run finds the folder and downloads nothing
    assert http_server.hits == [ARCHIVE_PATH]


def test_download_through_the_cli_with_a_mirror_url(env, archive, http_server, capsys):
    url = http_server.serve("/mirror/c10.tgz", ("ok", archive[0].read_bytes()))
    assert datasets.main(["--url", url]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("CIFAR-10 OK: ") and captured.out.count("\n") == 1
    assert "Downloading CIFAR-10" in captured.err
    assert_same_batches(env / "cifar-10-batches-py", archive[1])


def test_checksum_mismatch_leaves_nothing(env, archive, http_server, monkeypatch, capsys):
    monkeypatch.setattr(datasets, "MD5", "0" * 32)
    url = http_server.serve(ARCHIVE_PATH, ("ok", archive[0].read_bytes()))
    with pytest.raises(datasets.ChecksumError, match=r"does not have the CIFAR-10 md5 0{32}.*make data"):
        datasets.ensure(url=url)
    assert listing(env) == []
    assert datasets.main(["--url", url]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("error: ") and "md5" in last and "make data" in last
    assert listing(env) == []


def test_truncated_download_keeps_only_a_partial_file_and_resumes(env, archive, http_server):
    body = archive[0].read_bytes()
    url = http_server.serve(ARCHIVE_PATH, ("truncate", body), ("ok", body))
    with pytest.raises(datasets.DatasetError, match=r"run `make data` again \(it resumes from what arrived\)"):
        datasets.ensure(url=url)
    assert listing(env) == ["cifar-10-python.tar.gz.part"]  # not the archive's name, not a dataset folder
    arrived = (env / "cifar-10-python.tar.gz.part").read_bytes()
    assert 0 < len(arrived) <= len(body) // 2 and body.startswith(arrived)  # the client may drop the last chunk
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.cifar10_dir()
    folder, _, _ = datasets.ensure(url=url)  # the next run asks only for the rest
    assert http_server.ranges == [None, f"bytes={len(arrived)}-"]
    assert_same_batches(folder, archive[1])
    assert listing(env) == ["cifar-10-batches-py"]


def test_truncated_download_is_retried_from_where_it_stopped(env, archive, http_server, monkeypatch):
    import pooch.core

    monkeypatch.setattr(datasets, "DOWNLOAD_RETRIES", 1)
    monkeypatch.setattr(pooch.core, "time", type("NoWait", (), {"sleep": staticmethod(lambda seconds: None)}))
    body = archive[0].read_bytes()
    url = http_server.serve(ARCHIVE_PATH, ("truncate", body), ("ok", body))
    folder, _, _ = datasets.ensure(url=url)
    assert http_server.hits == [ARCHIVE_PATH, ARCHIVE_PATH]
    first, second = http_server.ranges
    assert first is None and 0 < int(second[6:-1]) <= len(body) // 2
    assert_same_batches(folder, archive[1])


def test_a_server_that_ignores_ranges_starts_over(env, archive, http_server):
    (env / "cifar-10-python.tar.gz.part").write_bytes(b"x" * 100)
    url = http_server.serve(ARCHIVE_PATH, ("no-range", archive[0].read_bytes()))
    assert_same_batches(datasets.ensure(url=url)[0], archive[1])
    assert http_server.ranges == ["bytes=100-"] and listing(env) == ["cifar-10-batches-py"]


def test_a_complete_partial_file_is_verified_not_downloaded_again(env, archive, http_server):
    (env / "cifar-10-python.tar.gz.part").write_bytes(archive[0].read_bytes())
    url = http_server.serve(ARCHIVE_PATH, ("ok", archive[0].read_bytes()))  # answers 416 to a range past the end
    assert_same_batches(datasets.ensure(url=url)[0], archive[1])
    assert listing(env) == ["cifar-10-batches-py"]


def test_a_wrong_partial_file_fails_the_checksum_and_is_discarded(env, archive, http_server):
    body = archive[0].read_bytes()
    (env / "cifar-10-python.tar.gz.part").write_bytes(bytes(len(body) // 3))  # zeros: not the archive's start
    url = http_server.serve(ARCHIVE_PATH, ("ok", body))
    with pytest.raises(datasets.ChecksumError, match="nothing was kept"):
        datasets.ensure(url=url)
    assert listing(env) == []
    assert_same_batches(datasets.ensure(url=url)[0], archive[1])  # the next run starts from scratch


def test_interrupted_download_leaves_only_a_partial_file(env, archive, http_server, monkeypatch, capsys):
    import requests

    iter_content = requests.models.Response.iter_content

    def first_chunk_then_ctrl_c(self, *args, **kwargs):
        yield next(iter(iter_content(self, 1000)))
        raise KeyboardInterrupt

    monkeypatch.setattr(requests.models.Response, "iter_content", first_chunk_then_ctrl_c)
    url = http_server.serve(ARCHIVE_PATH, ("ok", archive[0].read_bytes()))
    assert datasets.main(["--url", url]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == ("error: interrupted; run `make data` again (a download "
                                                        "resumes where it stopped)")
    assert listing(env) == ["cifar-10-python.tar.gz.part"]
    assert (env / "cifar-10-python.tar.gz.part").stat().st_size == 1000
    monkeypatch.setattr(requests.models.Response, "iter_content", iter_content)
    assert datasets.main(["--url", url]) == 0
    assert http_server.ranges == [None, "bytes=1000-"] and listing(env) == ["cifar-10-batches-py"]


def test_a_full_disk_gets_a_one_line_error(env, archive, monkeypatch, capsys):
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(datasets.tempfile, "mkdtemp", no_space)
    assert datasets.main(["--from-archive", str(archive[0])]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("error: [Errno 28] No space left on device; free some disk space")
    assert listing(env) == []


def test_http_error_names_the_alternatives(env, http_server):
    url = http_server.serve(ARCHIVE_PATH, ("status", 404))
    with pytest.raises(datasets.DatasetError, match=r"could not download .*--url.*browser") as info:
        datasets.ensure(url=url)
    assert "404" in str(info.value)
    assert listing(env) == []


def test_the_network_guard_works(env):
    with pytest.raises(datasets.DatasetError, match="tests may only connect to 127.0.0.1"):
        datasets.ensure(url="https://example.invalid/cifar-10-python.tar.gz")


def test_unsupported_url_scheme(env):
    with pytest.raises(datasets.DatasetError, match="http://, https:// or ftp://"):
        datasets.ensure(url="file:///etc/passwd")


# --- extraction: atomic and confined to the target --------------------------------------------------------------


def test_interrupted_extraction_leaves_no_folder(env, archive, monkeypatch):
    path, batches = archive
    (env / "cifar-10-python.tar.gz").write_bytes(path.read_bytes())
    copy, calls = datasets.shutil.copyfileobj, []

    def copy_then_interrupt(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:  # three batches are already on disk
            raise KeyboardInterrupt
        return copy(*args, **kwargs)

    monkeypatch.setattr(datasets.shutil, "copyfileobj", copy_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        datasets.ensure()
    assert listing(env) == ["cifar-10-python.tar.gz"]
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.cifar10_dir()
    monkeypatch.setattr(datasets.shutil, "copyfileobj", copy)
    assert datasets.ensure()[0] == env / "cifar-10-batches-py"  # the next run starts cleanly
    assert_same_batches(env / "cifar-10-batches-py", batches)


def test_leftovers_of_a_killed_run_do_not_count(env, archive):
    staging = env / f"{datasets.STAGING_PREFIX}abc" / "cifar-10-batches-py"
    write_folder(staging)  # even complete-looking files in a staging folder are not the dataset
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.cifar10_dir()
    datasets.ensure(archive=archive[0])
    assert listing(env) == ["cifar-10-batches-py"]  # and they are swept up by the next extraction


def test_an_invalid_archive_leaves_nothing(env, tmp_path, monkeypatch):
    path = tmp_path / "bad.tar.gz"
    batches = synthetic_batches()
    del batches["data_batch_5"]
    monkeypatch.setattr(datasets, "MD5", build_archive(path, batches))
    with pytest.raises(datasets.InvalidDatasetError, match="no cifar-10-batches-py/data_batch_5"):
        datasets.ensure(archive=path)
    assert listing(env) == []


def test_a_corrupt_gzip_stream_gets_a_clear_error(env, tmp_path, monkeypatch):
    path = tmp_path / "bad.tar.gz"
    build_archive(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    monkeypatch.setattr(datasets, "MD5", datasets.md5sum(path))
    with pytest.raises(datasets.DatasetError, match="cannot extract .*damaged"):
        datasets.ensure(archive=path)
    assert listing(env) == []


def _member(name, kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    payload = b"owned" if kind == tarfile.REGTYPE else None
    info.size = len(payload) if payload else 0
    return info, payload


@pytest.mark.parametrize(("member", "problem"), [
    (_member("cifar-10-batches-py/../../escaped.txt"), "contains '..'"),
    (_member("../escaped.txt"), "contains '..'"),
    (_member("/tmp/cs231n-absolute-escape.txt"), "absolute path"),
    (_member("C:/escape.txt"), "absolute path"),
    (_member("cifar-10-batches-py/readme.html", tarfile.SYMTYPE, "/etc/passwd"), "is a link"),
    (_member("cifar-10-batches-py/batches.meta", tarfile.LNKTYPE, "/etc/passwd"), "is a link"),
    (_member("cifar-10-batches-py/dev", tarfile.CHRTYPE), "device or pipe"),
], ids=["dotdot-inside", "dotdot", "absolute", "drive", "symlink", "hardlink", "device"])
def test_members_that_could_escape_are_refused(env, tmp_path, monkeypatch, member, problem, capsys):
    path = tmp_path / "evil.tar.gz"
    monkeypatch.setattr(datasets, "MD5", build_archive(path, extra_members=[member]))
    with pytest.raises(datasets.UnsafeArchiveError, match=problem):
        datasets.ensure(archive=path)
    assert listing(env) == []
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/cs231n-absolute-escape.txt").exists()
    assert datasets.main(["--from-archive", str(path)]) == 1
    err_lines = capsys.readouterr().err.splitlines()
    assert err_lines[-1].startswith("error: refusing to extract") and sum("error" in x for x in err_lines) == 1


def test_planted_pickle_in_an_archive_is_refused_without_running(env, tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    path = tmp_path / "planted.tar.gz"
    planted = pickle.dumps({"data": Planted(marker), "labels": [0]}, protocol=2)
    monkeypatch.setattr(datasets, "MD5", build_archive(path, overrides={"data_batch_2": planted}))
    with pytest.raises(datasets.UnsafePickleError, match=r"planted\.tar\.gz:cifar-10-batches-py/data_batch_2"):
        datasets.ensure(archive=path)
    assert not marker.exists()
    assert listing(env) == []


# --- the command line -------------------------------------------------------------------------------------------


def test_check_prints_the_split_and_per_class_counts(env, tmp_path, monkeypatch, capsys):
    write_folder(tmp_path / "shared" / "cifar-10-batches-py")
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "shared"))
    assert datasets.main(["--check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("CIFAR-10 OK: ") and "100 training and 20 test images" in lines[0]
    assert lines[1].split() == ["split", "images", *datasets.LABEL_NAMES]
    assert lines[2].split() == ["train", "100"] + ["10"] * 10
    assert lines[3].split() == ["test", "20"] + ["2"] * 10


def test_check_never_downloads_or_extracts(env, archive, http_server, capsys):
    (env / "cifar-10-python.tar.gz").write_bytes(archive[0].read_bytes())
    assert datasets.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: CIFAR-10 not found") and "make data" in err
    assert listing(env) == ["cifar-10-python.tar.gz"] and http_server.hits == []


def test_check_reports_an_invalid_folder(env, capsys):
    write_folder(env / "cifar-10-batches-py", overrides={"test_batch": b"\x80\x02garbage"})
    assert datasets.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "test_batch" in err and "delete that folder and run `make data`" in err


def test_check_does_not_combine_with_download_options(env):
    with pytest.raises(SystemExit) as info:
        datasets.main(["--check", "--url", "http://127.0.0.1/x"])
    assert info.value.code == 2


def _run(args, env_vars):
    environ = {k: v for k, v in os.environ.items() if k != datasets.ENV_VAR} | env_vars
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=environ, timeout=60)


def test_module_entry_point_exit_code_and_one_line_error(env):
    # A real `python -m cs231n.datasets` in a fresh process, pointed at a folder that fails validation.
    write_folder(env / "shared" / "cifar-10-batches-py")
    result = _run(["-m", "cs231n.datasets", "--check"], {datasets.ENV_VAR: str(env / "shared")})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "holds 20 images, expected 10000" in result.stderr and f"unset {datasets.ENV_VAR}" in result.stderr


def test_missing_dataset_in_a_fresh_process(env):
    code = "import sys, cs231n.datasets as d; d.DATASETS_DIR = sys.argv[1]; sys.exit(d.main(['--check']))"
    result = _run(["-c", code, str(env)], {})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "CIFAR-10 not found" in result.stderr and "make data" in result.stderr
