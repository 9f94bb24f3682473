#!/usr/bin/env bash
# Builds the release binary and takes the GUI screenshots of docs/screenshots/ in a virtual display.
#   tools/screenshots.sh [NAME...]     (default: all)
# Uses /work/shared/tools/gui-shot when present (Xvfb + xdotool + ImageMagick), else the same steps
# inline. Each shot starts the app on a preset document (WXDECRYPT_DEMO), language (WXDECRYPT_LANG),
# theme (WXDECRYPT_THEME) or tab (WXDECRYPT_TAB), with a throw-away settings directory.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
size=${SIZE:-1100x750}
wait_s=${WAIT:-5}
mkdir -p "$out"
cargo build --release
# The target directory may be shared with other worktrees of this project, whose builds replace
# target/release/wxdecrypt: take the newest build of this tree (the one with the GUI presets) and
# run a private copy of it.
bin=$(mktemp -d)/wxdecrypt
for f in target/release/wxdecrypt $(ls -t target/release/deps/wxdecrypt-* 2>/dev/null | grep -v '\.d$'); do
  if grep -q WXDECRYPT_DEMO "$f" 2>/dev/null; then cp "$f" "$bin"; break; fi
done
[[ -x $bin ]] || { echo "screenshots: no release build of the workbench found" >&2; exit 1; }

shot_tool=/work/shared/tools/gui-shot
if [[ ! -x $shot_tool ]]; then
  shot_tool=$(mktemp)
  cat >"$shot_tool" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
out=$1; shift; wait_s=5 size=1280x800 keys=""
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in --wait) wait_s=$2; shift 2;; --size) size=$2; shift 2;; --keys) keys=$2; shift 2;; *) exit 2;; esac
done
shift
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 "${size}x24" >/dev/null 2>&1 & xvfb=$!
trap 'kill $app 2>/dev/null; kill $xvfb 2>/dev/null' EXIT
sleep 1
export DISPLAY=$display XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-$$}
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
"$@" >/tmp/screenshots-app.log 2>&1 & app=$!
sleep "$wait_s"
wid=$(xdotool search --pid "$app" 2>/dev/null | tail -1 || true)
[[ -n $wid ]] && xdotool windowfocus --sync "$wid" 2>/dev/null || true
if [[ -n $keys ]]; then
  IFS=';' read -ra steps <<<"$keys"
  for step in "${steps[@]}"; do xdotool $step; sleep 0.3; done
  sleep 1
fi
if [[ -n $wid ]]; then import -window "$wid" "$out"; else import -window root "$out"; fi
SH
  chmod +x "$shot_tool"
fi

# name | environment | xdotool steps (optional)
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
)

want=("$@")
for entry in "${shots[@]}"; do
  IFS='|' read -r name vars keys <<<"$entry"
  if [[ ${#want[@]} -gt 0 && ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  data=$(mktemp -d)
  # Light theme and English unless the shot says otherwise; no settings from earlier runs.
  # shellcheck disable=SC2086
  env XDG_DATA_HOME="$data" XDG_CONFIG_HOME="$data" WXDECRYPT_THEME=light WXDECRYPT_LANG=en $vars \
    "$shot_tool" "$out/$name.png" --wait "$wait_s" --size "$size" ${keys:+--keys "$keys"} -- "$bin" >/dev/null
  rm -rf "$data"
  # Smaller files: 8-bit palette is plenty for a UI.
  if command -v convert >/dev/null; then
    convert "$out/$name.png" -strip -colors 256 PNG8:"$out/$name.png" 2>/dev/null || true
  fi
  echo "$out/$name.png"
done
