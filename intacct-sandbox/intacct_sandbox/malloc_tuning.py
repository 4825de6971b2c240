"""Keep large response buffers in the heap instead of fresh mmap'd memory (glibc only).

A 2000-row query page is a few megabytes of text, built and copied a few times per
request (rows joined into the page, the page into the envelope, the envelope encoded).
glibc serves such blocks with mmap and unmaps them on free, so every request page-faults
its megabytes in again; with two requests in flight that costs a few CPU milliseconds per
page. Raising the mmap and trim thresholds lets freed buffers be reused. Elsewhere (other
C libraries, or when the call fails) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger("intacct_sandbox.malloc_tuning")

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # glibc's ceiling for this setting on 64-bit
TRIM_THRESHOLD_BYTES = 128 * 1024 * 1024


def keep_large_buffers() -> bool:
    """Apply the thresholds; True when glibc accepted both."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    applied = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
    log.debug("malloc thresholds applied: %s", applied)
    return applied
