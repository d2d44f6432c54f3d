"""Find, fetch, verify and check CIFAR-10 (the python version, `cifar-10-batches-py/`).

`python -m cs231n.datasets` (what `make data` runs) makes sure a valid dataset folder exists, trying in order:

1. `$CS231N_DATASETS/cifar-10-batches-py` when the variable is set: a shared, possibly read-only copy, used in
   place and never written to;
2. `datasets/cifar-10-batches-py` in the checkout;
3. `datasets/cifar-10-python.tar.gz`, an archive downloaded by hand (e.g. with a browser): verified, extracted;
4. otherwise the official archive is downloaded (progress bar, retries, an interrupted transfer resumes;
   `--url` names a mirror), verified by its md5 and extracted.

Extraction is atomic: files go into a temporary folder beside the target, which becomes
`cifar-10-batches-py/` by one rename once every batch has been checked, so an interrupted or failed run never
leaves a folder that looks complete. Archive members that would land outside the target (absolute paths,
`..`, links) are refused. Batches are pickles; they are read by a restricted unpickler that can only build
plain containers, strings, numbers and numpy arrays, so a planted pickle cannot run code.

Notebooks call `cifar10_dir()` (usually through `cs231n.data_utils`) and never hard-code a path.
"""

import argparse
import ftplib
import gzip
import hashlib
import os
import pickle
import shutil
import socket
import sys
import tarfile
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

# The official archive. Tests point URL and MD5 at a local server and a synthetic archive.
URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
MD5 = "c58f30108f718f92721af3b95e74349a"
ARCHIVE_NAME = "cifar-10-python.tar.gz"
ARCHIVE_MIB = 163
DATASET_DIRNAME = "cifar-10-batches-py"
ENV_VAR = "CS231N_DATASETS"
DOWNLOAD_RETRIES = 3
DOWNLOAD_TIMEOUT = 60  # seconds without data before a connection attempt is given up (then retried)

TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
BATCH_NAMES = (*TRAIN_BATCHES, TEST_BATCH)
IMAGES_PER_BATCH = 10000  # read at call time, so tests can shrink the synthetic batches
PIXELS = 3 * 32 * 32
LABEL_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
NUM_CLASSES = len(LABEL_NAMES)

FIX_MISSING = "run `make data` (or `python -m cs231n.datasets`) in the project folder"
FIX_REFETCH = "delete that folder and run `make data` (or `python -m cs231n.datasets`) to fetch a fresh copy"
STAGING_PREFIX = ".extracting-cifar-10-"


def _default_datasets_dir():
    """datasets/ of the checkout this package lives in; ./datasets when the package is installed elsewhere."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout / "datasets" if (checkout / "pyproject.toml").exists() else Path.cwd() / "datasets"


DATASETS_DIR = _default_datasets_dir()


class DatasetError(Exception):
    """Something is wrong with the dataset; the message says what and the one step that fixes it."""


class DatasetNotFoundError(DatasetError, FileNotFoundError):
    """No dataset folder was found."""


class ChecksumError(DatasetError):
    """An archive's md5 is not the official one."""


class UnsafeArchiveError(DatasetError):
    """An archive member would land outside the target folder, or is a link or device."""


class UnsafePickleError(DatasetError, pickle.UnpicklingError):
    """A batch file asks for something a CIFAR-10 batch never contains (e.g. a call to os.system)."""


class InvalidDatasetError(DatasetError, ValueError):
    """A batch or folder does not have the shape, dtype or labels of CIFAR-10."""


# ---------------------------------------------------------------------------------------------------------------
# Reading batches safely


def _numpy_reconstruct():
    try:
        from numpy._core.multiarray import _reconstruct, scalar  # numpy >= 2
    except ImportError:  # numpy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    return _reconstruct, scalar


_RECONSTRUCT, _SCALAR = _numpy_reconstruct()


def _safe_dtype(spec, align=False, copy=False):
    dtype = np.dtype(spec, align, copy)
    if dtype.hasobject:
        raise UnsafePickleError("it asks for an array of Python objects, which a batch never contains")
    return dtype


def _safe_reconstruct(subtype, shape, typecode):
    if subtype is not np.ndarray:
        raise UnsafePickleError(f"it asks to build a {subtype!r}, not a plain numpy array")
    return _RECONSTRUCT(subtype, shape, typecode)


