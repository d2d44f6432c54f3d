"""Find, fetch, verify and check CIFAR-10 (the python version, `cifar-10-batches-py/`).

`python -m cs231n.datasets` (what `make data` runs) makes sure a valid dataset folder exists:

1. When `$CS231N_DATASETS` is set, it alone decides: `$CS231N_DATASETS/cifar-10-batches-py` (the variable may
   also name that folder itself) is a shared, possibly read-only copy, used in place and never written to. When it
   is missing or incomplete, ensure(), check() and the notebooks' cifar10_dir() all stop with the same error.
2. Otherwise `datasets/cifar-10-batches-py` in the checkout;
3. else `datasets/cifar-10-python.tar.gz`, saved by hand: md5-verified, extracted, kept;
4. else the official archive (or a `--url` mirror) is downloaded with pooch: progress bar, retries, resumed from
   `cifar-10-python.tar.gz.part`, md5-verified, extracted, deleted.

Steps 3-4 hold a lock file in datasets/: a second run at the same time waits, then uses the first one's result.
Under the same lock, a run first removes what a killed run of ours left there. Extraction is atomic (a staging
folder, validated, then one rename), and an archive with a member that could land outside the target (absolute
path, `..`, link, device) is refused. Batches are read by a restricted unpickler, so a planted pickle cannot run code.
"""

import argparse
import contextlib
import ftplib
import gzip
import os
import pickle
import re
import shutil
import socket
import sys
import tarfile
import tempfile
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from cs231n.cifar10 import BATCH_NAMES, CLASSES, DIRNAME, IMAGES_PER_BATCH, NUM_CLASSES, PIXELS, TRAIN_BATCHES

# The official archive; ensure() and download() take other values as parameters (a mirror, a test archive).
URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
MD5 = "c58f30108f718f92721af3b95e74349a"
ARCHIVE_NAME = "cifar-10-python.tar.gz"  # the name a user saves a hand-downloaded archive under
ARCHIVE_MIB = 163
ENV_VAR = "CS231N_DATASETS"
RETRIES = 3  # further attempts after a failed download
STALL_SECONDS = 60  # a download that brings fewer than STALL_BYTES in this many seconds is given up (then retried)
STALL_BYTES = 64 * 1024

# What our runs write into datasets/ besides cifar-10-batches-py/; only these names are ever cleaned up.
PARTIAL_NAME = ARCHIVE_NAME + ".part"  # an interrupted download, resumed by the next run
DOWNLOADED_NAME = ARCHIVE_NAME + ".downloaded"  # an archive we downloaded (unlike ARCHIVE_NAME, deleted when done)
LOCK_NAME = ".cifar-10.lock"
STAGING_PREFIX = ".extracting-cifar-10-"
POOCH_TEMPORARY = re.compile(r"tmp[a-z0-9_]{8}")  # tempfile's names, which pooch uses while it downloads

FIX_MISSING = "run `make data` (or `python -m cs231n.datasets`) in the project folder"


def _checkout_datasets_dir():
    """datasets/ of the checkout this package lives in; ./datasets when the package is installed elsewhere."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout / "datasets" if (checkout / "pyproject.toml").exists() else Path.cwd() / "datasets"


DATASETS_DIR = _checkout_datasets_dir()


class DatasetError(Exception):
    """Something is wrong with the dataset; the message says what and the one step that fixes it."""


class DatasetNotFoundError(DatasetError, FileNotFoundError):
    """No complete dataset folder was found."""


class ChecksumError(DatasetError):
    """An archive's md5 is not the expected one."""


class UnsafeArchiveError(DatasetError):
    """An archive member could land outside the dataset folder, or is a link or device."""


class UnsafePickleError(DatasetError, pickle.UnpicklingError):
    """A batch file asks for something a CIFAR-10 batch never contains (e.g. a call to os.system)."""


class InvalidDatasetError(DatasetError, ValueError):
    """A batch or folder does not have the shape, dtype or labels of CIFAR-10."""


def _one_line(text):
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------------------------------------------
# Reading batches safely


def _numpy_reconstruct():
    try:
        from numpy._core.multiarray import _reconstruct, scalar  # numpy >= 2
    except ImportError:  # numpy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    return _reconstruct, scalar


