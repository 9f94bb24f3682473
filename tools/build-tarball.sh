#!/usr/bin/env bash
# The Linux tarball: the release binary with what the .deb installs, laid out as a prefix
# (bin/, share/), to unpack under /usr/local or ~/.local. Prints its path.
#   tools/build-tarball.sh     (after tools/build-deb.sh, which builds the binary and target/release/dist)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
name="wxdecrypt-$version-x86_64-linux"
stage="$target/release/$name"
dist="$target/release/dist"
[ -x "$target/release/wxdecrypt" ] && [ -d "$dist/man" ] || { echo "run tools/build-deb.sh first" >&2; exit 2; }
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/share/man/man1" "$stage/share/applications" "$stage/share/mime/packages" \
    "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions" \
    "$stage/share/fish/vendor_completions.d" "$stage/share/doc/wxdecrypt/examples" \
    "$stage/share/wxdecrypt/mitmproxy"
install -m755 "$target/release/wxdecrypt" "$stage/bin/"
install -m644 "$dist"/man/*.1.gz "$stage/share/man/man1/"
install -m644 packaging/linux/wxdecrypt.desktop "$stage/share/applications/"
install -m644 packaging/linux/wxdecrypt-mime.xml "$stage/share/mime/packages/wxdecrypt.xml"
install -m644 "$dist/completions/wxdecrypt.bash" "$stage/share/bash-completion/completions/wxdecrypt"
install -m644 "$dist/completions/_wxdecrypt" "$stage/share/zsh/site-functions/"
install -m644 "$dist/completions/wxdecrypt.fish" "$stage/share/fish/vendor_completions.d/"
mkdir -p "$stage/share/icons"
cp -r assets/icons/hicolor "$stage/share/icons/"
install -m644 assets/samples/*.wxcase.json "$stage/share/doc/wxdecrypt/examples/"
install -m644 contrib/mitmproxy/wxdecrypt_mitmproxy.py "$stage/share/wxdecrypt/mitmproxy/"
install -m644 LICENSE README.md README.zh-CN.md packaging/linux/copyright assets/fonts/OFL.txt "$stage/share/doc/wxdecrypt/"
tar -C "$target/release" -czf "$target/release/$name.tar.gz" "$name"
echo "$target/release/$name.tar.gz"