def _safe_scalar(dtype, *args):
    if not isinstance(dtype, np.dtype) or dtype.hasobject:
        raise UnsafePickleError("it asks for a numpy scalar of an object dtype")
    return _SCALAR(dtype, *args)


def _safe_frombuffer(buffer, dtype, shape, order):
    # Protocol-5 pickles (numpy >= 1.16 under Python 3.8+) store an array as its raw buffer.
    dtype = _safe_dtype(dtype)
    return np.frombuffer(bytearray(buffer), dtype=dtype).reshape(shape, order=order)


def _latin1_encode(text, encoding="latin1"):
    # Python 3 writes bytes into protocol-2 pickles as _codecs.encode(text, "latin1"); no other codec is needed.
    if encoding.replace("-", "").replace("_", "").lower() not in ("latin1", "iso88591") or not isinstance(text, str):
        raise UnsafePickleError(f"it asks to encode with codec {encoding!r}")
    return text.encode("latin1")


# Everything a CIFAR-10 batch (from Python 2 or 3, numpy 1 or 2) can refer to by name. Plain containers,
# strings and numbers have their own pickle opcodes and need no entry.
_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _safe_reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _safe_reconstruct,
    ("numpy.core.multiarray", "scalar"): _safe_scalar,
    ("numpy._core.multiarray", "scalar"): _safe_scalar,
    ("numpy.core.numeric", "_frombuffer"): _safe_frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _safe_frombuffer,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): _safe_dtype,
    ("_codecs", "encode"): _latin1_encode,
}


class _BatchUnpickler(pickle.Unpickler):
    """An unpickler that refuses every global outside _ALLOWED_GLOBALS, before anything is called."""

    def find_class(self, module, name):
        try:
            return _ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise UnsafePickleError(f"it asks to load {module}.{name}, which a CIFAR-10 batch never needs "
                                    "(the file may have been tampered with)") from None

    def persistent_load(self, pid):
        raise UnsafePickleError("it uses persistent ids, which a CIFAR-10 batch never contains")


