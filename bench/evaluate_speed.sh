#!/usr/bin/env bash
# End-to-end wall time of `convmirror evaluate` on COUNT images (default 10,000) as a user runs it,
# JVM start and data loading included: once with an empty reference cache (cold), then twice
# with the cache it wrote (warm), and whether the three reports hold the same numbers.
# The samples are the last COUNT Fashion-MNIST training images blended 85:15 with uniform noise
# (near the data, like a trained model's), written once as .npy by Debian's python3 + numpy.
# Build first (the launcher would build inside the timed run):
#   flock /tmp/mvn.lock mvn -B -o -q -DskipTests package
# then, on a machine as quiet as you can get:
#   flock /tmp/mvn.lock bench/evaluate_speed.sh [COUNT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-10000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/samples.npy" "$count" <<'PY'
import gzip, sys, numpy as np
out, n = sys.argv[1], int(sys.argv[2])
with gzip.open('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz') as f:
    x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[-n:] / 255.0
noise = np.random.default_rng(2024).random(x.shape)
np.save(out, (0.85 * x + 0.15 * noise).astype(np.float32))
PY
export CONVMIRROR_JAVA_OPTS="-Xmx6g -Xmn64m -Dconvmirror.evalCache=$work/cache"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in cold warm1 warm2; do
  start=$(date +%s%N)
  "$here/convmirror" evaluate "$work/samples.npy" --count "$count" > "$work/$run.txt"
  ms=$((($(date +%s%N) - start) / 1000000))
  printf '%-6s %3d.%02d s\n' "$run" $((ms / 1000)) $((ms % 1000 / 10))
  cp "$work/samples.evaluation.json" "$work/$run.json"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
if cmp -s "$work/cold.json" "$work/warm1.json" && cmp -s "$work/cold.json" "$work/warm2.json"; then
  echo "same numbers cold and warm"
else
  echo "the reports differ:" && diff "$work/cold.json" "$work/warm1.json" || true
  exit 1
fi
cat "$work/cold.txt"
