#!/usr/bin/env bash
# The GUI screenshots of docs/screenshots/, taken in a virtual display; with --check, taken again and
# compared with the ones in the repo (the visual regression check CI runs).
#   tools/screenshots.sh [--check] [NAME...]     (default: all)
# Needs Xvfb, xdotool and ImageMagick (Debian: xvfb xdotool imagemagick). Each shot starts the app on a preset document (WXDECRYPT_DEMO), language (WXDECRYPT_LANG),
# theme (WXDECRYPT_THEME) or tab (WXDECRYPT_TAB), with a throw-away settings directory, a fixed clock
# (WXDECRYPT_NOW) and TZ=UTC, so the same build draws the same pixels.
# BIN=path uses that binary (e.g. target/debug/wxdecrypt after the tests) instead of building a
# release one; GEN=path the gen_corpus example likewise.
set -euo pipefail
cd "$(dirname "$0")/.."
check=""
if [[ ${1:-} == --check ]]; then check=1; shift; fi
size=${SIZE:-1100x750}
wait_s=${WAIT:-5}
# A shot may differ from the stored one in at most this many pixels (antialiasing noise).
max_diff=${MAX_DIFF:-400}
target=${CARGO_TARGET_DIR:-target}
if [[ -z ${BIN:-} ]]; then
  cargo build --release
  cargo build --release --example gen_corpus
  # The target directory may be shared with other worktrees of this project, whose builds replace
  # target/release/wxdecrypt: take the newest build of this tree (the one with the GUI presets).
  for f in "$target/release/wxdecrypt" $(ls -t "$target"/release/deps/wxdecrypt-* 2>/dev/null | grep -v '\.d$'); do
    if grep -q WXDECRYPT_SCAN "$f" 2>/dev/null; then BIN=$f; break; fi
  done
fi
GEN=${GEN:-$target/release/examples/gen_corpus}
[[ -x ${BIN:-} ]] || { echo "screenshots: no build of the workbench found" >&2; exit 1; }
bin=$(mktemp -d)/wxdecrypt
cp "$BIN" "$bin"
stored=docs/screenshots
if [[ -n $check ]]; then out=$(mktemp -d); else out=$stored; fi
mkdir -p "$out"

for t in Xvfb xdotool import compare; do
  command -v "$t" >/dev/null || { echo "screenshots: $t missing (apt-get install xvfb xdotool imagemagick)" >&2; exit 2; }
done
# One shot: a private display, the app, focus, optional xdotool steps, the window as a PNG.
shot_tool=$(mktemp)
cat >"$shot_tool" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
out=$1; shift; wait_s=5 size=1280x800 keys=""
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in --wait) wait_s=$2; shift 2;; --size) size=$2; shift 2;; --keys) keys=$2; shift 2;; *) exit 2;; esac
done
shift
# A display number nobody uses, and a server that answers on it.
app="" xvfb=""
trap 'kill $app $xvfb 2>/dev/null' EXIT
for attempt in $(seq 20); do
  n=$((100 + RANDOM % 800))
  [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] && continue
  Xvfb ":$n" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 & xvfb=$!
  for i in $(seq 50); do
    if DISPLAY=:$n xdotool getdisplaygeometry >/dev/null 2>&1; then break 2; fi
    kill -0 "$xvfb" 2>/dev/null || break
    sleep 0.1
  done
  kill "$xvfb" 2>/dev/null; xvfb=""
done
[[ -n $xvfb ]] || { echo "screenshots: no X display could be started" >&2; exit 1; }
export DISPLAY=:$n XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-$$}
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
"$@" >/tmp/screenshots-app.log 2>&1 & app=$!
sleep "$wait_s"
wid=$(xdotool search --pid "$app" 2>/dev/null | tail -1 || true)
if [[ -n $wid ]]; then
  # The window fills the screen (a 1600x900 shot shows the layout of a 1600 px window).
  xdotool windowsize "$wid" "${size%x*}" "${size#*x}" 2>/dev/null || true
  sleep 1
  xdotool windowfocus --sync "$wid" 2>/dev/null || true
  # The pointer off the widgets (it starts mid-screen, where a hover or a tooltip would depend on
  # timing).
  xdotool mousemove 0 0 2>/dev/null || true
  sleep 0.5
fi
if [[ -n $keys ]]; then
  IFS=';' read -ra steps <<<"$keys"
  for step in "${steps[@]}"; do xdotool $step; sleep 0.3; done
  sleep 1
fi
if [[ -n $wid ]]; then import -window "$wid" "$out"; else import -window root "$out"; fi
SH
chmod +x "$shot_tool"

# A capture for the Captures tab: six logins leaking keys, each followed by its payload.
capture=$(mktemp --suffix .har)
"$GEN" 6 har > "$capture"

# What a backend receives from WeChat (pushes, the URL check, Pay notifications) and the key ring
# that opens them, in a cases folder at a fixed path (the path can show in the window).
envdir=/tmp/wxdecrypt-screenshots-envelopes
rm -rf "$envdir"
python3 tools/envelope_capture.py "$envdir"

