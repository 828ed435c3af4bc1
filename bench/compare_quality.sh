#!/usr/bin/env bash
# Quality against the clock, side by side: the plain-PyTorch peer (bench/quality_reference.py:
# pytorch/examples' DCGAN recipe on dcgan28's networks) and convmirror's default job, trained on
# Fashion-MNIST for the same epochs and seeds, alternated, each snapshotted every N images and
# every snapshot scored by `convmirror evaluate` on 10,000 samples (convmirror: the delivered
# weight average and the trained generator). Prints the Fréchet distance against training seconds
# and per epoch (mean ± std over seeds), checks issue 23's targets, and draws FD vs seconds.
#
#   bench/compare_quality.sh [--epochs 5] [--seeds 1,2,3] [--every 20000] [--threads 2]
#                            [--split-cores] [--out DIR] [-- extra 'convmirror train' flags]
#   bench/compare_quality.sh --epochs 1 --seeds 1 --every 30000      # a quick look
#   bench/compare_quality.sh --split-cores                            # what the README reports
#
# --split-cores: on a 2-core machine, the timed training of both sides runs on core 0 with one
# thread while the scoring of earlier snapshots runs on core 1 (scoring is not timed), so the
# whole comparison takes about the sum of the training times. Without it everything runs in
# turn with --threads threads. Work goes to runs/quality-time/ (--out to change it); a rerun keeps
# scores already computed (delete the folder to start over). Phases: QUALITY_PHASES=train,score,report.
# QUALITY_SCORER=PATH/convmirror scores with another build (evaluation is the same to 1e-6).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=5 seeds=1,2,3 every=20000 threads=2 split=0 out=runs/quality-time
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --split-cores) split=1; shift ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "compare_quality.sh: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
  esac
done
extra=("$@")
phases=${QUALITY_PHASES:-train,score,report}
scorer_cli=${QUALITY_SCORER:-./convmirror} # another build's launcher may score (same numbers)
mkdir -p "$out"

# Debian's torch runs on whatever libblas.so.3 is: without OpenBLAS it is ~6x slower (an unfair
# peer); the quality numbers do not depend on it, but the time does.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  for pkg in python3-torch libopenblas0-openmp python3-matplotlib; do
    dpkg -s "$pkg" >/dev/null 2>&1 || apt-get install -y -qq "$pkg" >/dev/null
  done
fi
./convmirror --version > /dev/null # builds the jar now, not inside a timed run

timed=() scorer=() train_threads=$threads
if [ "$split" = 1 ]; then
  timed=(taskset -c 0) scorer=(taskset -c 1) train_threads=1
fi
batch=32 prev= # the dcgan preset's batch, unless the extra flags set one
for a in "${extra[@]}"; do [ "$prev" = --batch-size ] && batch=$a; prev=$a; done
ckpt_every=$(( (every + batch - 1) / batch ))

train_peer() {
  OMP_NUM_THREADS=$train_threads "${timed[@]}" /usr/bin/python3 bench/quality_reference.py \
    --epochs "$(seq -s, 1 "$epochs")" --every "$every" --seed "$1" --threads "$train_threads" \
    --out "$out/peer" > "$out/peer-seed-$1.log"
}
train_ours() {
  rm -rf "$out/convmirror-seed-$1"
  "${timed[@]}" ./convmirror train --epochs "$epochs" --seed "$1" --threads "$train_threads" \
    --runs "$out" --name "convmirror-seed-$1" --checkpoint-every "$ckpt_every" \
    --keep-checkpoints 100000 --quiet "${extra[@]}" > "$out/convmirror-seed-$1.log"
}

# Scores every snapshot that has no score yet: the peer's .npy files, and each convmirror
# checkpoint twice (weight average, trained generator). Safe to run beside training.
score_all() {
  local f ck
  for f in "$out"/peer/seed-*.npy; do
    [ -e "$f" ] && [ ! -e "${f%.npy}.evaluation.json" ] || continue
    "${scorer[@]}" "$scorer_cli" evaluate "$f" --count 10000 --threads 1 > /dev/null
  done
  for ck in "$out"/convmirror-seed-*/checkpoints/step-*; do
    [[ $ck != */step-0000000 ]] && [ -e "$ck/state.json" ] && [ -e "$ck/MANIFEST.json" ] || continue
    [ -e "$ck/score-average.json" ] ||
      "${scorer[@]}" "$scorer_cli" evaluate "$ck" --count 10000 --threads 1 \
        --json "$ck/score-average.json" > /dev/null
    [ -e "$ck/score-raw.json" ] ||
      "${scorer[@]}" "$scorer_cli" evaluate "$ck" --count 10000 --threads 1 --raw \
        --json "$ck/score-raw.json" > /dev/null
  done
}

if [[ $phases == *train* ]]; then
  scoring=
  if [ "$split" = 1 ] && [[ $phases == *score* ]]; then
    (while [ ! -e "$out/.trained" ]; do score_all; sleep 20; done) &
    scoring=$!
  fi
  rm -f "$out/.trained"
  n=0
  for s in ${seeds//,/ }; do # alternate which side goes first
    echo "seed $s: training both sides ($(date +%T))"
    if (( n++ % 2 == 0 )); then train_peer "$s"; train_ours "$s"; else train_ours "$s"; train_peer "$s"; fi
  done
  touch "$out/.trained"
  [ -n "$scoring" ] && wait "$scoring"
fi
if [[ $phases == *score* ]]; then
  echo "scoring the snapshots not scored yet ($(date +%T))"
  score_all
fi
if [[ $phases == *report* ]]; then
  label="convmirror default"
  [ ${#extra[@]} -gt 0 ] && label="convmirror ${extra[*]}"
  /usr/bin/python3 bench/quality_curve.py "$out" --seeds "$seeds" --epochs "$epochs" --label "$label"
fi
