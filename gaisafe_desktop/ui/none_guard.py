"""Keep ``None`` alive under PySide6 6.12 on CPython 3.11.

Measured here: many PySide6 6.12 calls drop one reference to ``None`` they never took
(``QApplication.processEvents`` −1 per call, ``QWidget.setFocus`` −1, a key press through the
workbench about −10, opening the risk picker about −30). On CPython before 3.12 ``None`` is
reference-counted, so after a few thousand decisions its count reaches zero and the interpreter
aborts with ``Fatal Python error: none_dealloc`` (seen in ``benchmarks/workbench_bench.py``).
CPython 3.12 made ``None`` immortal (PEP 683); this gives 3.11 the same property by adding 2**40
references once. It does nothing on 3.12+ or other interpreters.

``True`` and ``False`` get the same treatment: measured, every job through ``ui/workers.py`` drops
about three references to ``True`` and ``ListTableModel.retranslate`` one; with the whole UI test
suite in one process the interpreter then aborted at exit with ``Fatal Python error: bool_dealloc``.
"""

from __future__ import annotations

import ctypes
import sys

_DONE = False


def protect_none() -> None:
    """Add 2**40 references to ``None``, ``True`` and ``False`` (once per process) on CPython < 3.12."""
    global _DONE
    if _DONE or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    # ob_refcnt is the first field of every PyObject on CPython 3.11 (non-debug builds).
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    _DONE = True
