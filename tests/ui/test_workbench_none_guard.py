"""The None guard: thousands of Qt calls that drop references to None no longer abort the interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from gaisafe_testing import ROOT

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    start = sys.getrefcount(None)
    if sys.argv[1] == "guard":
        from gaisafe_desktop.ui.none_guard import protect_none
        protect_none()
    for _ in range(start + 1000):  # more leaked references than None has: aborts without the guard
        app.processEvents()
    print("survived", start)
    """
)


def test_processevents_leak_is_survived_with_the_guard():
    run = [sys.executable, "-c", SCRIPT]
    guarded = subprocess.run([*run, "guard"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert guarded.returncode == 0, guarded.stderr
    assert "survived" in guarded.stdout
    bare = subprocess.run([*run, "bare"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    if bare.returncode != 0:  # PySide6 6.12 on CPython 3.11: the leak is real and fatal without the guard
        assert "none_dealloc" in bare.stderr


def test_the_application_installs_the_guard(qapp):
    import ctypes

    from gaisafe_desktop.ui.app import make_application

    make_application()
    if sys.version_info < (3, 12):
        assert ctypes.c_ssize_t.from_address(id(None)).value > 1 << 40
