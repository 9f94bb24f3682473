#!/usr/bin/env bash
# Draws every icon file from assets/icon.svg: the window icon (assets/icon.png), the Linux icon
# theme sizes (assets/icons/hicolor/), the Windows .ico and the PNGs the macOS .icns is built from
# (assets/icons/macos/, iconutil's iconset names). Run it after changing the SVG and commit the
# results; building and packaging only read them.
#   needs: resvg (cargo install resvg), ImageMagick (convert) for the .ico
set -euo pipefail
cd "$(dirname "$0")/.."
svg=assets/icon.svg
out=assets/icons
rm -rf "$out/hicolor" "$out/macos"
for n in 16 24 32 48 64 128 256 512; do
    mkdir -p "$out/hicolor/${n}x${n}/apps"
    resvg -w "$n" -h "$n" "$svg" "$out/hicolor/${n}x${n}/apps/wxdecrypt.png"
done
mkdir -p "$out/hicolor/scalable/apps"
cp "$svg" "$out/hicolor/scalable/apps/wxdecrypt.svg"
cp "$out/hicolor/128x128/apps/wxdecrypt.png" assets/icon.png
convert $(for n in 16 24 32 48 64 128 256; do echo "$out/hicolor/${n}x${n}/apps/wxdecrypt.png"; done) "$out/wxdecrypt.ico"
mkdir -p "$out/macos/wxdecrypt.iconset"
for n in 16 32 128 256 512; do
    resvg -w "$n" -h "$n" "$svg" "$out/macos/wxdecrypt.iconset/icon_${n}x${n}.png"
    resvg -w $((n * 2)) -h $((n * 2)) "$svg" "$out/macos/wxdecrypt.iconset/icon_${n}x${n}@2x.png"
done
echo "icons written to $out"
