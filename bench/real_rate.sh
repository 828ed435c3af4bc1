#!/usr/bin/env bash
# The default training job's speed on the real workload: `convmirror train` on Fashion-MNIST
# (dcgan28, its real loop: data order, logging, the guard, the weight average) at batch BATCH
# (default 64, the batch of `bench`'s step and of the peer's script; the default job's own is 32),
# stopped after N iterations; prints images/s over iterations W..N, read from the clock column of
# losses.csv (so JVM start, data loading and the stop are not counted).
#
#   bench/real_rate.sh DIR [N] [W] [THREADS] [BATCH]     (defaults 200, 20, auto, 64)
#
# CONVMIRROR names another launcher (default ./convmirror, which must be built already);
# PRECISION=bf16 (or fp32, auto) trains with that --precision instead of the default.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1 n=${2:-200} warm=${3:-20} threads=${4:-auto} batch=${5:-64}
rm -rf "$dir" && mkdir -p "$dir"
${CONVMIRROR:-./convmirror} train --epochs 1 --quiet --threads "$threads" --batch-size "$batch" \
  --runs "$dir" --name run ${PRECISION:+--precision "$PRECISION"} \
  > "$dir/train.log" 2>&1 &
pid=$!
csv="$dir/run/losses.csv"
until [ -f "$csv" ] && [ "$(wc -l < "$csv")" -gt "$n" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "train stopped early; see $dir/train.log" >&2; exit 1; fi
  sleep 1
done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
/usr/bin/python3 - "$csv" "$warm" "$n" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
w, n = int(sys.argv[2]), int(sys.argv[3])
a, b = rows[w - 1], rows[n - 1]
print(f'{(float(b["images"]) - float(a["images"])) / (float(b["seconds"]) - float(a["seconds"])):.2f}')
PY
