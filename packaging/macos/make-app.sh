#!/usr/bin/env bash
# Makes wxdecrypt.app from a built binary and puts it in a .dmg (macOS only: iconutil, hdiutil).
# The release workflow runs it on the universal binary (lipo of the x86_64 and arm64 builds).
#   packaging/macos/make-app.sh path/to/wxdecrypt VERSION OUT_DIR
set -euo pipefail
bin="$1" version="$2" out="$3"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app="$out/wxdecrypt.app"
rm -rf "$app" && mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$bin" "$app/Contents/MacOS/wxdecrypt"
chmod 755 "$app/Contents/MacOS/wxdecrypt"
sed "s/@VERSION@/$version/g" "$here/Info.plist" > "$app/Contents/Info.plist"
plutil -lint "$app/Contents/Info.plist"
iconutil -c icns -o "$app/Contents/Resources/wxdecrypt.icns" "$root/assets/icons/macos/wxdecrypt.iconset"
cp "$root/LICENSE" "$root/assets/fonts/OFL.txt" "$app/Contents/Resources/"
# Ad-hoc signature: the bundle is consistent (Apple Silicon refuses unsigned code); not notarized.
codesign --force --deep --sign - "$app"
stage="$out/dmg"
rm -rf "$stage" && mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
cp "$root/README.md" "$stage/README.md"
mkdir -p "$stage/mitmproxy"
cp "$root/contrib/mitmproxy/wxdecrypt_mitmproxy.py" "$stage/mitmproxy/"
dmg="$out/wxdecrypt-$version-macos-universal.dmg"
hdiutil create -volname "wxdecrypt $version" -srcfolder "$stage" -ov -format UDZO "$dmg" >/dev/null
echo "$dmg"
