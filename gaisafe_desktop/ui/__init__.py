"""The PySide6 desktop application. Views only: every action calls a core function."""
