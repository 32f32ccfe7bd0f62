#!/bin/sh
# On a CONNECTED machine: collect GAISafe Desktop and every dependency as wheels, for an offline install.
#
#   installers/wheelhouse/build_wheelhouse.sh [OUT_DIR] [--platform TAG]
#
#   OUT_DIR      default: dist/wheelhouse
#   --platform   build for another system than this one, e.g. win_amd64, macosx_11_0_arm64,
#                manylinux_2_28_x86_64 (binary wheels only; Python 3.11, the app's own wheel is universal)
#   --scale      also Dask (the `scale` extra), for machines that run the technical check as a cluster job
#
# Writes OUT_DIR/*.whl, OUT_DIR/requirements.lock (every wheel pinned with its SHA-256, so pip refuses a
# changed file) and OUT_DIR/SHA256SUMS. Copy the folder to the air-gapped machine and run
# install_offline.sh (Linux/macOS) or install_offline.ps1 (Windows) from it.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/dist/wheelhouse
PLATFORM=""
EXTRA=""
while [ $# -gt 0 ]; do
  case "$1" in
    --platform) PLATFORM=$2; shift 2 ;;
    --scale) EXTRA="[scale]"; shift ;;
    *) OUT=$1; shift ;;
  esac
done
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# 1. the app itself (pure Python + its resources and models), built from this checkout
"$PYTHON" -m pip wheel --no-deps --wheel-dir "$OUT" "$ROOT"
APP_WHEEL=$(ls -t "$OUT"/gaisafe_desktop-*.whl | head -1)

# 2. every run-time dependency, as binary wheels
if [ -n "$PLATFORM" ]; then
  # another system: binary wheels only (every dependency publishes them)
  "$PYTHON" -m pip download --dest "$OUT" --only-binary=:all: --platform "$PLATFORM" \
    --python-version 3.11 --implementation cp "$APP_WHEEL$EXTRA"
else
  # this system: wheels as published, and any source-only dependency built into a wheel here
  "$PYTHON" -m pip wheel --wheel-dir "$OUT" "$APP_WHEEL$EXTRA"
fi
# pip itself, so an old pip on the target can be upgraded offline first
"$PYTHON" -m pip download --dest "$OUT" --only-binary=:all: --no-deps ${PLATFORM:+--platform "$PLATFORM" --python-version 3.11} pip

# 3. the install scripts, the lock file (name==version --hash) and the checksum list
cp "$(dirname "$0")/install_offline.sh" "$(dirname "$0")/install_offline.ps1" "$OUT/"
"$PYTHON" "$(dirname "$0")/lock_wheelhouse.py" "$OUT"
echo "wheelhouse: $OUT ($(ls "$OUT"/*.whl | wc -l) wheels, $(du -sm "$OUT" | cut -f1) MiB)"
