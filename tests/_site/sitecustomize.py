"""Imported at start-up by every Python process the tests launch (PYTHONPATH includes this folder)."""

import gaisafe_blocks  # noqa: F401
