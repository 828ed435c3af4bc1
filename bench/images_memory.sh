#!/usr/bin/env bash
# Issue 19, "200,000 RGB images": dcgan64 trains 100 iterations on a generated folder of COUNT
# tinted 64×64 PNGs with the launcher's default settings (6 GiB heap), while this samples the
# process's memory every second from /proc/PID/status: VmRSS (all resident pages), RssAnon (the
# process's own memory: heap, native, libtorch) and RssFile (mapped files: the image cache and
# the jars, i.e. page cache). Pass: peak RssAnon below 2 GiB.
#
# The first run decodes the folder into the cache (its memory is reported as the "decode" phase);
# run it twice to see a cache hit. Nothing is written inside the repository.
#
# Usage: bench/images_memory.sh [COUNT=200000] [FOLDER=/tmp/convmirror-colour-COUNT]
# Environment: OUT (default /tmp/convmirror-images-memory), CONVMIRROR_CACHE (default OUT/cache),
# ITERATIONS (default 100).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-200000}"
iterations="${ITERATIONS:-100}"
folder="${2:-/tmp/convmirror-colour-$count}"
out="${OUT:-/tmp/convmirror-images-memory}"
export CONVMIRROR_CACHE="${CONVMIRROR_CACHE:-$out/cache}"
mkdir -p "$out"
folder="$(realpath -m "$folder")"
out="$(realpath "$out")"
export CONVMIRROR_CACHE="$(realpath -m "$CONVMIRROR_CACHE")"
cd "$out" # anything the JVM writes (a crash log) lands here, not in the repository
"$here/convmirror" --version >/dev/null # builds the jar first, outside the measurement
if [ ! -d "$folder" ]; then
  echo "writing $count images to $folder ..."
  "$here/convmirror" data example "$folder" --count "$count" > "$out/example.log"
fi
runs="$out/runs"
rm -rf "$runs"
log="$out/train.log"
"$here/convmirror" train --model dcgan64 --data "$folder" --epochs 1 --checkpoint-every 0 \
  --runs "$runs" --name memory --quiet > "$log" 2>&1 &
pid=$!
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0; }
declare -A peak
phase=decode
start=$(date +%s)
echo "seconds phase VmRSS_MiB RssAnon_MiB RssFile_MiB iterations" > "$out/memory.txt"
while kill -0 "$pid" 2>/dev/null; do
  [ -f "$runs/memory/run.json" ] && phase=train
  rows=0
  [ -f "$runs/memory/losses.csv" ] && rows=$(( $(wc -l < "$runs/memory/losses.csv") - 1 ))
  [ "$rows" -lt 0 ] && rows=0
  for k in VmRSS RssAnon RssFile; do
    v=$(kib $k); v=${v:-0}
    [ "${peak[$phase.$k]:-0}" -lt "$v" ] && peak[$phase.$k]=$v
    eval "$k=$v"
  done
  echo "$(( $(date +%s) - start )) $phase $((VmRSS / 1024)) $((RssAnon / 1024)) $((RssFile / 1024)) $rows" \
    >> "$out/memory.txt"
  if [ "$rows" -ge "$iterations" ]; then break; fi
  sleep 1
done
if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; else
  echo "training stopped before $iterations iterations; see $log" >&2; tail -3 "$log" >&2; exit 1; fi
grep -m1 " on $folder" "$log" || true
for p in decode train; do
  printf "%-6s peak VmRSS %6d MiB   RssAnon %6d MiB   RssFile %6d MiB\n" "$p" \
    $(( ${peak[$p.VmRSS]:-0} / 1024 )) $(( ${peak[$p.RssAnon]:-0} / 1024 )) \
    $(( ${peak[$p.RssFile]:-0} / 1024 ))
done
anon=$(( (${peak[decode.RssAnon]:-0} > ${peak[train.RssAnon]:-0} ? ${peak[decode.RssAnon]:-0} : ${peak[train.RssAnon]:-0}) / 1024 ))
echo "samples: $out/memory.txt; cache: $CONVMIRROR_CACHE ($(du -sh "$CONVMIRROR_CACHE" | cut -f1))"
if [ "$anon" -lt 2048 ]; then echo "PASS: peak RssAnon $anon MiB < 2048 MiB"; else echo "FAIL: peak RssAnon $anon MiB"; exit 1; fi
