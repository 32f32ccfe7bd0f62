"""Package layout that pyproject.toml cannot express: the top-level data folders are installed inside
the package (``gaisafe_desktop._resources`` ← ``resources/``, ``gaisafe_desktop._bundled_models`` ←
``bundled_models/``) so a non-editable install finds them; ``core/resources.py`` looks there."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["gaisafe_desktop", "gaisafe_desktop.*"]),
              "gaisafe_desktop._resources", "gaisafe_desktop._bundled_models"],
    package_dir={"gaisafe_desktop._resources": "resources", "gaisafe_desktop._bundled_models": "bundled_models"},
)
