#!/bin/sh
# Build the frozen one-folder app (dist/gaisafe/) with PyInstaller from build.spec, then write its checksums.
#
#   installers/build_frozen.sh [DIST_DIR] [WORK_DIR]      (defaults: dist, build)
#
# Needs the app's dependencies and PyInstaller in the current Python (pip install -e '.[build]'), and on Linux
# binutils (objdump). Prints the build time and size; the folder's file list with SHA-256 is written to
# DIST_DIR/gaisafe.SHA256SUMS so IT can check the unpacked folder (sha256sum -c).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$ROOT/dist}
WORK=${2:-$ROOT/build}
PYTHON=${PYTHON:-python3}
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN --workpath "$WORK" --distpath "$DIST" "$ROOT/build.spec"
end=$(date +%s)
(cd "$DIST" && find gaisafe -type f -print0 | sort -z | xargs -0 sha256sum > gaisafe.SHA256SUMS)
size=$(du -sm "$DIST/gaisafe" | cut -f1)
files=$(wc -l < "$DIST/gaisafe.SHA256SUMS")
echo "frozen app: $DIST/gaisafe ($size MiB, $files files) built in $((end - start)) s"
