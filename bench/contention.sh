#!/usr/bin/env bash
# Throughput under contention: each case runs ALONE, then TWO copies started together, and prints
# each copy's images/s as a fraction of the alone run (ideal on a 2-core machine: 0.50 each; the
# issue's bar: >= 0.40). Cases: `convmirror bench` (synthetic step) and the default training job's
# first N iterations on Fashion-MNIST (real loop; the rate is read from losses.csv's clock, rows
# W..N, and the run is stopped at N).
#
#   bench/contention.sh [ITERATIONS]          (default 120; W = 20)
#
# Everything runs through ./convmirror (so with its GOMP_SPINCOUNT=5000 and --threads auto);
# to compare a policy, prefix it: OMP_WAIT_POLICY=PASSIVE (or ACTIVE, or GOMP_SPINCOUNT=N)
# bench/contention.sh, or THREADS=2 to pin the thread count instead of auto. Needs the machine
# otherwise quiet: the lead runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-120}
warm=${WARM:-20}
threads=${THREADS:-auto}
out=${CONTENTION_DIR:-runs/contention}
rm -rf "$out" && mkdir -p "$out"
[ -n "${CONVMIRROR:-}" ] || flock /tmp/mvn.lock ./convmirror --help >/dev/null 2>&1 || true # builds the jar once (under the shared Maven lock), outside the timings

bench_rate() { # tag -> images/s of bench's training step
  ${CONVMIRROR:-./convmirror} bench --iterations "$n" --threads "$threads" --json > "$out/$1.json"
  /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["images_per_second"])' "$out/$1.json"
}

train_rate() { # tag -> images/s of the real loop, iterations warm..n
  bench/real_rate.sh "$out/$1" "$n" "$warm" "$threads"
}

pair() { # kind -> "alone a b"
  local alone a b
  alone=$("$1_rate" "$1-alone")
  "$1_rate" "$1-first" > "$out/$1-first.rate" &
  local p1=$!
  "$1_rate" "$1-second" > "$out/$1-second.rate" &
  local p2=$!
  wait "$p1" "$p2"
  a=$(cat "$out/$1-first.rate")
  b=$(cat "$out/$1-second.rate")
  /usr/bin/python3 -c '
import sys
kind, alone, a, b = sys.argv[1], *map(float, sys.argv[2:])
print(f"{kind:6s} alone {alone:8.1f} img/s   together {a:8.1f} + {b:8.1f}   fraction of alone"
      f" {a / alone:.2f} / {b / alone:.2f}   (sum {(a + b) / alone:.2f})")' "$1" "$alone" "$a" "$b"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  threads: $threads  OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-(launcher default 5000)}"
pair bench
pair train
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