_RECONSTRUCT, _SCALAR = _numpy_reconstruct()


class _BatchUnpickler(pickle.Unpickler):
    """Unpickles one CIFAR-10 batch (written by Python 2 or 3, numpy 1 or 2) and refuses, before anything is called,
    every global a batch never needs. Plain containers, strings and numbers have their own opcodes and need none.

    `shown` is how error messages name the file, `fix` ends them.
    """

    def __init__(self, file, shown, fix):
        super().__init__(file, encoding="latin1")
        self.shown, self.fix = shown, fix

    def _refuse(self, problem):
        return UnsafePickleError(f"{self.shown} is not a valid CIFAR-10 batch: {problem} (the file may have been "
                                 f"tampered with; nothing in it was run); {self.fix}")

    def find_class(self, module, name):
        allowed = {
            ("numpy.core.multiarray", "_reconstruct"): self._reconstruct,
            ("numpy._core.multiarray", "_reconstruct"): self._reconstruct,
            ("numpy.core.multiarray", "scalar"): self._scalar,
            ("numpy._core.multiarray", "scalar"): self._scalar,
            ("numpy.core.numeric", "_frombuffer"): self._frombuffer,
            ("numpy._core.numeric", "_frombuffer"): self._frombuffer,
            ("numpy", "ndarray"): np.ndarray,
            ("numpy", "dtype"): self._dtype,
            ("_codecs", "encode"): self._latin1_encode,
        }
        if (module, name) not in allowed:
            raise self._refuse(f"it asks to load {module}.{name}, which a CIFAR-10 batch never needs")
        return allowed[(module, name)]

    def persistent_load(self, pid):
        raise self._refuse("it uses persistent ids, which a CIFAR-10 batch never contains")

    def _dtype(self, spec, align=False, copy=False):
        dtype = np.dtype(spec, align, copy)
        if dtype.hasobject:
            raise self._refuse("it asks for an array of Python objects, which a CIFAR-10 batch never contains")
        return dtype

    def _reconstruct(self, subtype, shape, typecode):
        if subtype is not np.ndarray:
            raise self._refuse(f"it asks to build a {subtype!r}, not a plain numpy array")
        return _RECONSTRUCT(subtype, shape, typecode)

    def _scalar(self, dtype, *args):
        if not isinstance(dtype, np.dtype) or dtype.hasobject:
            raise self._refuse("it asks for a numpy scalar of an object dtype")
        return _SCALAR(dtype, *args)

    def _frombuffer(self, buffer, dtype, shape, order):
        # Protocol-5 pickles (numpy >= 1.16 under Python 3.8+) store an array as its raw buffer.
        return np.frombuffer(bytearray(buffer), dtype=self._dtype(dtype)).reshape(shape, order=order)

    def _latin1_encode(self, text, encoding="latin1"):
        # Python 3 writes bytes into protocol-2 pickles as _codecs.encode(text, "latin1"); no other codec is needed.
        codec = encoding.replace("-", "").replace("_", "").lower()
        if codec not in ("latin1", "iso88591") or not isinstance(text, str):
            raise self._refuse(f"it asks to encode with codec {encoding!r}")
        return text.encode("latin1")


