#!/usr/bin/env bash
# The workbench window under a private Xvfb display (issue 8): start-up over 5 launches (launch to
# window mapped, and the app's own WXDECRYPT_TRACE_STARTUP=1 figures: app built, first and second
# frame), memory and CPU at idle, the CPU of one repaint (a mouse move) and of the blinking text
# cursor, then a ~1 MB encryptedData pasted into the Inspect tab's field through the X clipboard
# (RSS before and after, CPU of the paste) and 5 keystrokes typed into it (CPU per keystroke, raw
# and less the cursor's blink repaints). CPU comes from /proc (ticks of 10 ms: it holds on a loaded
# machine; wall-clock start-up does not quite) and is split by thread: the UI thread, the renderer
# (Mesa llvmpipe threads: software GL here, a GPU on a real desktop) and threads that exited
# meanwhile (long inputs are re-inspected on short-lived "inspect" threads 150 ms after the last
# edit). Screenshots: /tmp/bench-gui-paste.png and /tmp/bench-gui-typed.png.
#   tools/bench-gui.sh [LAUNCHES]      (default 5; BENCH_GUI_NO_BUILD=1 skips `cargo build`)
# Needs Xvfb, xdotool, xclip, ImageMagick (installed with apt-get when missing) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
launches=${1:-5}
[[ -n ${BENCH_GUI_NO_BUILD:-} ]] || cargo build --release --quiet --bin wxdecrypt
target=${CARGO_TARGET_DIR:-target}
bin="$(realpath -m "$target/release/wxdecrypt")"
[[ -x $bin ]] || { echo "bench-gui: no binary at $bin" >&2; exit 1; }
# Window-relative points (1100x750 window, English, official demo, panel scrolled to the top): the
# encryptedData editor, and a spot inside the big box after the paste. Re-check them on a
# screenshot when the layout moves.
read -r data_x data_y <<<"${BENCH_GUI_DATA_XY:-670 280}"
read -r box_x box_y <<<"${BENCH_GUI_BOX_XY:-670 300}"
missing=()
for t in Xvfb xdotool xclip import; do command -v "$t" >/dev/null || missing+=("$t"); done
[[ ${#missing[@]} -eq 0 ]] || { echo "bench-gui: ${missing[*]} missing: apt-get install xvfb xdotool xclip imagemagick" >&2
  (apt-get update -qq && apt-get install -y -qq xvfb xdotool xclip imagemagick) >/dev/null 2>&1 ||
    { echo "bench-gui: apt-get failed; install xvfb xdotool xclip imagemagick yourself" >&2; exit 1; }; }
command -v python3 >/dev/null || { echo "bench-gui: python3 is needed to build the payload" >&2; exit 1; }
dir=$(mktemp -d) app="" xvfb="" clip="" sampler=""
trap 'for p in $sampler $app $clip $xvfb; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
n=87
while [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
export DISPLAY=:$n XDG_RUNTIME_DIR=$dir/run HOME=$dir/home XDG_CONFIG_HOME=$dir/home/.config \
  XDG_DATA_HOME=$dir/home/.local/share XDG_CACHE_HOME=$dir/home/.cache WXDECRYPT_LANG=en LANG=C.UTF-8
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
xdotool getdisplaygeometry >/dev/null 2>&1 || { echo "bench-gui: Xvfb :$n did not start" >&2; exit 1; }

ms_now() { echo $(($(date +%s%N) / 1000000)); }
# utime+stime (ticks) of a /proc stat file into TK, without forking (the comm field may hold spaces)
tk() { local l f; read -r l <"$1" || return 1; read -ra f <<<"${l##*) }"; TK=$((f[11] + f[12])); }
ticks() { tk "/proc/$app/stat"; echo "$TK"; }
rss() { ps -o rss= -p "$app" | tr -d ' '; }
# "total ui renderer other-live" ticks now
cpu() {
  local f c total ui=0 gl=0 other=0
  tk "/proc/$app/stat"; total=$TK
  for f in /proc/"$app"/task/*; do
    { tk "$f/stat" && read -r c <"$f/comm"; } 2>/dev/null || continue
    if [[ ${f##*/} == "$app" ]]; then ui=$((ui + TK))
    elif [[ $c == llvmpipe* ]]; then gl=$((gl + TK)); else other=$((other + TK)); fi
  done
  echo "$total $ui $gl $other"
}
# "ms ui_ms gl_ms exited_ms" spent since the cpu() figures in $1
spent() {
  local a b
  read -ra a <<<"$1"; read -ra b <<<"$(cpu)"
  echo "$(((b[0] - a[0]) * 10)) $(((b[1] - a[1]) * 10)) $(((b[2] - a[2]) * 10))" \
    "$(((b[0] - a[0] - b[1] + a[1] - b[2] + a[2] - b[3] + a[3]) * 10))"
}
# ($1 - $2 * $3) / $4, field by field
minus() { awk -v a="$1" -v b="$2" -v k="$3" -v d="$4" 'BEGIN {split(a, x, " "); split(b, y, " ")
  for (i = 1; i <= 4; i++) printf "%.0f ", (x[i] - y[i] * k) / d}'; }
