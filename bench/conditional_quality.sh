#!/usr/bin/env bash
# Quality of the conditional models beside their unconditional twins (issue 20): cdcgan28 and
# dcgan28, cvae28 and vae28, each trained EPOCHS epochs for every seed, then scored by
# `convmirror evaluate RUN --count COUNT` (FD, KID, precision, recall; a conditional model also
# gets the shipped classifier's agreement with the class each image was asked for) and, for the
# VAEs, the test −ELBO that training records after its last epoch. Prints one Markdown table of
# mean ± std over the seeds (per seed in brackets), ready for the README.
#
#   bench/conditional_quality.sh [--epochs 5] [--seeds 1,2,3] [--count 10000]
#                                [--models cdcgan28,dcgan28,cvae28,vae28] [--data fashion-mnist]
#                                [--out runs/conditional-quality] [-- extra 'convmirror train' flags]
#
# The measurement (README): bench/conditional_quality.sh      (defaults: 5 epochs, seeds 1,2,3,
# 10,000 samples; about 4 × 3 five-epoch runs on 2 cores). A smoke run of a few seconds:
#   bench/conditional_quality.sh --epochs 1 --seeds 1,2 --count 64 --data synthetic:128 \
#     --out /tmp/cq -- --batch-size 32
# Runs already trained in OUT are reused (delete OUT to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=5 seeds=1,2,3 count=10000 models=cdcgan28,dcgan28,cvae28,vae28 data=fashion-mnist
out=runs/conditional-quality
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "conditional_quality.sh: unknown flag '$1' (see the comment at the top)" >&2; exit 2 ;;
  esac
done
extra=("$@")
mkdir -p "$out"
# The named dataset (fashion-mnist, the default) goes to --dataset, anything else (a file, a folder,
# synthetic:N) to --data.
case "$data" in
  fashion-mnist) data_flag=--dataset ;;
  *) data_flag=--data ;;
esac

for m in ${models//,/ }; do
  for s in ${seeds//,/ }; do
    name="$m-seed-$s"
    run="$out/$name"
    if [ ! -f "$(printf '%s/evaluation-epoch-%04d.json' "$run" "$epochs")" ]; then
      rm -rf "$run"
      echo "training $name ($epochs epochs on $data)" >&2
      ./convmirror train --model "$m" "$data_flag" "$data" --epochs "$epochs" --seed "$s" \
        --runs "$out" --name "$name" --quiet "${extra[@]}" > "$out/$name.log"
      ./convmirror evaluate "$run" --count "$count" --seed "$s" >> "$out/$name.log"
    fi
  done
done

/usr/bin/python3 - "$out" "$epochs" "$seeds" "$count" "$models" "$data" <<'PY'
import csv, json, math, statistics, sys

out, epochs, seeds, count, models, data = sys.argv[1:]
seeds = seeds.split(",")


def scores(model, seed):
    run = f"{out}/{model}-seed-{seed}"
    with open(f"{run}/evaluation-epoch-{int(epochs):04d}.json") as f:
        e = json.load(f)
    m = e["model"]
    row = {"FD": m["frechet"], "KID": m["kidMean"],
           "precision": m["precision"], "recall": m["recall"]}
    c = e.get("conditional")
    row["class agreement"] = c["accuracy"] if c else None
    nelbo = None
    try:
        with open(f"{run}/epochs.csv") as f:
            rows = [r for r in csv.DictReader(f) if r.get("test_nelbo")]
        nelbo = float(rows[-1]["test_nelbo"]) if rows else None
    except FileNotFoundError:
        pass
    row["test −ELBO (nats)"] = nelbo
    return row


def cell(values):
    # Jackson writes NaN (no agreement: the classifier's classes are not the model's) as "NaN".
    v = [float(x) for x in values if x is not None]
    v = [x for x in v if not math.isnan(x)]
    if not v:
        return "n/a"
    sd = statistics.stdev(v) if len(v) > 1 else 0.0
    digits = 3 if max(abs(x) for x in v) < 10 else 2
    each = " ".join(f"{x:.{digits}f}" for x in v)
    return f"{statistics.mean(v):.{digits}f} ± {sd:.{digits}f} ({each})"


columns = ["FD", "KID", "precision", "recall", "class agreement", "test −ELBO (nats)"]
print(f"After {epochs} epochs on {data}; mean ± std over seeds {', '.join(seeds)} (per seed in"
      f" brackets); `convmirror evaluate RUN --count {count}`.\n")
print("| model | " + " | ".join(columns) + " |")
print("|---|" + "---|" * len(columns))
for model in models.split(","):
    rows = [scores(model, s) for s in seeds]
    print(f"| {model} | " + " | ".join(cell([r[c] for r in rows]) for c in columns) + " |")
PY
