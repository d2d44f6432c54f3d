"""Synthetic CIFAR-10 for the data tests: batches in the official (Python 2, protocol 2) pickle format, folders,
archives, and a throw-away HTTP server on 127.0.0.1. Nothing here touches the real dataset or the network.

A plain helper module (not a conftest): tests import what they use, e.g.
`from tests.synthetic_cifar import build_archive, write_folder`.
"""

import hashlib
import io
import struct
import tarfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

from cs231n.cifar10 import BATCH_NAMES, NUM_CLASSES

__all__ = ["BATCH_NAMES", "SMALL_BATCH", "PROXY_VARIABLES", "LocalServer", "balanced_labels", "build_archive",
           "py2_batch_pickle", "synthetic_batches", "write_folder"]

SMALL_BATCH = 20  # images per synthetic batch: 2 of each class

# Environment variables that would send a request for 127.0.0.1 through a proxy; tests delete them.
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")


def _string(text):
    """A Python 2 `str` in a protocol-2 pickle (SHORT_BINSTRING or BINSTRING), latin1 bytes."""
    raw = text if isinstance(text, bytes) else text.encode("latin1")
    return b"U" + bytes([len(raw)]) + raw if len(raw) < 256 else b"T" + struct.pack("<i", len(raw)) + raw


def _int(value):
    if 0 <= value < 256:
        return b"K" + bytes([value])
    if 0 <= value < 65536:
        return b"M" + struct.pack("<H", value)
    return b"J" + struct.pack("<i", value)


def py2_batch_pickle(data, labels, batch_label="synthetic batch"):
    """Bytes of a CIFAR-10 batch exactly as the official files store it: a protocol-2 pickle written by Python 2
    and numpy 1 (numpy.core.multiarray._reconstruct, the pixels as one latin1 BINSTRING, labels a list of ints).

    Inputs: data (N, D) uint8 array, labels sequence of N ints.
    """
    n, d = data.shape
    array = (b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n" + _int(0) + b"\x85" + _string("b") + b"\x87R"
             + b"(" + _int(1) + _int(n) + _int(d) + b"\x86"
             + b"cnumpy\ndtype\n" + _string("u1") + _int(0) + _int(1) + b"\x87R"
             + b"(" + _int(3) + _string("|") + b"NNN" + b"J\xff\xff\xff\xff" * 2 + _int(0) + b"tb"
             + b"\x89" + _string(np.ascontiguousarray(data, dtype=np.uint8).tobytes()) + b"tb")
    label_list = b"](" + b"".join(_int(int(v)) for v in labels) + b"e"
    return (b"\x80\x02}(" + _string("batch_label") + _string(batch_label) + _string("labels") + label_list
            + _string("data") + array + b"u.")


def balanced_labels(n, seed=0):
    """n labels with n / 10 of each class, shuffled."""
    return np.random.default_rng(seed).permutation(np.arange(n) % NUM_CLASSES)


def synthetic_batches(images_per_batch=SMALL_BATCH, seed=0):
    """{name: (data (N, 3072) uint8, labels (N,) int64)} for the six batches; random pixels, balanced labels."""
    rng = np.random.default_rng(seed)
    return {name: (rng.integers(0, 256, (images_per_batch, 3072), dtype=np.uint8), balanced_labels(images_per_batch, k))
            for k, name in enumerate(BATCH_NAMES)}


def _batch_bytes(name, data, labels, overrides):
    overrides = overrides or {}
    return overrides[name] if name in overrides else py2_batch_pickle(data, labels, name)


def write_folder(folder, batches=None, overrides=None):
    """Write a cifar-10-batches-py folder. overrides maps a batch name to raw bytes to write instead.

    Returns the batches dict that was written.
    """
    batches = synthetic_batches() if batches is None else batches
    folder.mkdir(parents=True, exist_ok=True)
    for name, (data, labels) in batches.items():
        raw = _batch_bytes(name, data, labels, overrides)
        (folder / name).write_bytes(raw)
    return batches


def build_archive(path, batches=None, overrides=None, extra_members=()):
    """Write a .tar.gz laid out like the official one (cifar-10-batches-py/<batch>). extra_members is a sequence
    of tarfile.TarInfo (with .size set) and bytes pairs added at the end. Returns the archive's md5."""
    batches = synthetic_batches() if batches is None else batches
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        folder = tarfile.TarInfo("cifar-10-batches-py")
        folder.type, folder.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(folder)
        for name, (data, labels) in batches.items():
            raw = _batch_bytes(name, data, labels, overrides)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
        for info, raw in extra_members:
            tar.addfile(info, io.BytesIO(raw) if raw is not None else None)
    return hashlib.md5(path.read_bytes()).hexdigest()


class _QuietServer(ThreadingHTTPServer):
    """Handler threads never outlive the test run, and a client that hangs up mid-answer (which tests do on
    purpose) is no error worth a traceback on stderr, where it would land in another test's captured output."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


class LocalServer:
    """Serves byte strings on 127.0.0.1, honouring "Range: bytes=N-" requests with 206 (or 416 past the end).

    `routes[path]` is a list of responses used in turn (the last one repeats):
    - ("ok", body): the body (or the requested rest of it);
    - ("truncate", body): the headers promise everything requested, half of it is sent, the connection closes;
    - ("no-range", body): the whole body with 200, ignoring any Range;
    - ("bad-length", body): the body with the header "Content-Length: unknown", then the connection closes;
    - ("trickle", body): correct headers, then one byte every `trickle_seconds` (a server that never quite stops);
    - ("gate", body): waits until `gate` (a threading.Event) is set, at most 10 s, then answers like "ok";
    - ("status", code): an HTTP error.
    `hits` lists the paths requested, `ranges` the Range header of each request (None when absent).
    """

    def __init__(self, trickle_seconds=0.05):
        self.routes, self.hits, self.ranges = {}, [], []
        self.trickle_seconds = trickle_seconds
        self.gate = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits.append(self.path)
                server.ranges.append(self.headers.get("Range"))
                responses = server.routes.get(self.path, [("status", 404)])
                kind, value = responses.pop(0) if len(responses) > 1 else responses[0]
                if kind == "status":
                    self.send_error(value)
                    return
                if kind == "gate":
                    server.gate.wait(10)
                start = int(self.headers["Range"][6:-1]) if self.headers.get("Range") and kind != "no-range" else 0
                if start >= len(value) > 0:
                    self.send_error(416)
                    return
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(value) - 1}/{len(value)}")
                self.send_header("Content-Type", "application/gzip")
                self.send_header("Content-Length", "unknown" if kind == "bad-length" else str(len(value) - start))
                self.end_headers()
                rest = value[start:]
                if kind == "trickle":
                    for k in range(len(rest)):
                        self.wfile.write(rest[k:k + 1])
                        self.wfile.flush()
                        time.sleep(server.trickle_seconds)
                else:
                    self.wfile.write(rest if kind != "truncate" else rest[: len(rest) // 2])

            def log_message(self, *args):
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.watchdog = threading.Timer(60, self.httpd.shutdown)  # a hung test cannot keep the server alive
        self.watchdog.daemon = True

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path, *responses):
        self.routes[path] = list(responses)
        return self.url(path)

    def __enter__(self):
        self.thread.start()
        self.watchdog.start()
        return self

    def __exit__(self, *exc):
        self.gate.set()  # a handler still waiting at the gate must not outlive the test
        self.watchdog.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