per() { minus "$1" "0 0 0 0" 0 "$2"; }
show() { read -r t u g x <<<"$1"; echo "$t ms (UI thread $u, renderer $g, exited threads $x)"; }
stats() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{v[NR] = $1} END {
  printf "%s / %s / %s", v[1], (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR]}'; }
# starts the app (fresh settings); sets app, wid and mapped_ms (launch to window mapped)
launch() {
  rm -rf "$HOME"; mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
  local t0; t0=$(ms_now)
  WXDECRYPT_TRACE_STARTUP=1 "$bin" >/dev/null 2>"$dir/app.log" & app=$!
  # polled every 20 ms (`xdotool search --sync` polls every 500 ms, which it would measure)
  wid=""
  for _ in $(seq 3000); do
    wid=$(xdotool search --onlyvisible --pid "$app" 2>/dev/null | head -1) || true
    [[ -n $wid ]] && break
    sleep 0.02
  done
  [[ -n $wid ]] || { echo "bench-gui: no window within 60 s; app log:" >&2; cat "$dir/app.log" >&2; exit 1; }
  mapped_ms=$(($(ms_now) - t0))
  for _ in $(seq 150); do grep -q "second frame" "$dir/app.log" && break; sleep 0.1; done
}
trace_ms() { sed -n "s/.*start-up: $1.* after \([0-9.]*\) ms.*/\1/p" "$dir/app.log" | head -1; }
stop_app() { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; app=""; }
# waits until "${@:2}" succeeds $1 times in a row, a quarter-second apart (at most 60 s)
hold() {
  local q=0
  for _ in $(seq 240); do
    sleep 0.25
    if "${@:2}"; then q=$((q + 1)); else q=0; fi
    [[ $q -ge $1 ]] && return 0
  done
  echo "bench-gui: still waiting for '${*:2}' after 60 s" >&2
}
unmoved() { local was=${last_t:-}; last_t=$(ticks); [[ $last_t == "$was" ]]; }
no_inspect() { ! grep -qx inspect /proc/"$app"/task/*/comm 2>/dev/null; }
settle() { last_t=""; hold 6 unmoved; }      # the CPU counter stands still for 1.5 s
inspect_quiet() { hold 8 no_inspect; }       # no "inspect" thread for 2 s
click() { xdotool mousemove --window "$wid" "$1" "$2"; sleep 0.3; xdotool click "${3:-1}"; sleep 0.3; }
# CPU of one repaint: 5 mouse moves over an empty spot of the side panel, one frame each
repaint() {
  local c; settle; c=$(cpu)
  for i in 1 2 3 4 5; do xdotool mousemove --window "$wid" $((100 + 4 * i)) 620; sleep 0.4; done
  settle; show "$(per "$(spent "$c")" 5)"
}
summary=()
row() { summary+=("$(printf '%-38s %s' "$1" "$2")"); }
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%F %H:%M UTC')"
echo "machine: $machine"
echo "binary: $bin ($(du -h "$bin" | cut -f1)), display :$n 1280x800"

# 1. start-up
mapped="" built="" first="" second=""
for i in $(seq "$launches"); do
  launch
  b=$(trace_ms 'app built') f=$(trace_ms 'first frame') s=$(trace_ms 'second frame')
  mapped+=" $mapped_ms" built+=" $b" first+=" $f" second+=" $s"
  echo "launch $i: window mapped $mapped_ms ms; app built $b ms, first frame $f ms, second frame $s ms"
  stop_app
done
row "start-up: launch to window mapped" "$(stats <<<"$mapped") ms (min / median / max of $launches)"
row "start-up: app built (in-app trace)" "$(stats <<<"$built") ms"
row "start-up: first frame drawn" "$(stats <<<"$first") ms"
row "start-up: second frame drawn" "$(stats <<<"$second") ms"

# 2. idle, one repaint of the official demo, and the blinking cursor of a focused field
launch
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 3
rss_idle=$(rss) t_a=$(ticks)
sleep 5
idle=$(($(ticks) - t_a))
row "idle: RSS after start-up (3 s)" "$rss_idle KiB"
row "idle: CPU over 5 s" "$idle ticks"
row "repaint (demo): CPU per frame" "$(repaint)"
click "$data_x" "$data_y"; sleep 1
c=$(cpu); sleep 5
row "idle, cursor in a field (demo)" "$(show "$(per "$(spent "$c")" 5)") per s"

# 3. big paste: a WeRun history encrypted with the demo's key, iv and appid, so it decrypts
python3 - "$dir/werun.json" <<'PY'
import json, sys, time
today = int(time.time()) // 86400 * 86400 - 8 * 3600
steps, days = [8421, 12034, 5230, 9876, 15022, 3120, 10450], 21500
lst = [{"timestamp": today - (days - 1 - i) * 86400, "step": steps[i % 7]} for i in range(days)]
json.dump({"stepInfoList": lst}, open(sys.argv[1], "w"), separators=(",", ":"))
PY
"$bin" --lang en encrypt --session-key tiihtNczf5v6AKRyjwEUhQ== --iv r7BXXKkLb8qrSNn05n0qiA== \
  --appid wx4f4bc4dec97d474b "$dir/werun.json" |
  python3 -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)["encryptedData"])' >"$dir/big.b64"
size=$(wc -c <"$dir/big.b64")
xclip -quiet -selection clipboard -i "$dir/big.b64" >/dev/null 2>&1 & clip=$!
for _ in $(seq 50); do [[ $(xclip -o -selection clipboard 2>/dev/null | wc -c) == "$size" ]] && break; sleep 0.1; done
# the field has the focus (clicked above): the paste starts while its cursor still blinks
rss_before=$(rss) c=$(cpu)
xdotool key --clearmodifiers ctrl+a; sleep 0.3; xdotool key --clearmodifiers ctrl+v
# the field keeps the keyboard after the paste (its cursor blinks on): Escape lets go once the
# inspection is done, so the figure is the paste's, plus a second or two of blinking
sleep 1; inspect_quiet; xdotool key Escape; settle
paste=$(spent "$c") rss_paste=$(rss)
title=$(xdotool getwindowname "$wid")
[[ $title == •* ]] || echo "bench-gui: the window title ($title) shows no edit: did the paste land?" >&2
import -window "$wid" /tmp/bench-gui-paste.png
row "paste: encryptedData" "$size bytes of base64 (WeRun, 21500 days)"
row "paste: RSS before" "$rss_before KiB"
row "paste: RSS after (settled)" "$rss_paste KiB (+$((rss_paste - rss_before)) KiB)"
row "paste: CPU (ctrl+a, ctrl+v, inspect)" "$(show "$paste")"
t_a=$(ticks); sleep 5
row "idle after the paste: CPU over 5 s" "$(($(ticks) - t_a)) ticks"
row "repaint (1 MB field + WeRun result)" "$(repaint)"

# 4. typing: scroll the panel back to the top, click into the big box, 5 keystrokes
xdotool mousemove --window "$wid" 400 600; sleep 0.3
for _ in 1 2 3 4 5 6 7 8; do xdotool click 4; sleep 0.3; done
settle
click "$box_x" "$box_y"; sleep 2
c=$(cpu); sleep 5; blink=$(spent "$c")
row "idle, cursor in the 1 MB field" "$(show "$(per "$blink" 5)") per s"
c=$(cpu) w_a=$(ms_now)
# the inspect threads exit when done: sample the thread list to count them
(while [[ -d /proc/$app ]]; do
  for f in /proc/"$app"/task/*; do read -r nm <"$f/comm" && [[ $nm == inspect ]] && echo "${f##*/}"; done
  sleep 0.05