def _load(path, shown, fix):
    """Unpickle and check one batch file; every error names the file as `shown` and ends with `fix`.

    Returns (data (N, 3072) uint8, labels (N,) int64).
    """
    bad = f"{shown} is not a valid CIFAR-10 batch"
    if Path(path).is_dir():
        raise InvalidDatasetError(f"{shown} is a folder, not a batch file; {fix}")
    try:
        with open(path, "rb") as f:
            batch = _BatchUnpickler(f, shown, fix).load()
    except FileNotFoundError:
        raise DatasetNotFoundError(f"{shown} is missing; {fix}") from None
    except (DatasetError, OSError):
        raise
    except Exception as exc:  # a truncated or garbled pickle can raise almost anything
        raise InvalidDatasetError(f"{bad}: it cannot be unpickled ({type(exc).__name__}: {exc}); {fix}") from None
    if not isinstance(batch, dict) or "data" not in batch or "labels" not in batch:
        raise InvalidDatasetError(f"{bad}: it is not a dict with 'data' and 'labels'; {fix}")
    data = batch["data"]
    try:
        labels = np.asarray(batch["labels"])
    except (TypeError, ValueError):
        raise InvalidDatasetError(f"{bad}: 'labels' is not a list of integers; {fix}") from None
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != PIXELS:
        got = f"{data.dtype} array of shape {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise InvalidDatasetError(f"{bad}: 'data' should be a uint8 array of shape (N, {PIXELS}), got {got}; {fix}")
    if labels.ndim != 1 or labels.shape[0] != data.shape[0] or labels.dtype.kind not in "iu":
        raise InvalidDatasetError(f"{bad}: 'labels' should be {data.shape[0]} integers, got {labels.dtype} array of "
                                  f"shape {labels.shape}; {fix}")
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        raise InvalidDatasetError(f"{bad}: labels should lie in 0..{NUM_CLASSES - 1}, found "
                                  f"{labels.min()}..{labels.max()}; {fix}")
    return data, labels.astype(np.int64)


def read_batch(path):
    """Read one CIFAR-10 batch file with the restricted unpickler.

    Inputs: path of a batch file such as ".../cifar-10-batches-py/data_batch_1".

    Returns (data, labels): data is (N, 3072) uint8 (R plane, G plane, B plane, each 32x32 row-major),
    labels is (N,) int64 in 0..9. Raises DatasetNotFoundError (a FileNotFoundError) for a missing file,
    UnsafePickleError (nothing in the file is run) for a pickle that asks for anything but containers, strings,
    numbers and numpy arrays, InvalidDatasetError for a corrupt file.
    """
    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError(f"{path} does not exist; check the path, or {FIX_MISSING} and find the folder "
                                   "with cs231n.datasets.cifar10_dir()")
    return _load(path, path, _fix_for(path.parent))


# ---------------------------------------------------------------------------------------------------------------
# Finding and validating a folder


