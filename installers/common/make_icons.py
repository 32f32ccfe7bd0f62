"""Render the application icon (``gaisafe.svg``) to PNG, Windows ``.ico`` and macOS ``.icns``.

Build-time only (needs PySide6 for the SVG renderer and Pillow for ico/icns):

    python installers/common/make_icons.py OUT_DIR

writes ``OUT_DIR/gaisafe-<size>.png`` (16…512), ``gaisafe.ico`` and ``gaisafe.icns``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render_pngs(out: Path) -> dict[int, Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(HERE / "gaisafe.svg"))
    if not renderer.isValid():
        raise SystemExit(f"{HERE / 'gaisafe.svg'}: not a valid SVG")
    paths = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        path = out / f"gaisafe-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"{path}: could not write")
        paths[size] = path
    return paths


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "build/icons")
    out.mkdir(parents=True, exist_ok=True)
    pngs = render_pngs(out)
    from PIL import Image

    big = Image.open(pngs[512])
    big.save(out / "gaisafe.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(out / "gaisafe.icns")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
