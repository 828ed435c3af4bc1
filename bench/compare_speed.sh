#!/usr/bin/env bash
# Speed side by side in one go: convmirror bench and bench/reference.py (plain torch.nn, Debian's
# python3-torch on OpenBLAS) on the same phases, alternated so both see the same load, ROUNDS
# times; prints each case's images/s for both sides and their ratio (median and range over the
# rounds), writes the raw numbers to runs/speed/speed.csv and a plot of images/s against the batch
# size to runs/speed/speed.png.
#
#   bench/compare_speed.sh [ROUNDS]      (default 3)
#
# Both sides use 1 and 2 intra-op threads and report the faster (the machine has 2 cores).
# PRECISION=bf16 trains convmirror with --precision bf16 (its step and its real loop; the sampling
# case, which precision does not touch, is left out); the peer stays float32 as users run it.
#
# The real workload ("dcgan28 b64 real"): both sides train dcgan28 at batch 64 on Fashion-MNIST
# through their own real loops for the first REAL_ITERATIONS iterations (default 200; images/s over
# iterations 20..N): convmirror's default `train` job (bench/real_rate.sh) against pytorch/examples'
# DCGAN recipe on the same networks (bench/quality_reference.py --speed N). The last line reports
# convmirror's real loop as a fraction of its own `bench` step (dcgan28 b64, same round).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
out=${SPEED_DIR:-runs/speed}
mkdir -p "$out"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  for pkg in python3-torch libopenblas0-openmp python3-matplotlib; do
    dpkg -s "$pkg" >/dev/null 2>&1 || apt-get install -y -qq "$pkg" >/dev/null
  done
fi
# The jar is built once, under the shared Maven lock, outside the timings.
flock /tmp/mvn.lock ./convmirror --help >/dev/null 2>&1 || true
# One JVM start per case.
ours() { # model batch phase -> JSON
  local best=""
  for t in 1 2; do
    ./convmirror bench --model "$1" --batch-size "$2" --phase "$3" --threads "$t" --json \
      --iterations "${ITERATIONS:-40}" --sample-reps 20 --precision "$precision" \
      > "$out/ours-$1-$2-$3-t$t.json"
  done
}
peer() {
  /usr/bin/python3 bench/reference.py --model "$1" --batch-size "$2" --phase "$3" --threads 1,2 \
    --iterations "${ITERATIONS:-40}" --json > "$out/peer-$1-$2-$3.json"
}
real_ours() { # -> best images/s over 1 and 2 threads
  local best=0 r
  for t in 1 2; do
    r=$(PRECISION=$precision bench/real_rate.sh "$out/real-ours-t$t" "${REAL_ITERATIONS:-200}" 20 "$t")
    best=$(/usr/bin/python3 -c "print(max($best, $r))")
  done
  echo "$best"
}
real_peer() {
  local best=0 r
  for t in 1 2; do
    r=$(/usr/bin/python3 bench/quality_reference.py --speed "${REAL_ITERATIONS:-200}" --threads "$t" \
      --out "$out/real-peer" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])')
    best=$(/usr/bin/python3 -c "print(max($best, $r))")
  done
  echo "$best"
}
cases=("dcgan28 16 train" "dcgan28 64 train" "dcgan28 256 train" "dcgan64 64 train"
       "vae28 64 train" "dcgan28 64 sample")
precision=${PRECISION:-fp32}
[ "$precision" = fp32 ] || unset 'cases[5]' # sampling does not depend on it
echo "round,case,ours_images_per_second,peer_images_per_second,ours_useful_over_matmul" > "$out/speed.csv"
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then o=$(real_ours); p=$(real_peer); else p=$(real_peer); o=$(real_ours); fi
  echo "$r,dcgan28 b64 real,$o,$p,nan" >> "$out/speed.csv"
  for c in "${cases[@]}"; do
    set -- $c
    if (( r % 2 )); then ours "$@"; peer "$@"; else peer "$@"; ours "$@"; fi
    /usr/bin/python3 - "$out" "$r" "$1" "$2" "$3" >> "$out/speed.csv" <<'PY'
import json, sys
out, r, model, batch, phase = sys.argv[1:]
def load(p): return json.load(open(p))
ours = [load(f"{out}/ours-{model}-{batch}-{phase}-t{t}.json") for t in (1, 2)]
peer = load(f"{out}/peer-{model}-{batch}-{phase}.json")["best"]
if phase == "train":
    o = max(ours, key=lambda j: j["images_per_second"])
    print(f"{r},{model} b{batch} train,{o['images_per_second']:.2f},"
          f"{peer['train']['images_per_second']:.2f},{o['useful_over_matmul']:.4f}")
else:
    for b in ("1", "64", "1024"):
        o = max((j["sample"][b] for j in ours), key=lambda s: s["images_per_second"])
        print(f"{r},{model} sample b{b},{o['images_per_second']:.2f},"
              f"{peer['sample'][b]['images_per_second']:.2f},{o['useful_over_matmul']:.4f}")
PY
  done
done
/usr/bin/python3 - "$out" <<'PY'
import csv, statistics, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/speed.csv")))
cases = list(dict.fromkeys(r["case"] for r in rows))
print(f"{'case':22s} {'convmirror img/s':>18s} {'PyTorch img/s':>15s} {'ratio (median, range)':>26s} {'useful/matmul':>14s}")
for c in cases:
    rs = [r for r in rows if r["case"] == c]
    o = [float(r["ours_images_per_second"]) for r in rs]
    p = [float(r["peer_images_per_second"]) for r in rs]
    q = [a / b for a, b in zip(o, p)]
    u = [float(r["ours_useful_over_matmul"]) for r in rs]
    u = [x for x in u if x == x]
    useful = f"{100 * statistics.median(u):12.1f} %" if u else f"{'-':>14s}"
    print(f"{c:22s} {statistics.median(o):18.1f} {statistics.median(p):15.1f} "
          f"{statistics.median(q):10.2f} ({min(q):.2f}-{max(q):.2f})    {useful}")
by_round = lambda case: {r["round"]: float(r["ours_images_per_second"]) for r in rows
                         if r["case"] == case}
real, step = by_round("dcgan28 b64 real"), by_round("dcgan28 b64 train")
f = [real[k] / step[k] for k in real if k in step]
if f:
    print(f"convmirror's real training loop / its bench step (dcgan28 b64, same round): "
          f"{statistics.median(f):.2f} (median; {min(f):.2f}-{max(f):.2f})")
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    train = [c for c in cases if c.startswith("dcgan28") and c.endswith("train")]
    bs = [int(c.split()[1][1:]) for c in train]
    med = lambda c, k: statistics.median(float(r[k]) for r in rows if r["case"] == c)
    plt.figure(figsize=(6, 3.6))
    plt.plot(bs, [med(c, "ours_images_per_second") for c in train], "o-", label="convmirror")
    plt.plot(bs, [med(c, "peer_images_per_second") for c in train], "s-", label="plain PyTorch")
    plt.xscale("log", base=2); plt.xlabel("batch size"); plt.ylabel("images/s")
    plt.title("dcgan28 training iterations, 2 cores"); plt.grid(alpha=0.3); plt.legend()
    plt.tight_layout(); plt.savefig(f"{out}/speed.png", dpi=110)
    print(f"wrote {out}/speed.csv and {out}/speed.png")
except ImportError:
    print(f"wrote {out}/speed.csv (install python3-matplotlib for the plot)")
PY
