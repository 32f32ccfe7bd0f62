#!/usr/bin/env bash
# GAISafe Desktop — set-up and run in one command.
#
#   ./run.sh demo [DIR]         the main job: a complete demo audit on the bundled data, headless,
#                               ending in signed PDFs and a verified case file in DIR (default demo-out/);
#                               then opens the demo project in the GUI if a display exists
#   ./run.sh test [PYTEST ARGS] the whole test suite
#   ./run.sh gui | cli ARGS…    start the desktop app / the `gaisafe` command line
#   ./run.sh system-packages    only install the system packages (what .ci/run does first)
#
# On first use it installs the system packages Qt, the fonts and the PDF tools need (apt-get, when run
# as root or with sudo), creates .venv with Python 3.11+ and installs the app and its test tools.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
VENV="$ROOT/.venv"

APT_PACKAGES=(
  python3-venv ca-certificates locales
  # Qt offscreen and under Xvfb
  libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0
  libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0
  # Chinese font for the GUI; PDF text extraction and rendering for tests and screenshots
  fonts-wqy-microhei poppler-utils poppler-data
  # PyInstaller (frozen build); strace proves the frozen app opens no network connection; .desktop check
  binutils strace desktop-file-utils
)

log() { printf '\033[1m[run.sh]\033[0m %s\n' "$*" >&2; }

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      log "missing system packages (install them as root): ${missing[*]}"; return 0; fi
  fi
  log "installing system packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$py"; return 0; fi
  done
  log "Python 3.11 or newer is required"; exit 1
}

setup_venv() {
  local stamp="$VENV/.installed" want
  want=$(cat pyproject.toml run.sh | sha256sum | cut -d' ' -f1)
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing GAISafe Desktop and its dependencies into .venv (first run takes a few minutes)"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test,scale,build,train]"
    echo "$want" > "$stamp"
  fi
}

run_tests() {
  export GAISAFE_BLOCK_NET=1
  local py="$VENV/bin/python" rc=0
  log "tests 1/2: core and CLI, with PySide6 made unimportable"
  GAISAFE_BLOCK_QT=1 "$py" -m pytest -p no:pytest-qt -p no:cacheprovider tests --ignore=tests/ui --ignore=tests/e2e "$@" || rc=$?
  [ $rc -eq 0 ] || return $rc
  log "tests 2/2: desktop UI (offscreen) and end-to-end"
  local dirs=()
  for d in tests/ui tests/e2e; do
    if compgen -G "$d/test_*.py" >/dev/null; then dirs+=("$d"); fi
  done
  [ ${#dirs[@]} -eq 0 ] && return 0
  QT_QPA_PLATFORM=offscreen "$py" -m pytest -p no:cacheprovider "${dirs[@]}" "$@"
}

cmd="${1:-demo}"; shift || true
install_system_packages
[ "$cmd" = "system-packages" ] && exit 0
setup_venv
case "$cmd" in
  test) run_tests "$@" ;;
  demo)
    out="${1:-demo-out}"
    "$VENV/bin/gaisafe" demo --out "$out"
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      log "opening the demo project in the desktop app"
      "$VENV/bin/gaisafe-desktop" "$out/demo-audit.gaisafe" &
    fi ;;
  gui) exec "$VENV/bin/gaisafe-desktop" "$@" ;;
  cli) exec "$VENV/bin/gaisafe" "$@" ;;
  *) log "unknown command: $cmd (use demo, test, gui or cli)"; exit 2 ;;
esac
