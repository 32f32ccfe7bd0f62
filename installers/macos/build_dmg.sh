#!/bin/sh
# Build "GAISafe Desktop.app" and a .dmg disk image on macOS (see README.md beside this file).
#
#   installers/macos/build_dmg.sh            (from the repository root, on a Mac)
#
# Needs: Python 3.11 (python.org universal2 or Homebrew) with the app's dependencies and PyInstaller
# (pip install -e '.[build]'), Xcode command-line tools (hdiutil, codesign are part of macOS).
# Optional: CODESIGN_IDENTITY="Developer ID Application: …" to sign; NOTARY_PROFILE=<keychain profile>
# to notarise with notarytool (needs the network, so do it on the connected build machine).
# Output: dist/GAISafe-Desktop-<version>.dmg and its .sha256.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}
VERSION=$("$PYTHON" -c 'import gaisafe_desktop; print(gaisafe_desktop.__version__)')
APP="dist/GAISafe Desktop.app"
DMG="dist/GAISafe-Desktop-$VERSION.dmg"

echo "1/5 frozen app and .app bundle (PyInstaller)"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN --workpath build --distpath dist build.spec
echo "    built in $(( $(date +%s) - start )) s"

echo "2/5 self-test of the bundled app"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/gaisafe" selftest

echo "3/5 code signature"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --deep --force --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
else
  echo "    CODESIGN_IDENTITY not set: the app is ad-hoc signed; users must right-click > Open the first time"
fi

echo "4/5 disk image"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
cp docs/install.md "$STAGE/INSTALL.md"
rm -f "$DMG"
hdiutil create -volname "GAISafe Desktop $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -imagekey zlib-level=9 "$DMG"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --sign "$CODESIGN_IDENTITY" --timestamp "$DMG"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
  fi
fi

echo "5/5 checksums"
(cd dist && shasum -a 256 "$(basename "$DMG")" > "$(basename "$DMG").sha256" && cat "$(basename "$DMG").sha256")