def _load_batch(path):
    """Unpickle and check one batch; errors carry only the problem (callers add where and how to fix)."""
    try:
        with open(path, "rb") as f:
            batch = _BatchUnpickler(f, encoding="latin1").load()
    except FileNotFoundError:
        raise DatasetNotFoundError("the file is missing") from None
    except (DatasetError, OSError):
        raise
    except Exception as exc:  # a truncated or garbled pickle can raise almost anything
        raise InvalidDatasetError(f"it cannot be unpickled ({type(exc).__name__}: {exc})") from None
    if not isinstance(batch, dict) or "data" not in batch or "labels" not in batch:
        raise InvalidDatasetError("it is not a dict with 'data' and 'labels'")
    data = batch["data"]
    try:
        labels = np.asarray(batch["labels"])
    except (TypeError, ValueError):
        raise InvalidDatasetError("'labels' is not a list of integers") from None
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != PIXELS:
        got = f"{data.dtype} array of shape {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise InvalidDatasetError(f"'data' should be a uint8 array of shape (N, {PIXELS}), got {got}")
    if labels.ndim != 1 or labels.shape[0] != data.shape[0] or labels.dtype.kind not in "iu":
        raise InvalidDatasetError(f"'labels' should be {data.shape[0]} integers, got {labels.dtype} "
                                  f"array of shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        raise InvalidDatasetError(f"labels should lie in 0..{NUM_CLASSES - 1}, found {labels.min()}..{labels.max()}")
    return data, labels.astype(np.int64)


def _reraise(exc, where, fix):
    """Re-raise a problem-only DatasetError as the same type with its place and its fix."""
    raise type(exc)(f"{where}: {exc}; {fix}") from None


def read_batch(path):
    """Read one CIFAR-10 batch file with the restricted unpickler.

    Inputs: path of a batch file such as ".../cifar-10-batches-py/data_batch_1".

    Returns (data, labels): data is (N, 3072) uint8 (R plane, G plane, B plane, each 32x32 row-major),
    labels is (N,) int64 in 0..9. Raises UnsafePickleError (nothing in the file is run) for a pickle that asks
    for anything but containers, strings, numbers and numpy arrays, InvalidDatasetError for a corrupt file.
    """
    try:
        return _load_batch(path)
    except DatasetNotFoundError:
        raise DatasetNotFoundError(f"{path} does not exist; check the path, or {FIX_MISSING} and find the folder "
                                   "with cs231n.datasets.cifar10_dir()") from None
    except DatasetError as exc:
        _reraise(exc, f"{path} is not a valid CIFAR-10 batch", FIX_REFETCH)


# ---------------------------------------------------------------------------------------------------------------
# Finding and validating a folder


def _looks_complete(folder):
    return folder.is_dir() and all((folder / name).is_file() for name in BATCH_NAMES)


def _shared_dir():
    """$CS231N_DATASETS/cifar-10-batches-py, or None when the variable is unset or empty. A variable that names
    the cifar-10-batches-py folder itself is accepted too (an easy slip that would otherwise cost a download)."""
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if path.name == DATASET_DIRNAME and path.is_dir() and not (path / DATASET_DIRNAME).exists():
        return path
    return path / DATASET_DIRNAME


def _not_found(datasets_dir):
    looked = [str(d) for d in (_shared_dir(), Path(datasets_dir) / DATASET_DIRNAME) if d is not None]
    return DatasetNotFoundError(f"CIFAR-10 not found (looked in {' and '.join(looked)}); {FIX_MISSING}")


def cifar10_dir():
    """Return the Path of the cifar-10-batches-py folder the notebooks should read.

    The first folder that holds all six batch files, in the order $CS231N_DATASETS/cifar-10-batches-py,
    then datasets/cifar-10-batches-py. Cheap: files are not opened (`python -m cs231n.datasets --check` validates
    them). Raises DatasetNotFoundError (a FileNotFoundError) naming `make data` when there is none.
    """
    for folder in (_shared_dir(), Path(DATASETS_DIR) / DATASET_DIRNAME):
        if folder is not None and _looks_complete(folder):
            return folder
    raise _not_found(DATASETS_DIR)


def validate(folder, fix=FIX_REFETCH):
    """Check a cifar-10-batches-py folder: six batches, each (IMAGES_PER_BATCH, 3072) uint8, labels 0..9,
    IMAGES_PER_BATCH / 2 per class in training (5000) and IMAGES_PER_BATCH / 10 per class in the test batch (1000).

    Inputs: folder, a Path; fix, the step the error message recommends.

    Returns {"train": (10,) int64 counts per class, "test": (10,) int64 counts}. Raises a DatasetError saying what
    is wrong and `fix`. Loads one batch at a time (about 30 MB each); nothing is converted to float.
    """
    folder = Path(folder)
    counts = {"train": np.zeros(NUM_CLASSES, dtype=np.int64), "test": np.zeros(NUM_CLASSES, dtype=np.int64)}
    for name in BATCH_NAMES:
        try:
            data, labels = _load_batch(folder / name)
        except DatasetError as exc:
            _reraise(exc, f"{folder / name} is not a valid CIFAR-10 batch", fix)
        if data.shape[0] != IMAGES_PER_BATCH:
            raise InvalidDatasetError(f"{folder / name} holds {data.shape[0]} images, expected {IMAGES_PER_BATCH}; "
                                      f"{fix}")
        counts["train" if name in TRAIN_BATCHES else "test"] += np.bincount(labels, minlength=NUM_CLASSES)
    expected = {"train": len(TRAIN_BATCHES) * IMAGES_PER_BATCH // NUM_CLASSES, "test": IMAGES_PER_BATCH // NUM_CLASSES}
    for split, per_class in counts.items():
        if np.any(per_class != expected[split]):
            raise InvalidDatasetError(f"{folder}: the {split} split should hold {expected[split]} images of each "
                                      f"class, got {per_class.tolist()}; {fix}")
    return counts


# ---------------------------------------------------------------------------------------------------------------
# Archives: checksum, safe and atomic extraction, download


def md5sum(path, chunk_size=1 << 20):
    """Hex md5 of a file, read 1 MiB at a time."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def verify_archive(path):
    """Raise ChecksumError unless the file at `path` has the official md5 (MD5)."""
    got = md5sum(path)
    if got != MD5:
        raise ChecksumError(f"{path} has md5 {got}, expected {MD5}: it is incomplete or not the CIFAR-10 python "
                            f"archive; delete it and run `make data` again (or download {URL} once more)")


def _member_parts(member):
    """The path parts of a safe tar member; raises UnsafeArchiveError for anything that could escape."""
    name = member.name
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if member.issym() or member.islnk():
        problem = "is a link"
    elif not (member.isfile() or member.isdir()):
        problem = "is a device or pipe"
    elif name.startswith(("/", "\\")) or (parts and ":" in parts[0]):
        problem = "has an absolute path"
    elif ".." in parts:
        problem = "contains '..'"
    else:
        return parts
    raise UnsafeArchiveError(f"archive member {name!r} {problem} and could write outside the dataset folder")


def _extract_members(archive, dest):
    """Stream the regular files of cifar-10-batches-py/ from a .tar.gz into dest; other members are skipped."""
    dest.mkdir()
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            parts = _member_parts(member)
            if member.isfile() and len(parts) == 2 and parts[0] == DATASET_DIRNAME:
                with tar.extractfile(member) as src, open(dest / parts[1], "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)


def _remove_stale_staging(datasets_dir):
    # Left only by a run that was killed outright; never a complete dataset.
    for stale in Path(datasets_dir).glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def _rename(source, target, attempts=5):
    """os.replace, retried briefly on Windows, where a virus scanner may still hold a file just written."""
    for attempt in range(attempts):
        try:
            return os.replace(source, target)
        except PermissionError:
            if sys.platform != "win32" or attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def extract(archive, datasets_dir=None):
    """Extract a verified archive to datasets_dir/cifar-10-batches-py, atomically.

    The members go into a temporary folder inside datasets_dir, are validated there, and the folder becomes
    cifar-10-batches-py by a single rename. On any error (or Ctrl-C) the temporary folder is removed, so
    datasets_dir is left as it was. Returns the Path of the new folder.
    """
    return _extract(archive, datasets_dir)[0]


def _extract(archive, datasets_dir):
    """extract(), also returning validate()'s counts so the caller need not read the batches again."""
    datasets_dir = Path(datasets_dir if datasets_dir is not None else DATASETS_DIR)
    target = datasets_dir / DATASET_DIRNAME
    if target.exists():
        raise DatasetError(f"{target} already exists; delete it first to extract {archive} again")
    datasets_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(datasets_dir)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=datasets_dir))
    fix = f"the archive {archive} is damaged; delete it and run `make data` again"
    try:
        try:
            _extract_members(archive, staging / DATASET_DIRNAME)
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:  # not disk full etc.: those
            raise DatasetError(f"cannot extract {archive} ({type(exc).__name__}: {exc}); {fix}") from None
        except UnsafeArchiveError as exc:
            _reraise(exc, f"refusing to extract {archive}", "nothing was extracted; use the official archive")
        missing = [n for n in BATCH_NAMES if not (staging / DATASET_DIRNAME / n).is_file()]
        if missing:
            raise InvalidDatasetError(f"{archive} has no {DATASET_DIRNAME}/{missing[0]}; {fix}")
        try:
            counts = validate(staging / DATASET_DIRNAME, fix=fix)
        except DatasetError as exc:
            # Name the archive, not the temporary folder that is about to disappear.
            raise type(exc)(str(exc).replace(str(staging / DATASET_DIRNAME), f"{archive}:{DATASET_DIRNAME}")) from None
        _rename(staging / DATASET_DIRNAME, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target, counts


def _one_line(text):
    return " ".join(str(text).split())


PARTIAL_SUFFIX = ".part"


class _ResumingHTTPDownloader:
    """A pooch downloader that keeps what arrived in datasets/cifar-10-python.tar.gz.part and, on the next attempt
    (pooch's retry or the next `make data`), asks the server only for the rest (an HTTP Range request).

    When the transfer completes, the partial file is renamed to the temporary file pooch gave us; pooch then checks
    the md5 and moves it into place, or deletes it: a complete but wrong file is never kept.
    """

    def __init__(self, partial):
        self.partial = partial

    def __call__(self, url, output_file, pooch_instance):
        import requests
        from tqdm.auto import tqdm

        have = self.partial.stat().st_size if self.partial.is_file() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        with requests.get(url, headers=headers, stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
            if have and response.status_code == 416:  # nothing left to send: the partial file is whole
                os.replace(self.partial, output_file)
                return
            response.raise_for_status()
            if response.status_code != 206:  # the server ignored the Range header: start again
                have = 0
            total = have + int(response.headers.get("Content-Length", 0))
            if have:
                print(f"Resuming after {have / 2**20:.1f} MiB", file=sys.stderr)
            with tqdm(total=total or None, initial=have, desc=ARCHIVE_NAME, unit="B", unit_scale=True,
                      unit_divisor=1024, file=sys.stderr, ascii=sys.platform == "win32") as bar, \
                    open(self.partial, "ab" if have else "wb") as out:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    out.write(chunk)
                    bar.update(len(chunk))
        os.replace(self.partial, output_file)


def download(url=None, datasets_dir=None):
    """Download the archive from `url` (default URL) to datasets_dir/cifar-10-python.tar.gz with pooch.

    A tqdm progress bar goes to stderr; failed attempts are retried DOWNLOAD_RETRIES times, and over http(s) an
    interrupted transfer resumes where it stopped (also in the next run) from cifar-10-python.tar.gz.part. pooch
    moves the file into place only when its md5 is MD5, and deletes it otherwise. Returns the archive's Path;
    raises ChecksumError or DatasetError.
    """
    import pooch
    import requests

    url = url or URL
    datasets_dir = Path(datasets_dir if datasets_dir is not None else DATASETS_DIR)
    if url.startswith(("http://", "https://")):
        downloader = _ResumingHTTPDownloader(datasets_dir / (ARCHIVE_NAME + PARTIAL_SUFFIX))
    elif url.startswith("ftp://"):
        downloader = pooch.FTPDownloader(progressbar=True, timeout=DOWNLOAD_TIMEOUT)
    else:
        raise DatasetError(f"cannot download from {url!r}: give an http://, https:// or ftp:// URL with --url")
    print(f"Downloading CIFAR-10 (about {ARCHIVE_MIB} MiB) from {url}", file=sys.stderr)
    fetcher = pooch.create(path=datasets_dir, base_url=url.rsplit("/", 1)[0] + "/",
                           registry={ARCHIVE_NAME: f"md5:{MD5}"}, urls={ARCHIVE_NAME: url},
                           retry_if_failed=DOWNLOAD_RETRIES)
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")  # our own messages say what happens; pooch's would repeat them
    try:
        return Path(fetcher.fetch(ARCHIVE_NAME, downloader=downloader))
    except ValueError as exc:
        if "hash" not in str(exc).lower():
            raise
        raise ChecksumError(f"the file from {url} does not have the CIFAR-10 md5 {MD5} (damaged in transit, or not "
                            f"the official archive); nothing was kept; run `make data` again or try another "
                            f"--url") from None
    except (requests.exceptions.RequestException, ftplib.Error, ConnectionError, TimeoutError, socket.gaierror) as exc:
        kept = datasets_dir / (ARCHIVE_NAME + PARTIAL_SUFFIX)
        resume = " (it resumes from what arrived)" if kept.is_file() else ""
        raise DatasetError(f"could not download {url} ({type(exc).__name__}: {_one_line(exc)}); check the "
                           f"connection and run `make data` again{resume}, give a mirror with --url, or save the "
                           f"file with a browser as {datasets_dir / ARCHIVE_NAME}") from None
    finally:
        logger.setLevel(level)


# ---------------------------------------------------------------------------------------------------------------
# The whole flow


def ensure(url=None, archive=None, datasets_dir=None):
    """Make sure a valid dataset folder exists, in the order of this module's docstring.

    Inputs:
    - url: where to download from when needed (default URL, the official archive).
    - archive: a .tar.gz to extract instead of looking for datasets/cifar-10-python.tar.gz or downloading.
    - datasets_dir: where data lands (default DATASETS_DIR, datasets/ of the checkout).

    Returns (folder, source, counts): the validated folder, a short description of where it came from, and
    validate()'s per-class counts.
    """
    datasets_dir = Path(datasets_dir if datasets_dir is not None else DATASETS_DIR)
    local = datasets_dir / DATASET_DIRNAME
    shared = _shared_dir()
    if archive is None and shared is not None and shared.is_dir():
        fix = f"repair the copy in {shared.parent} or unset {ENV_VAR} to use {datasets_dir}"
        return shared, f"${ENV_VAR}, used in place", validate(shared, fix=fix)
    if archive is None and shared is not None:
        print(f"note: ${ENV_VAR} is set but {shared} does not exist; using {datasets_dir}", file=sys.stderr)
    if local.exists():
        if archive is not None or url is not None:
            print(f"note: {local} already exists, so nothing is extracted or downloaded; delete it to start over",
                  file=sys.stderr)
        return local, "already in place", validate(local)
    downloaded = False
    if archive is not None:
        archive, source = Path(archive), f"extracted from {archive}"
        if not archive.is_file():
            raise DatasetNotFoundError(f"{archive} does not exist; give the path of cifar-10-python.tar.gz")
    elif (datasets_dir / ARCHIVE_NAME).is_file():
        archive, source = datasets_dir / ARCHIVE_NAME, f"extracted from {datasets_dir / ARCHIVE_NAME}"
    else:
        archive, downloaded = download(url, datasets_dir), True
        source = f"downloaded from {url or URL}"
    print(f"Verifying and extracting {archive}", file=sys.stderr)
    verify_archive(archive)
    folder, counts = _extract(archive, datasets_dir)
    if downloaded:
        archive.unlink()  # 163 MiB that is no longer needed
    return folder, source, counts


def check(datasets_dir=None):
    """Validate the folder cifar10_dir() would return, without downloading or extracting anything.

    Returns (folder, source, counts) like ensure().
    """
    datasets_dir = Path(datasets_dir if datasets_dir is not None else DATASETS_DIR)
    shared = _shared_dir()
    if shared is not None and shared.is_dir():
        fix = f"repair the copy in {shared.parent} or unset {ENV_VAR} to use {datasets_dir}"
        return shared, f"${ENV_VAR}, used in place", validate(shared, fix=fix)
    local = datasets_dir / DATASET_DIRNAME
    if local.exists():
        return local, "in the checkout", validate(local)
    raise _not_found(datasets_dir)


def format_counts(counts):
    """The per-class table --check prints: one header line, then one line per split."""
    widths = [max(len(name), 5) for name in LABEL_NAMES]
    lines = ["split  images  " + "  ".join(f"{n:>{w}}" for n, w in zip(LABEL_NAMES, widths))]
    for split, per_class in counts.items():
        cells = "  ".join(f"{int(c):>{w}}" for c, w in zip(per_class, widths))
        lines.append(f"{split:<5}  {int(per_class.sum()):>6}  {cells}")
    return "\n".join(lines)


def main(argv=None):
    """The command line; returns the exit status (0 success, 1 failure with a one-line error on stderr)."""
    parser = argparse.ArgumentParser(
        prog="python -m cs231n.datasets",
        description="Make sure CIFAR-10 is present and valid: use $CS231N_DATASETS or datasets/, else extract "
                    "datasets/cifar-10-python.tar.gz, else download the official archive (md5-verified).")
    parser.add_argument("--check", action="store_true",
                        help="only validate the dataset already in place and print the per-class counts "
                             "(never downloads or extracts)")
    parser.add_argument("--from-archive", metavar="PATH", help="extract this cifar-10-python.tar.gz (md5-verified)")
    parser.add_argument("--url", help=f"download from this mirror instead of {URL} (same md5 check)")
    args = parser.parse_args(argv)
    if args.check and (args.from_archive or args.url):
        parser.error("--check only reads what is in place; run without it to use --from-archive or --url")
    try:
        if args.check:
            folder, source, counts = check()
        else:
            folder, source, counts = ensure(url=args.url, archive=args.from_archive)
    except DatasetError as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, no permission to write datasets/, ...
        print(f"error: {_one_line(exc)}; free some disk space or fix the permissions of {DATASETS_DIR}, then run "
              "`make data` again", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; run `make data` again (a download resumes where it stopped)", file=sys.stderr)
        return 1
    total = {split: int(c.sum()) for split, c in counts.items()}
    print(f"CIFAR-10 OK: {folder} ({source}); {total['train']} training and {total['test']} test images")
    if args.check:
        print(format_counts(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
