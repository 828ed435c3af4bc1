#!/usr/bin/env bash
# Issue 19, "decode once, then stream", on a generated folder of COUNT tinted 64×64 PNGs:
#  1. the first decode on one thread, then on every core (each from scratch, --rebuild): files/s
#     and the ratio (target ≥ 1.6 on 2 cores);
#  2. the second run's start on a cache hit: seconds from launching `convmirror train --model
#     dcgan64 --data FOLDER` until it prints its run directory, the moment before the first
#     iteration (target < 5 s for 70,000 images); and `data inspect` on the hit;
#  3. `convmirror bench --model dcgan64 --data FOLDER --batch-size 64`: the data phase as a share
#     of a training iteration (target < 3 %).
# It also keeps `data inspect`'s report and contact sheet (for the README) under OUT.
#
# Usage: bench/images_speed.sh [COUNT=70000] [FOLDER=/tmp/convmirror-colour-COUNT]
# Environment: OUT (default /tmp/convmirror-images-speed), CONVMIRROR_CACHE (default OUT/cache),
# ITERATIONS (bench, default 30).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-70000}"
folder="${2:-/tmp/convmirror-colour-$count}"
out="${OUT:-/tmp/convmirror-images-speed}"
export CONVMIRROR_CACHE="${CONVMIRROR_CACHE:-$out/cache}"
mkdir -p "$out"
folder="$(realpath -m "$folder")"
out="$(realpath "$out")"
export CONVMIRROR_CACHE="$(realpath -m "$CONVMIRROR_CACHE")"
cd "$out" # anything the JVM writes (a crash log) lands here, not in the repository
cm="$here/convmirror"
"$cm" --version >/dev/null # builds the jar first, outside the measurement
if [ ! -d "$folder" ]; then
  echo "writing $count images to $folder ..."
  "$cm" data example "$folder" --count "$count" > "$out/example.log"
fi
seconds() { grep -o 'decoding took [0-9.]* s on [0-9]* thread' "$1" | awk '{print $3, $6}'; }

echo "== 1. first decode: one thread, then every core"
"$cm" data inspect "$folder" --threads 1 --rebuild --sheet "$out/sheet-1-thread.png" > "$out/inspect-1-thread.txt"
"$cm" data inspect "$folder" --rebuild --sheet "$out/contact-sheet.png" > "$out/inspect.txt"
read -r s1 t1 < <(seconds "$out/inspect-1-thread.txt")
read -r sn tn < <(seconds "$out/inspect.txt")
awk -v c="$count" -v s1="$s1" -v sn="$sn" -v tn="$tn" 'BEGIN {
  printf "1 thread: %.1f s = %.0f files/s; %d threads: %.1f s = %.0f files/s; ratio %.2f (target >= 1.6 on 2 cores)\n",
    s1, c / s1, tn, sn, c / sn, s1 / sn }'

echo "== 2. second run on the cache hit"
t0=$(date +%s.%N)
"$cm" data inspect "$folder" --sheet "$out/contact-sheet.png" > "$out/inspect-hit.txt"
t1=$(date +%s.%N)
grep '^cache' "$out/inspect-hit.txt"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "data inspect on the hit: %.2f s in all (JVM start, scan, checksums, sheet)\n", b - a }'
runs="$out/runs"
rm -rf "$runs"
log="$out/train-hit.log"
t0=$(date +%s.%N)
"$cm" train --model dcgan64 --data "$folder" --epochs 1 --runs "$runs" --name hit --quiet > "$log" 2>&1 &
pid=$!
until grep -q '^run directory:' "$log" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "train ended early; see $log" >&2; tail -3 "$log" >&2; exit 1; }
  sleep 0.02
done
t1=$(date +%s.%N)
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
grep -m1 ' on ' "$log"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "train starts training %.2f s after launch (target < 5 s)\n", b - a }'

echo "== 3. the data phase of dcgan64 at batch 64, from the cache"
"$cm" bench --model dcgan64 --data "$folder" --batch-size 64 --iterations "${ITERATIONS:-30}" \
  --warmup 3 | tee "$out/bench.txt" | grep -E 'iteration:|^  (data|discriminator|generator)'
echo "reports and contact sheet: $out (inspect.txt, contact-sheet.png)"
