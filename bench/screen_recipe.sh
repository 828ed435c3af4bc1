#!/usr/bin/env bash
# One screening point for a recipe change (docs/notes/quality.md): `convmirror train` for five
# epochs (EPOCHS=N for another count) on one thread pinned to one core, then `convmirror evaluate`
# of the delivered (averaged) and the trained generator, 10,000 samples each. Two points can run
# at once, one per core: the Fréchet distances do not depend on the load, only the seconds do.
#
#   bench/screen_recipe.sh CORE NAME TRAIN_FLAGS...
#   bench/screen_recipe.sh 0 hinge-s1 --seed 1 --loss hinge
#   bench/screen_recipe.sh 1 wide-s1 --seed 1 --model wide.yaml
#
# Runs land in runs/screen/NAME; one line per point is appended to runs/screen/results.txt.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,11p "$0" >&2; exit 2; }
core=$1 name=$2
shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${SCREEN_DIR:-$here/runs/screen}"
mkdir -p "$out"
cm=(taskset -c "$core" "$here/convmirror")
"${cm[@]}" train --epochs "${EPOCHS:-5}" --threads 1 --quiet --runs "$out" --name "$name" "$@" > "$out/$name.log" 2>&1 \
  || { echo "training failed: $out/$name.log" >&2; exit 1; }
fd() {
  "${cm[@]}" evaluate "$out/$name" --count 10000 --threads 1 "$@" | awk '/^Fréchet distance/ {print $3}'
}
delivered=$(fd) && trained=$(fd --raw) || { echo "scoring $out/$name failed (above)" >&2; exit 1; }
echo "$name | $* | delivered $delivered | trained $trained" | tee -a "$out/results.txt"
