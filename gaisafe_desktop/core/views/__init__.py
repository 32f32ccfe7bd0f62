"""Qt-free read models and small jobs the desktop views call (no SQL in the UI)."""