def _shared_folder():
    """The cifar-10-batches-py folder $CS231N_DATASETS names, or None when the variable is unset or empty.

    The variable names the folder that contains cifar-10-batches-py/; naming cifar-10-batches-py itself is accepted
    too (an easy slip that would otherwise cost a confusing error).
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.name == DIRNAME and not (path / DIRNAME).exists() else path / DIRNAME


def _locate(datasets_dir):
    """(folder, shared): the one folder to use, and whether it is the $CS231N_DATASETS copy. The variable, when
    set, is authoritative: a broken shared copy is reported, never silently replaced by datasets/."""
    shared = _shared_folder()
    return (shared, True) if shared is not None else (Path(datasets_dir) / DIRNAME, False)


def _fix_for(folder):
    """The step that repairs `folder`, a cifar-10-batches-py folder that is missing, incomplete or damaged."""
    shared = _shared_folder()
    if shared is not None and Path(folder).resolve() == shared.resolve():
        if not shared.exists():
            return (f"point {ENV_VAR} at the folder that contains {DIRNAME}/, or unset {ENV_VAR} to use datasets/ "
                    "in the checkout (then run `make data`)")
        return (f"repair the copy {ENV_VAR} points to, or unset {ENV_VAR} to use datasets/ in the checkout "
                "(then run `make data`)")
    if not Path(folder).exists():
        return FIX_MISSING
    return f"delete {folder} and run `make data` (or `python -m cs231n.datasets`) to fetch a fresh copy"


def _incomplete(folder):
    """What keeps `folder` from holding all six batch files (by name only; nothing is opened), or None."""
    if not folder.exists():
        return "does not exist"
    if not folder.is_dir():
        return "is a file, not a folder"
    folders = [name for name in BATCH_NAMES if (folder / name).is_dir()]
    if folders:
        return f"holds a folder where the batch file {folders[0]} should be"
    missing = [name for name in BATCH_NAMES if not (folder / name).is_file()]
    if missing:
        return f"has no {', '.join(missing)}"
    return None


def _require_complete(folder):
    """Raise DatasetNotFoundError, naming the problem and its fix, unless all six batch files are in `folder`."""
    problem = _incomplete(folder)
    if problem is not None:
        prefix = "" if folder.exists() else "CIFAR-10 not found: "
        raise DatasetNotFoundError(f"{prefix}{folder} {problem}; {_fix_for(folder)}")


def cifar10_dir(datasets_dir=DATASETS_DIR):
    """Return the Path of the cifar-10-batches-py folder the notebooks should read.

    Inputs: datasets_dir, where `make data` puts the data (default: datasets/ of the checkout).

    That is $CS231N_DATASETS/cifar-10-batches-py when the variable is set, else datasets_dir/cifar-10-batches-py.
    Cheap: files are not opened (`python -m cs231n.datasets --check` validates them). Raises DatasetNotFoundError
    (a FileNotFoundError) naming the folder and the fix when the folder does not hold all six batch files.
    """
    folder, _ = _locate(datasets_dir)
    _require_complete(folder)
    return folder


def _check_batches(folder, images_per_batch, fix, shown=None):
    """Load and check the six batches of `folder`, one at a time; errors call the folder `shown` (default: its
    path) and end with `fix`. Returns validate()'s counts."""
    shown = shown or str(folder)
    counts = {"train": np.zeros(NUM_CLASSES, dtype=np.int64), "test": np.zeros(NUM_CLASSES, dtype=np.int64)}
    for name in BATCH_NAMES:
        data, labels = _load(folder / name, f"{shown}/{name}", fix)
        if data.shape[0] != images_per_batch:
            raise InvalidDatasetError(f"{shown}/{name} holds {data.shape[0]} images, expected {images_per_batch}; "
                                      f"{fix}")
        counts["train" if name in TRAIN_BATCHES else "test"] += np.bincount(labels, minlength=NUM_CLASSES)
    expected = {"train": len(TRAIN_BATCHES) * images_per_batch // NUM_CLASSES, "test": images_per_batch // NUM_CLASSES}
    for split, per_class in counts.items():
        if np.any(per_class != expected[split]):
            raise InvalidDatasetError(f"{shown}: the {split} split should hold {expected[split]} images of each "
                                      f"class, got {per_class.tolist()}; {fix}")
    return counts


def validate(folder, images_per_batch=IMAGES_PER_BATCH):
    """Check a cifar-10-batches-py folder: six batches, each (images_per_batch, 3072) uint8 with labels 0..9,
    images_per_batch / 2 of each class in training (5000) and images_per_batch / 10 in the test batch (1000).

    Inputs: folder, a Path; images_per_batch, 10000 for the real dataset.

    Returns {"train": (10,) int64 counts per class, "test": (10,) int64 counts}. Raises a DatasetError saying what
    is wrong and how to fix it. Loads one batch at a time (about 30 MB each); nothing is converted to float.
    """
    folder = Path(folder)
    _require_complete(folder)
    return _check_batches(folder, images_per_batch, _fix_for(folder))


# ---------------------------------------------------------------------------------------------------------------
# Archives: checksum, safe and atomic extraction


def verify_archive(path, md5=MD5):
    """Raise ChecksumError unless the file at `path` has the md5 `md5` (default: the official archive's)."""
    import pooch  # imported here: notebooks import this module only to find and read batches

    got = pooch.file_hash(str(path), alg="md5")
    if got != md5:
        raise ChecksumError(f"{path} has md5 {got}, expected {md5}: it is incomplete or not the CIFAR-10 python "
                            f"archive; delete it and run `make data` again (or download {URL} once more)")


# tarfile's names for what its 'data' filter refuses, in our words.
_FILTER_PROBLEMS = {"OutsideDestinationError": "would land outside the dataset folder",
                    "AbsolutePathError": "has an absolute path", "SpecialFileError": "is a device or pipe"}


def _unsafe(member, dest):
    """Why the tar `member` must not be extracted into `dest`, or None when it is safe."""
    name = member.name.replace("\\", "/")
    if member.issym() or member.islnk():
        return "is a link"  # the CIFAR-10 archive has none; refused even where the 'data' filter would allow one
    if name.startswith("/") or ":" in name.split("/")[0]:
        return "has an absolute path"  # the 'data' filter would quietly strip the slash; we refuse the archive
    if hasattr(tarfile, "data_filter"):  # Python 3.12+, 3.11.4+, 3.10.12+
        try:
            tarfile.data_filter(member, str(dest))
        except tarfile.FilterError as exc:
            return _FILTER_PROBLEMS.get(type(exc).__name__, _one_line(exc))
        return None
    # An older Python without extraction filters: the same rules by hand.
    if ".." in name.split("/"):
        return "would land outside the dataset folder"
    if not (member.isfile() or member.isdir()):
        return "is a device or pipe"
    return None


def _batch_files(tar, archive, dest):
    """Yield the regular files directly inside cifar-10-batches-py/ of an open archive, skipping other members;
    raise UnsafeArchiveError as soon as any member is unsafe, so such an archive is refused as a whole."""
    for member in tar:
        problem = _unsafe(member, dest)
        if problem is not None:
            raise UnsafeArchiveError(f"refusing to extract {archive}: its member {member.name!r} {problem}; nothing "
                                     f"was extracted; use the official archive from {URL}")
        parts = [part for part in member.name.split("/") if part not in ("", ".")]
        if member.isfile() and len(parts) == 2 and parts[0] == DIRNAME:
            yield member


def _rename(source, target, attempts=5):
    """os.replace, retried briefly on Windows, where a virus scanner may still hold a file just written."""
    for attempt in range(attempts):
        try:
            return os.replace(source, target)
        except PermissionError:
            if sys.platform != "win32" or attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def extract(archive, datasets_dir=DATASETS_DIR, images_per_batch=IMAGES_PER_BATCH):
    """Extract a verified archive to datasets_dir/cifar-10-batches-py, atomically.

    Inputs: archive, a cifar-10-python.tar.gz; datasets_dir, where the folder goes; images_per_batch, for
    validate(). ensure() calls this while it holds the datasets_dir lock.

    The batches go into a staging folder inside datasets_dir (with tarfile's 'data' filter where Python has it),
    are validated there, and the folder becomes cifar-10-batches-py by a single rename. On any error (or Ctrl-C)
    the staging folder is removed, so datasets_dir is left as it was. Returns (folder, counts), counts as
    validate() returns them.
    """
    archive, datasets_dir = Path(archive), Path(datasets_dir)
    target = datasets_dir / DIRNAME
    if target.exists():
        raise DatasetError(f"{target} already exists; delete it first to extract {archive} again")
    fix = f"the archive {archive} is damaged; delete it and run `make data` again"
    datasets_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=datasets_dir))
    try:
        # Without a filter argument, Python 3.12-3.13 warn and 3.14 applies 'data' itself; older Pythons lack it.
        data_filter = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(staging, members=_batch_files(tar, archive, staging), **data_filter)
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:  # not disk full etc.: those
            raise DatasetError(f"cannot extract {archive} ({type(exc).__name__}: {_one_line(exc)}); {fix}") from None
        extracted = staging / DIRNAME
        problem = _incomplete(extracted)
        if problem is not None:
            raise InvalidDatasetError(f"{archive} is not the CIFAR-10 python archive: its {DIRNAME}/ {problem}; {fix}")
        # Errors name the batch inside the archive, not the staging folder that is about to disappear.
        counts = _check_batches(extracted, images_per_batch, fix, shown=f"{archive}:{DIRNAME}")
        _rename(extracted, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target, counts


# ---------------------------------------------------------------------------------------------------------------
# Download


def _check_url(url):
    """Raise DatasetError unless `url` is a complete http://, https:// or ftp:// address, before anything is
    fetched, so that a typo is reported as one (not as a network or disk problem)."""
    if not url:
        raise DatasetError(f"the download URL is empty; give a mirror's full address with --url, or leave --url out "
                           f"to download from {URL}")
    try:
        parts = urlsplit(url)
        port_ok = parts.port != 0  # .port raises ValueError for a port outside 0..65535 or one that is no number
    except ValueError as exc:
        raise DatasetError(f"cannot download from {url!r}: it is not a valid URL ({exc}); check the address given "
                           "with --url") from None
    if parts.scheme not in ("http", "https", "ftp") or not parts.hostname or not port_ok:
        raise DatasetError(f"cannot download from {url!r}: give a full http://, https:// or ftp:// URL with --url")


def _content_length(response):
    """The body's size from Content-Length, or None when that header is missing or no number: the download then
    goes on without a total (the md5 check still decides whether the file is whole)."""
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isascii() and value.isdigit() else None


def _body(response, stall_seconds, stall_bytes):
    """Yield a streamed response's bytes as they arrive. Raise requests' ReadTimeout when fewer than stall_bytes
    arrived in any stall_seconds: requests' own timeout covers each read, so a server that sends a byte every few
    seconds would never trip it.
    """
    import requests
    from urllib3.exceptions import HTTPError  # urllib3 comes with requests

    # read1 hands over whatever has arrived; read (urllib3 < 2) waits for a whole chunk.
    read = getattr(response.raw, "read1", response.raw.read)
    window_start, window_bytes = time.monotonic(), 0
    while True:
        try:
            chunk = read(1 << 16, decode_content=True)
        except HTTPError as exc:  # a dropped connection or a read timeout; as requests' error, pooch retries it
            raise requests.exceptions.ConnectionError(exc) from exc
        if not chunk:
            return
        yield chunk
        window_bytes += len(chunk)
        if time.monotonic() - window_start >= stall_seconds:
            if window_bytes < stall_bytes:
                raise requests.exceptions.ReadTimeout(f"the transfer stalled: fewer than {stall_bytes} bytes arrived "
                                                      f"in {stall_seconds} s")
            window_start, window_bytes = time.monotonic(), 0


class _ResumingDownloader:
    """A pooch downloader that keeps what arrived in datasets/cifar-10-python.tar.gz.part and, on the next attempt
    (pooch's retry or the next `make data`), asks the server only for the rest (an HTTP Range request).

    When the transfer completes, the partial file is renamed to the temporary file pooch gave us; pooch then checks
    the md5 and moves it into place, or deletes it: a complete but wrong file is never kept.
    """

    def __init__(self, partial, stall_seconds, stall_bytes):
        self.partial, self.stall_seconds, self.stall_bytes = partial, stall_seconds, stall_bytes

    def __call__(self, url, output_file, pooch_instance):
        import requests
        from tqdm.auto import tqdm

        have = self.partial.stat().st_size if self.partial.is_file() else 0
        headers = {"Accept-Encoding": "identity"}  # a range counts stored bytes: no compression in transit
        if have:
            headers["Range"] = f"bytes={have}-"
        with requests.get(url, headers=headers, stream=True, timeout=self.stall_seconds) as response:
            if have and response.status_code == 416:  # nothing left to send: the partial file is whole
                os.replace(self.partial, output_file)
                return
            response.raise_for_status()
            if response.status_code != 206:  # the server ignored the Range header: start again
                have = 0
            size = _content_length(response)
            if have:
                print(f"Resuming after {have / 2**20:.1f} MiB", file=sys.stderr)
            with tqdm(total=None if size is None else have + size, initial=have, desc=ARCHIVE_NAME, unit="B",
                      unit_scale=True, unit_divisor=1024, file=sys.stderr, ascii=sys.platform == "win32") as bar, \
                    open(self.partial, "ab" if have else "wb") as out:
                for chunk in _body(response, self.stall_seconds, self.stall_bytes):
                    out.write(chunk)
                    bar.update(len(chunk))
        os.replace(self.partial, output_file)


def download(url=URL, datasets_dir=DATASETS_DIR, md5=MD5, retries=RETRIES, stall_seconds=STALL_SECONDS,
             stall_bytes=STALL_BYTES):
    """Download the archive from `url` to datasets_dir/cifar-10-python.tar.gz.downloaded with pooch.

    Inputs: url, an http(s):// or ftp:// address; md5, the checksum the file must have; retries, further
    attempts after a failed one; stall_seconds and stall_bytes, the stall rule (fewer bytes than that in that
    many seconds fails the attempt).

    A tqdm progress bar goes to stderr; over http(s) an interrupted transfer resumes where it stopped (also in the
    next run) from cifar-10-python.tar.gz.part. pooch checks the md5 once and moves the file into place only when
    it matches (and deletes it otherwise); a file already in place from an earlier run is reused when its md5
    matches. Returns the archive's Path; raises ChecksumError or DatasetError.
    """
    import pooch
    import requests

    _check_url(url)
    datasets_dir = Path(datasets_dir)
    if url.startswith("ftp://"):
        downloader = pooch.FTPDownloader(progressbar=True, timeout=stall_seconds)
    else:
        downloader = _ResumingDownloader(datasets_dir / PARTIAL_NAME, stall_seconds, stall_bytes)
    earlier = datasets_dir / DOWNLOADED_NAME
    print(f"Using {earlier}, downloaded by an earlier run" if earlier.is_file() else
          f"Downloading CIFAR-10 (about {ARCHIVE_MIB} MiB) from {url}", file=sys.stderr)
    fetcher = pooch.create(path=datasets_dir, base_url="", registry={DOWNLOADED_NAME: f"md5:{md5}"},
                           urls={DOWNLOADED_NAME: url}, retry_if_failed=retries)
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")  # our own messages say what happens; pooch's would repeat them
    try:
        return Path(fetcher.fetch(DOWNLOADED_NAME, downloader=downloader))
    except (requests.exceptions.RequestException, ftplib.Error, ConnectionError, TimeoutError, socket.gaierror) as exc:
        resume = " (it resumes from what arrived)" if (datasets_dir / PARTIAL_NAME).is_file() else ""
        raise DatasetError(f"could not download {url} ({type(exc).__name__}: {_one_line(exc)}); check the "
                           f"connection and run `make data` again{resume}, give a mirror with --url, or save the "
                           f"file with a browser as {datasets_dir / ARCHIVE_NAME}") from None
    except ValueError:  # pooch's md5 check: with the URL checked above, the only ValueError fetch() raises
        raise ChecksumError(f"the file from {url} does not have the CIFAR-10 md5 {md5} (damaged in transit, or not "
                            f"the official archive); nothing was kept; run `make data` again or try another "
                            f"--url") from None
    finally:
        logger.setLevel(level)


# ---------------------------------------------------------------------------------------------------------------
# The whole flow


@contextlib.contextmanager
def _one_run_at_a_time(datasets_dir):
    """Hold datasets_dir/.cifar-10.lock, so one run at a time downloads, extracts or cleans in datasets_dir.

    The OS releases the lock when its process dies, so a killed run never blocks the next one.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(datasets_dir / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"Another run is setting up CIFAR-10 in {datasets_dir}; waiting for it to finish", file=sys.stderr)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _leftovers(datasets_dir):
    """What earlier runs of ours left in datasets_dir that no run will use: staging folders and pooch's temporary
    files (a killed run leaves them), and, once the dataset is in place, a downloaded or partial archive."""
    if not datasets_dir.is_dir():
        return []
    done = (datasets_dir / DIRNAME).is_dir()
    return [path for path in datasets_dir.iterdir()
            if (path.name.startswith(STAGING_PREFIX) and path.is_dir())
            or (POOCH_TEMPORARY.fullmatch(path.name) and path.is_file())
            or (done and path.name in (PARTIAL_NAME, DOWNLOADED_NAME))]


def ensure(url=URL, archive=None, datasets_dir=DATASETS_DIR, md5=MD5, retries=RETRIES,
           images_per_batch=IMAGES_PER_BATCH, stall_seconds=STALL_SECONDS, stall_bytes=STALL_BYTES):
    """Make sure a valid dataset folder exists, in the order of this module's docstring.

    Inputs:
    - url: where to download from when needed (default: the official archive).
    - archive: a .tar.gz to extract instead of looking for datasets/cifar-10-python.tar.gz or downloading.
    - datasets_dir: where data lands (default: datasets/ of the checkout).
    - md5: the checksum any archive must have; retries, stall_seconds, stall_bytes: see download().
    - images_per_batch: see validate().

    Returns (folder, source, counts): the validated folder, a short description of where it came from, and
    validate()'s per-class counts. Never writes into the $CS231N_DATASETS copy.
    """
    _check_url(url)
    if archive is not None:
        archive = Path(archive)
        if archive.is_dir():
            raise DatasetError(f"{archive} is a folder, not an archive; give the path of the file "
                               f"{ARCHIVE_NAME} itself")
        if not archive.is_file():
            raise DatasetNotFoundError(f"{archive} does not exist; give the path of {ARCHIVE_NAME}")
    asked = archive is not None or url != URL
    folder, shared = _locate(datasets_dir)
    if shared:
        counts = validate(folder, images_per_batch)
        if asked:
            print(f"note: ${ENV_VAR} is set, so {folder} is used and nothing is extracted or downloaded; unset "
                  f"{ENV_VAR} to use --from-archive or --url", file=sys.stderr)
        return folder, f"${ENV_VAR}, used in place", counts
    datasets_dir = Path(datasets_dir)
    if not folder.exists() or _leftovers(datasets_dir):  # else nothing to write: a read-only checkout works too
        datasets_dir.mkdir(parents=True, exist_ok=True)
        with _one_run_at_a_time(datasets_dir):
            for path in _leftovers(datasets_dir):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            if not folder.exists():  # still missing now that no other run is at work
                return _fetch_and_extract(url, archive, datasets_dir, md5, retries, images_per_batch, stall_seconds,
                                          stall_bytes)
    counts = validate(folder, images_per_batch)
    if asked:
        print(f"note: {folder} already exists, so nothing is extracted or downloaded; delete it to start over",
              file=sys.stderr)
    return folder, "already in place", counts


def _fetch_and_extract(url, archive, datasets_dir, md5, retries, images_per_batch, stall_seconds, stall_bytes):
    """Steps 3 and 4 of the module docstring (ensure() holds the lock). Returns (folder, source, counts)."""
    if archive is None and (datasets_dir / ARCHIVE_NAME).is_file():
        archive = datasets_dir / ARCHIVE_NAME
    if archive is not None:
        print(f"Verifying and extracting {archive}", file=sys.stderr)
        verify_archive(archive, md5)
        folder, counts = extract(archive, datasets_dir, images_per_batch)
        return folder, f"extracted from {archive}", counts  # a user's archive is kept
    archive = download(url, datasets_dir, md5, retries, stall_seconds, stall_bytes)
    print(f"Extracting {archive}", file=sys.stderr)
    folder, counts = extract(archive, datasets_dir, images_per_batch)
    archive.unlink()  # 163 MiB no longer needed (when extraction fails, it stays for the next run)
    return folder, f"downloaded from {url}", counts


def check(datasets_dir=DATASETS_DIR, images_per_batch=IMAGES_PER_BATCH):
    """Validate the folder cifar10_dir() would return, without downloading, extracting or writing anything.

    Returns (folder, source, counts) like ensure().
    """
    folder, shared = _locate(datasets_dir)
    return folder, f"${ENV_VAR}, used in place" if shared else "in the checkout", validate(folder, images_per_batch)


def format_counts(counts):
    """The per-class table --check prints: one header line, then one line per split."""
    widths = [max(len(name), 5) for name in CLASSES]
    lines = ["split  images  " + "  ".join(f"{n:>{w}}" for n, w in zip(CLASSES, widths))]
    for split, per_class in counts.items():
        cells = "  ".join(f"{int(c):>{w}}" for c, w in zip(per_class, widths))
        lines.append(f"{split:<5}  {int(per_class.sum()):>6}  {cells}")
    return "\n".join(lines)


def main(argv=None, datasets_dir=DATASETS_DIR, md5=MD5, retries=RETRIES, images_per_batch=IMAGES_PER_BATCH):
    """The command line; returns the exit status (0 success, 1 failure with a one-line error on stderr).

    Inputs: argv, the arguments (default: sys.argv[1:]); the other parameters go to ensure() and check() (tests
    use them for a synthetic dataset).
    """
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
    if args.check and (args.from_archive is not None or args.url is not None):
        parser.error("--check only reads what is in place; run without it to use --from-archive or --url")
    try:
        if args.check:
            folder, source, counts = check(datasets_dir, images_per_batch)
        else:
            folder, source, counts = ensure(URL if args.url is None else args.url, args.from_archive, datasets_dir,
                                            md5, retries, images_per_batch)
    except DatasetError as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, no permission to write datasets/, ...
        print(f"error: {_one_line(exc)}; free some disk space or fix the permissions of {datasets_dir}, then run "
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
