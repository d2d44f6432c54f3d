"""Helpers for CS231n Assignment 1: data, gradient checks, plots, classifiers, features and the self-check."""

import os
import sys

__version__ = "0.2.0"

_BLAS_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def pin_blas_threads(count=1):
    """Ask numpy's BLAS library for `count` threads, unless the environment already says how many.

    Minibatch SGD multiplies small matrices (200 x 3073 by 3073 x 10); splitting such products over several
    threads costs more than it saves, and on a busy machine it makes training several times slower. BLAS reads
    these variables once, when numpy is first imported, so call this in a notebook's first cell, before importing
    numpy or anything that imports it. Importing `cs231n` itself imports nothing heavy.
    """
    if "numpy" in sys.modules and any(os.environ.get(name) is None for name in _BLAS_VARIABLES):
        raise RuntimeError("pin_blas_threads() must run before numpy is imported; restart the kernel and call it "
                           "in the first cell, before any other import.")
    for name in _BLAS_VARIABLES:
        os.environ.setdefault(name, str(count))
