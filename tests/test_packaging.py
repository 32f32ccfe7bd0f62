"""A non-editable install (the built wheel) finds every resource and model without the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from gaisafe_testing import ROOT, subprocess_env

pytestmark = pytest.mark.slow


def _package_dirs() -> set[str]:
    """Every folder of the source package that holds Python modules (each must be a package)."""
    pkg = ROOT / "gaisafe_desktop"
    return {str(p.parent.relative_to(ROOT)) for p in pkg.rglob("*.py")}


def test_every_source_folder_is_a_package():
    missing = sorted(d for d in _package_dirs() if not (ROOT / d / "__init__.py").exists())
    assert not missing, f"folders without __init__.py are left out of the wheel: {missing}"


def test_wheel_carries_resources_and_models(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                        str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True, cwd=tmp_path,
                       env=subprocess_env())
    assert r.returncode == 0, r.stderr
    wheel = next((tmp_path / "dist").glob("gaisafe_desktop-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(site)
    assert any(n.startswith("gaisafe_desktop/_resources/frameworks/tc260-2024-draft/") for n in names)
    assert any(n.startswith("gaisafe_desktop/_resources/locale/zh_CN/LC_MESSAGES/") and n.endswith(".mo")
               for n in names)
    assert any(n.startswith("gaisafe_desktop/core/store/migrations/0001_") for n in names)
    missing = sorted(d for d in _package_dirs() if not any(n.startswith(d + "/") for n in names))
    assert not missing, f"source folders missing from the wheel: {missing}"
    code = (
        "import gaisafe_desktop, pathlib, sys\n"
        "from gaisafe_desktop.core.resources import resource_path, models_path\n"
        "assert str(pathlib.Path(gaisafe_desktop.__file__)).startswith(sys.argv[1]), gaisafe_desktop.__file__\n"
        "from gaisafe_desktop.core.frameworks import load_framework\n"
        "fw = load_framework('tc260-2024-draft'); assert len(fw.risks) == 31\n"
        "from gaisafe_desktop.core.i18n import set_language, _\n"
        "set_language('zh'); assert _('Cancelled.') == '已取消。'\n"
        "from gaisafe_desktop.core.store.migrate import known_migrations; assert known_migrations()\n"
        "import importlib, pkgutil, gaisafe_desktop.core as core\n"
        "src = {m.name for m in pkgutil.walk_packages(core.__path__, 'gaisafe_desktop.core.')}\n"
        "assert {'gaisafe_desktop.core.detect.classifier', 'gaisafe_desktop.core.detect.keywords.matcher'} <= src, src\n"
        "models = [p for p in models_path().glob('*/manifest.json')]\n"
        "fonts = list(resource_path('fonts').glob('*.tt*'))\n"
        "print(len(models), len(fonts), resource_path())\n"
    )
    env = subprocess_env()
    env["PYTHONPATH"] = str(site)  # only the installed copy, not the source tree
    r = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    n_models, n_fonts, root = r.stdout.split()
    assert root.startswith(str(site))
    expected_models = len(list((ROOT / "bundled_models").glob("*/manifest.json")))
    expected_fonts = len(list((ROOT / "resources" / "fonts").glob("*.tt*")))
    assert int(n_models) == expected_models
    assert int(n_fonts) == expected_fonts
