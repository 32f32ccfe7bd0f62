#!/bin/sh
# Package the frozen app as a Debian/Ubuntu .deb (offline: only dpkg-deb is needed).
#
#   installers/linux/build_deb.sh [DIST_DIR] [OUT_DIR]      (defaults: dist, dist)
#
# DIST_DIR/gaisafe is the one-folder app from installers/build_frozen.sh. Writes
# OUT_DIR/gaisafe-desktop_<version>_<arch>.deb and its .sha256 beside it. DEB_COMPRESS=gzip|xz|none picks
# the compression (default xz: smallest download; gzip is several times faster to build).
#
# Installs: /opt/gaisafe-desktop/ (the app), /usr/bin/gaisafe and /usr/bin/gaisafe-desktop, a desktop entry,
# the icon in the hicolor theme, and the *.gaisafe file type.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIST=${1:-$ROOT/dist}
OUT=${2:-$ROOT/dist}
PYTHON=${PYTHON:-python3}
COMPRESS=${DEB_COMPRESS:-xz}
APP="$DIST/gaisafe"
[ -x "$APP/gaisafe" ] || { echo "error: $APP/gaisafe not found: run installers/build_frozen.sh first" >&2; exit 2; }

# The version comes from the frozen app itself (which proves it starts).
VERSION=$("$APP/gaisafe" --version | awk '{print $NF}')
ARCH=$(dpkg --print-architecture)
PKG=gaisafe-desktop
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
R="$STAGE/root"

mkdir -p "$R/DEBIAN" "$R/opt" "$R/usr/bin" "$R/usr/share/applications" "$R/usr/share/mime/packages" \
         "$R/usr/share/doc/$PKG" "$R/usr/share/icons/hicolor/scalable/apps"
cp -a "$APP" "$R/opt/$PKG"
for exe in gaisafe gaisafe-desktop; do
  printf '#!/bin/sh\nexec /opt/%s/%s "$@"\n' "$PKG" "$exe" > "$R/usr/bin/$exe"
  chmod 0755 "$R/usr/bin/$exe"
done
install -m 0644 "$HERE/gaisafe-desktop.desktop" "$R/usr/share/applications/$PKG.desktop"
install -m 0644 "$HERE/gaisafe-project.xml" "$R/usr/share/mime/packages/$PKG.xml"
install -m 0644 "$ROOT/installers/common/gaisafe.svg" "$R/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
"$PYTHON" "$ROOT/installers/common/make_icons.py" "$STAGE/icons" > /dev/null
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$R/usr/share/icons/hicolor/${size}x${size}/apps"
  install -m 0644 "$STAGE/icons/gaisafe-$size.png" "$R/usr/share/icons/hicolor/${size}x${size}/apps/$PKG.png"
done
cat > "$R/usr/share/doc/$PKG/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: GAISafe Desktop
Source: bundled; see /opt/$PKG/_internal/resources for the data and their notices

Files: *
License: Apache-2.0
 On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.
Comment: Third-party data, fonts and libraries keep their own licences; their notices ship in
 /opt/$PKG/_internal/resources/**/NOTICE.md, /opt/$PKG/_internal/resources/demo/LICENSES/ and the
 *.dist-info folders under /opt/$PKG/_internal/.
COPYRIGHT

cat > "$R/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
exit 0
SCRIPT
cp "$R/DEBIAN/postinst" "$R/DEBIAN/postrm"
chmod 0755 "$R/DEBIAN/postinst" "$R/DEBIAN/postrm"

SIZE_KB=$(du -sk --exclude=DEBIAN "$R" | cut -f1)
cat > "$R/DEBIAN/control" <<CONTROL
Package: $PKG
Version: $VERSION
Architecture: $ARCH
Maintainer: GAISafe Desktop maintainers <gaisafe@example.invalid>
Installed-Size: $SIZE_KB
Section: utils
Priority: optional
Depends: libc6 (>= 2.31), libgl1, libegl1, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3, libx11-6,
 libx11-xcb1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0,
 libxcb-keysyms1, libxcb-render-util0, libxcb-shape0, libxcb-xkb1
Homepage: https://example.invalid/gaisafe
Description: offline audit of generative-AI services (TC260 / GB/T 45654-2025)
 GAISafe Desktop audits a generative-AI service against China's "Basic security
 requirements for generative AI services": keyword libraries, question banks,
 classifier models, sampling, manual spot checks, signed reports and case files.
 It never uses the network. Run "gaisafe selftest" after installing.
CONTROL
(cd "$R" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's| \./| |') \
  > "$R/DEBIAN/md5sums"

mkdir -p "$OUT"
DEB="$OUT/${PKG}_${VERSION}_${ARCH}.deb"
case "$COMPRESS" in
  none) Z="-Znone" ;;
  gzip) Z="-Zgzip -z6" ;;
  *) Z="-Zxz -z6" ;;
esac
# shellcheck disable=SC2086
dpkg-deb --root-owner-group $Z --build "$R" "$DEB" > /dev/null
(cd "$OUT" && sha256sum "$(basename "$DEB")" > "$(basename "$DEB").sha256")
echo "$DEB ($(du -m "$DEB" | cut -f1) MiB, installed $((SIZE_KB / 1024)) MiB)"
cat "$DEB.sha256"
