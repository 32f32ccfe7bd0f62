"""Entry point of both frozen executables; which program runs depends on the executable's name.

``build.spec`` builds ``gaisafe-desktop`` (windowed) and ``gaisafe`` (console) from this one script,
so both share one folder of libraries, resources and models.
"""

import multiprocessing
import os
import sys
from pathlib import Path

os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # also set by gaisafe_desktop/__init__.py; no telemetry, ever

if __name__ == "__main__":
    multiprocessing.freeze_support()  # spawned worker processes re-enter here and must stop at this line
    if Path(sys.executable).stem.lower().startswith("gaisafe-desktop"):
        from gaisafe_desktop.__main__ import main
    else:
        from gaisafe_desktop.cli.main import main
    sys.exit(main())
