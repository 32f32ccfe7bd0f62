#!/bin/sh
# On the AIR-GAPPED machine (Linux or macOS): install GAISafe Desktop from a wheelhouse, no network used.
#
#   sh install_offline.sh [TARGET_DIR]          (run from the wheelhouse folder; default target:
#                                                 ~/.local/share/gaisafe/app on Linux, ~/Applications/GAISafe on macOS)
#
# Needs Python 3.11 or newer with the venv module (Debian/Ubuntu: python3-venv). Steps: check every wheel
# against SHA256SUMS, create a virtual environment, install with pip --no-index --require-hashes, run the
# self-test. Then start `TARGET_DIR/bin/gaisafe-desktop`, or `TARGET_DIR/bin/gaisafe` for the CLI.
set -eu
WH=$(cd "$(dirname "$0")" && pwd)
if [ "$(uname)" = Darwin ]; then DEFAULT="$HOME/Applications/GAISafe"; else DEFAULT="${XDG_DATA_HOME:-$HOME/.local/share}/gaisafe/app"; fi
TARGET=${1:-$DEFAULT}
PYTHON=${PYTHON:-python3}

echo "1/4 checking the wheels against SHA256SUMS"
if command -v sha256sum >/dev/null; then (cd "$WH" && sha256sum --quiet -c SHA256SUMS)
else (cd "$WH" && shasum -a 256 --quiet -c SHA256SUMS); fi

echo "2/4 creating the environment in $TARGET"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed")'
"$PYTHON" -m venv "$TARGET"

echo "3/4 installing from $WH (no network)"
# only this folder: ignore any pip configuration or index of the machine
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_CONSTRAINT PIP_NO_INDEX
PIP_CONFIG_FILE=/dev/null "$TARGET/bin/python" -m pip install --quiet --no-index --find-links "$WH" \
  --require-hashes -r "$WH/requirements.lock"

echo "4/4 self-test"
QT_QPA_PLATFORM=offscreen "$TARGET/bin/gaisafe" selftest
echo "installed: $TARGET/bin/gaisafe-desktop (GUI), $TARGET/bin/gaisafe (CLI)"
