#!/usr/bin/env bash
# Mixed precision against float32, same machine, same minutes: `convmirror bench --phase train`
# with --precision fp32, bf16 and bf16-declared (PRECISIONS="..." for others) in turn, ROUNDS
# rounds, on the step of dcgan28 (batch 32, the default recipe's, and 64), dcgan64 (64) and vae28
# (64), then the default job's real loop on Fashion-MNIST (bench/real_rate.sh, batch 32,
# iterations 20..200) each way; the order rotates from round to round, so that no precision always
# goes first. Prints each case's images/s (median over the rounds) and each precision / fp32 with
# the range of the per-round ratios.
#
#   bench/precision_speed.sh [ROUNDS]      (default 3; THREADS=N to pin the thread count)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${THREADS:-0}
out=${PRECISION_DIR:-runs/precision}
mkdir -p "$out"
flock /tmp/mvn.lock ./convmirror --help >/dev/null 2>&1 || true # build once, outside the timings
csv="$out/precision.csv"
echo "round,case,precision,images_per_second" > "$csv"
step() { # model batch precision -> images/s
  ./convmirror bench --model "$1" --batch-size "$2" --phase train --precision "$3" \
    --threads "$threads" --iterations "${ITERATIONS:-40}" --json |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])'
}
read -r -a all <<< "${PRECISIONS:-fp32 bf16 bf16-declared}"
[ "${all[0]}" = fp32 ] || { echo "PRECISIONS must start with fp32, the reference" >&2; exit 2; }
for r in $(seq 1 "$rounds"); do
  k=$(( (r - 1) % ${#all[@]} )) # rotated: round r starts with the r-th precision
  order="${all[*]:k} ${all[*]:0:k}"
  for c in dcgan28:32 dcgan28:64 dcgan64:64 vae28:64; do
    for p in $order; do
      echo "$r,${c/:/ b},$p,$(step "${c%%:*}" "${c##*:}" "$p")" >> "$csv"
    done
  done
  t=$([ "$threads" = 0 ] && echo auto || echo "$threads")
  for p in $order; do
    echo "$r,real dcgan28 b32,$p,$(PRECISION=$p bench/real_rate.sh "$out/real-$p" 200 20 "$t" 32)" >> "$csv"
  done
  echo "round $r of $rounds done" >&2
done
/usr/bin/python3 - "$csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cases = list(dict.fromkeys(r["case"] for r in rows))
ps = list(dict.fromkeys(r["precision"] for r in rows))
ps.remove("fp32")
print("| case | fp32 img/s | " + " | ".join("%s img/s | %s / fp32 (median, range)" % (p, p) for p in ps) + " |")
print("|---|---|" + "---|---|" * len(ps))
for c in cases:
    v = {p: {r["round"]: float(r["images_per_second"]) for r in rows if r["case"] == c and r["precision"] == p} for p in ["fp32"] + ps}
    cells = ["%.1f" % statistics.median(v["fp32"].values())]
    for p in ps:
        ratios = [v[p][k] / v["fp32"][k] for k in v["fp32"] if k in v[p]]
        cells += ["%.1f" % statistics.median(v[p].values()),
                  "%.2f (%.2f–%.2f)" % (statistics.median(ratios), min(ratios), max(ratios))]
    print("| %s | %s |" % (c, " | ".join(cells)))
PY
