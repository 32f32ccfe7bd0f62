"""Blocks applied to every Python process the tests start (see sitecustomize.py beside this file).

- ``GAISAFE_BLOCK_NET=1``: any connection to a non-loopback address raises ``OSError`` — tests prove
  the app never uses the network.
- ``GAISAFE_BLOCK_QT=1``: importing PySide6/shiboken6 raises ``ImportError`` — proves the core and the
  CLI run without Qt.
"""

import os

if os.environ.get("GAISAFE_BLOCK_QT") == "1":
    import sys

    class _BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "pytestqt"):
                raise ImportError(f"{name} is blocked in this test run (GAISAFE_BLOCK_QT=1)")
            return None

    sys.meta_path.insert(0, _BlockQt())

if os.environ.get("GAISAFE_BLOCK_NET") == "1":
    import ipaddress
    import socket

    _orig_connect = socket.socket.connect
    _orig_connect_ex = socket.socket.connect_ex

    def _allowed(address):
        if isinstance(address, str | bytes):  # AF_UNIX
            return True
        host = address[0]
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"

    def _connect(self, address):
        if not _allowed(address):
            raise OSError(f"network access blocked in tests: {address!r}")
        return _orig_connect(self, address)

    def _connect_ex(self, address):
        if not _allowed(address):
            raise OSError(f"network access blocked in tests: {address!r}")
        return _orig_connect_ex(self, address)

    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