# name | environment | xdotool steps (optional) | window size (optional)
shots=(
  "inspect-ok|WXDECRYPT_DEMO=official|"
  "phone|WXDECRYPT_DEMO=phone|"
  "key-mismatch|WXDECRYPT_DEMO=keymismatch|"
  "iv-mismatch|WXDECRYPT_DEMO=ivmismatch|mousemove 600 500; click --repeat 6 --delay 80 5"
  "repair|WXDECRYPT_DEMO=plusspace|"
  "werun|WXDECRYPT_DEMO=werun|"
  "encrypt|WXDECRYPT_TAB=encrypt|"
  "zh-CN|WXDECRYPT_LANG=zh-CN WXDECRYPT_DEMO=appidmismatch|"
  "dark|WXDECRYPT_THEME=dark WXDECRYPT_DEMO=phone WXDECRYPT_MASK=1|"
  "help|WXDECRYPT_HELP=1|"
  "captures|WXDECRYPT_TAB=captures WXDECRYPT_SCAN=$capture|"
  "captures-zh-CN|WXDECRYPT_TAB=captures WXDECRYPT_SCAN=$capture WXDECRYPT_LANG=zh-CN|"
  "nickname|WXDECRYPT_DEMO=nickname WXDECRYPT_LANG=zh-CN|"
  "narrow|WXDECRYPT_DEMO=nickname||800x700"
  "captures-narrow|WXDECRYPT_TAB=captures WXDECRYPT_SCAN=$capture||800x700"
  "wide|WXDECRYPT_DEMO=phone WXDECRYPT_THEME=dark||1600x900"
  "msg-keymismatch|WXDECRYPT_DEMO=msgkey|"
  "msg-keymismatch-zh-CN|WXDECRYPT_DEMO=msgkey WXDECRYPT_LANG=zh-CN|"
  "msg-echostr|WXDECRYPT_DEMO=msgecho|"
  "pay-ok|WXDECRYPT_DEMO=pay||1100x1000"
  "pay-aad-zh-CN|WXDECRYPT_DEMO=payaad WXDECRYPT_LANG=zh-CN||1100x1000"
  "captures-envelopes|WXDECRYPT_TAB=captures WXDECRYPT_FOLDER=$envdir WXDECRYPT_SCAN=$envdir/backend.har|mousemove 320 362; click 1; mousemove 700 700"
  "signature|WXDECRYPT_DEMO=signature||1280x1600"
  "tamper|WXDECRYPT_DEMO=tamper||1280x1400"
  "signature-zh-CN|WXDECRYPT_DEMO=signature WXDECRYPT_LANG=zh-CN||1280x1600"
  "captures-envelopes-zh-CN|WXDECRYPT_TAB=captures WXDECRYPT_FOLDER=$envdir WXDECRYPT_SCAN=$envdir/backend.har WXDECRYPT_LANG=zh-CN|"
  "platform-baidu|WXDECRYPT_DEMO=baidu|"
  "platform-alipay-zh-CN|WXDECRYPT_DEMO=alipay WXDECRYPT_LANG=zh-CN|"
  "encrypt-template|WXDECRYPT_DEMO=template WXDECRYPT_TAB=encrypt||1280x1000"
)

want=("$@")
failed=()
for entry in "${shots[@]}"; do
  IFS='|' read -r name vars keys shot_size <<<"$entry"
  if [[ ${#want[@]} -gt 0 && ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  data=$(mktemp -d)
  # Light theme and English unless the shot says otherwise; no settings from earlier runs; the
  # clock fixed at 2026-11-18 01:33:20 UTC.
  # shellcheck disable=SC2086
  env XDG_DATA_HOME="$data" XDG_CONFIG_HOME="$data" TZ=UTC WXDECRYPT_NOW=1795000000 \
    WXDECRYPT_THEME=light WXDECRYPT_LANG=en $vars \
    "$shot_tool" "$out/$name.png" --wait "$wait_s" --size "${shot_size:-$size}" ${keys:+--keys "$keys"} -- "$bin" >/dev/null
  rm -rf "$data"
  # Smaller files: 8-bit palette is plenty for a UI.
  if command -v convert >/dev/null; then
    convert "$out/$name.png" -strip -colors 256 PNG8:"$out/$name.png" 2>/dev/null || true
  fi
  if [[ -z $check ]]; then
    echo "$out/$name.png"
    continue
  fi
  # compare prints the number of pixels that differ by more than the fuzz (and exits 1 if any).
  diff_png=/tmp/screenshot-diff-$name.png
  n=$(compare -metric AE -fuzz 10% "$stored/$name.png" "$out/$name.png" "$diff_png" 2>&1 >/dev/null || true)
  n=${n%% *}
  if [[ $n =~ ^[0-9]+$ && $n -le $max_diff ]]; then
    echo "same      $name ($n pixels differ)"
  else
    echo "DIFFERENT $name ($n pixels differ; the new shot: $out/$name.png, the difference: $diff_png)"
    failed+=("$name")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "screenshots differ from docs/screenshots: ${failed[*]} (regenerate with tools/screenshots.sh)" >&2
  exit 1
fi
