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
        from gaisafe_desktop.ui.workbench.none_guard import protect_none
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
    assert bare.returncode != 0 and "none_dealloc" in bare.stderr  # the PySide6 6.12 leak is real
