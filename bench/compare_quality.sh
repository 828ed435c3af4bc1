#!/usr/bin/env bash
# Quality side by side: the plain-PyTorch reference (bench/quality_reference.py: pytorch/examples'
# DCGAN recipe on dcgan28's networks) and convmirror's default, trained on Fashion-MNIST for the
# same epochs and seeds, both scored by `convmirror evaluate` on 10,000 samples. Prints the
# Fréchet distance per epoch as mean ± std over the seeds.
#
#   bench/compare_quality.sh [EPOCHS] [SEEDS] [-- extra 'convmirror train' flags]
#   bench/compare_quality.sh 1,3 1,2,3
#   bench/compare_quality.sh 1,5 1,2,3 -- --preset sngan
#
# Work goes to runs/quality/ (QUALITY_DIR to change it). Both sides use 2 threads.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-1,3}
seeds=${2:-1,2,3}
shift $(( $# > 2 ? 2 : $# )) || true
[ "${1:-}" = "--" ] && shift
extra=("$@")
out=${QUALITY_DIR:-runs/quality}
mkdir -p "$out"

# Debian's torch runs on whatever libblas.so.3 is: without OpenBLAS it is ~6x slower (an unfair
# peer); the quality numbers do not depend on it, but the time does.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  for pkg in python3-torch libopenblas0-openmp; do
    dpkg -s "$pkg" >/dev/null 2>&1 || apt-get install -y -qq "$pkg" >/dev/null
  done
fi

max=$(tr , '\n' <<<"$epochs" | sort -n | tail -1)
fd() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['model']['frechet'])" "$1"; }
declare -A ref ours
for s in ${seeds//,/ }; do
  /usr/bin/python3 bench/quality_reference.py --epochs "$epochs" --seed "$s" --out "$out/reference" \
    > "$out/reference-seed-$s.log"
  for e in ${epochs//,/ }; do
    npy="$out/reference/seed-$s-epoch-$e.npy"
    ./convmirror evaluate "$npy" --count 10000 > /dev/null
    ref[$e]+="$(fd "${npy%.npy}.evaluation.json") "
  done
  run="$out/convmirror-seed-$s"
  rm -rf "$run"
  ./convmirror train --epochs "$max" --seed "$s" --runs "$out" --name "convmirror-seed-$s" \
    --eval-every 1 --eval-count 10000 --quiet "${extra[@]}" > "$out/convmirror-seed-$s.log"
  for e in ${epochs//,/ }; do
    ours[$e]+="$(fd "$(printf '%s/evaluation-epoch-%04d.json' "$run" "$e")") "
  done
done

stats() { /usr/bin/python3 -c "import statistics as s,sys; v=[float(x) for x in sys.argv[1:]]; print(f'{s.mean(v):7.2f} ± {s.stdev(v) if len(v) > 1 else 0:5.2f}  ({\" \".join(f\"{x:.2f}\" for x in v)})')" "$@"; }
echo "Fréchet distance, 10,000 samples, mean ± std over seeds $seeds (per seed in brackets)"
for e in ${epochs//,/ }; do
  echo "epoch $e  plain PyTorch: $(stats ${ref[$e]})"
  echo "epoch $e  convmirror   : $(stats ${ours[$e]})  ${extra[*]:-}"
done