done) >"$dir/threads" 2>/dev/null & sampler=$!
xdotool type --delay 300 vwxyz
inspect_quiet
typed=$(spent "$c") elapsed=$(($(ms_now) - w_a))
kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
rss_typed=$(rss)
xdotool mousemove --window "$wid" 100 620; sleep 2 # no tooltip over the verdict
import -window "$wid" /tmp/bench-gui-typed.png
row "typing: CPU per keystroke, raw" "$(show "$(per "$typed" 5)") (5 keys 300 ms apart, $elapsed ms)"
if [[ ${blink%% *} -lt 4000 ]]; then
  row "typing: less the blink rate" "$(show "$(minus "$typed" "$blink" "$(awk -v e="$elapsed" 'BEGIN {print e / 5000}')" 5)")"
else # frames cost more than the blink period: the window repaints back to back anyway
  row "typing: less the blink rate" "n/a: blink repaints keep a core busy, keystrokes only replace them"
fi
row "typing: inspect threads seen" "$(sort -u "$dir/threads" | wc -l)"
row "typing: RSS after" "$rss_typed KiB"
# Escape takes the focus away (no more blinking): then the big box with an error result
xdotool key Escape; settle
t_a=$(ticks); sleep 5
row "idle after Escape: CPU over 5 s" "$(($(ticks) - t_a)) ticks"
row "repaint (1 MB field + error result)" "$(repaint)"
stop_app
echo
echo "summary ($machine):"
printf '  %s\n' "${summary[@]}"
echo "screenshots: /tmp/bench-gui-paste.png /tmp/bench-gui-typed.png"
