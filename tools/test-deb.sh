#!/usr/bin/env bash
# The Debian package, installed on this machine as a user would (CI runs it): built with
# tools/build-deb.sh, installed with dpkg -i, then the installed files checked — the binary runs
# (--version, check on the shipped sample cases, completions), the desktop entry validates, the
# MIME type is registered, the icons, man pages and completions are where desktops and shells
# look — and the package removed again, leaving nothing behind.
#   tools/test-deb.sh [path/to/package.deb]      (root or sudo; apt for the validators)
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
need=()
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v update-mime-database >/dev/null || need+=(shared-mime-info)
command -v man >/dev/null || need+=(man-db)
if [ ${#need[@]} -gt 0 ]; then
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
deb="${1:-$(tools/build-deb.sh | tail -1)}"
echo "package: $deb ($(du -h "$deb" | cut -f1))"
$sudo dpkg -i "$deb" >/dev/null
trap '$sudo dpkg -r wxdecrypt >/dev/null 2>&1 || true' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
bin=/usr/bin/wxdecrypt
[ -x "$bin" ] || fail "$bin is not installed"
"$bin" --version | grep -Eq '^wxdecrypt [0-9]+\.[0-9]+\.[0-9]+' || fail "--version"
echo "installed: $("$bin" --version)"
checked=$(LANG=C.UTF-8 "$bin" --lang en check /usr/share/doc/wxdecrypt/examples/) || fail "check on the sample cases"
echo "$checked"
grep -q '^3 passed, 0 failed$' <<<"$checked" || fail "check on the sample cases: not 3 passed"
"$bin" completions bash | cmp -s - /usr/share/bash-completion/completions/wxdecrypt || fail "bash completions differ"
for f in /usr/share/applications/wxdecrypt.desktop /usr/share/mime/packages/wxdecrypt.xml \
    /usr/share/icons/hicolor/{16x16,24x24,32x32,48x48,64x64,128x128,256x256,512x512}/apps/wxdecrypt.png \
    /usr/share/icons/hicolor/scalable/apps/wxdecrypt.svg /usr/share/man/man1/wxdecrypt.1.gz \
    /usr/share/man/man1/wxdecrypt-check.1.gz /usr/share/zsh/vendor-completions/_wxdecrypt \
    /usr/share/fish/vendor_completions.d/wxdecrypt.fish /usr/share/doc/wxdecrypt/copyright \
    /usr/share/doc/wxdecrypt/fonts/OFL.txt /usr/share/wxdecrypt/mitmproxy/wxdecrypt_mitmproxy.py; do
    [ -f "$f" ] || fail "$f is missing"
done
desktop-file-validate /usr/share/applications/wxdecrypt.desktop || fail "the desktop entry"
grep -q '^MimeType=application/x-wxdecrypt-case+json;$' /usr/share/applications/wxdecrypt.desktop || fail "MimeType"
# dpkg's trigger ran update-mime-database: the type is in the database, by its glob.
$sudo update-mime-database /usr/share/mime
[ -f /usr/share/mime/application/x-wxdecrypt-case+json.xml ] || fail "the MIME type is not registered"
grep -q 'x-wxdecrypt-case+json:\*\.wxcase\.json' /usr/share/mime/globs2 || fail "the *.wxcase.json glob"
grep -q 'License: OFL-1.1' /usr/share/doc/wxdecrypt/copyright || fail "the fonts' licence"
# The mitmproxy add-on as shipped is the repository's (it is loaded with mitmproxy -s).
cmp -s contrib/mitmproxy/wxdecrypt_mitmproxy.py /usr/share/wxdecrypt/mitmproxy/wxdecrypt_mitmproxy.py \
    || fail "the mitmproxy add-on differs from contrib/mitmproxy"
MANPAGER=cat man -l /usr/share/man/man1/wxdecrypt.1.gz 2>/dev/null | grep -q 'wxdecrypt-check(1)' || fail "the man page lists the subcommands"

$sudo dpkg -r wxdecrypt >/dev/null
trap - EXIT
[ ! -e "$bin" ] || fail "$bin left after dpkg -r"
$sudo update-mime-database /usr/share/mime
[ ! -e /usr/share/mime/application/x-wxdecrypt-case+json.xml ] || fail "the MIME type left after dpkg -r"
echo "the .deb installs, works and uninstalls cleanly"
