#!/usr/bin/env bash
# Builds the Debian package: the release binary, its man pages and completions (generated from
# the command definitions by `cargo run --example dist`), then `cargo deb` with the assets listed
# in Cargo.toml ([package.metadata.deb]). Prints the path of the .deb.
#   tools/build-deb.sh            (needs cargo-deb: cargo install cargo-deb --locked)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
command -v cargo-deb >/dev/null || { echo "cargo-deb is needed: cargo install cargo-deb --locked" >&2; exit 2; }
command -v desktop-file-validate >/dev/null && desktop-file-validate packaging/linux/wxdecrypt.desktop
cargo build --release --locked
dist="$target/release/dist"
rm -rf "$dist"
cargo run --locked --example dist -- "$dist" >/dev/null
gzip -9nf "$dist"/man/*.1
# The release build is reused (--no-build); cargo-deb strips it and fills Depends from its links.
deb=$(cargo deb --no-build --locked 2>&1 | tail -1)
[ -f "$deb" ] || { echo "cargo deb did not make a package: $deb" >&2; exit 1; }
echo "$deb"
