#!/usr/bin/env bash
# The cross-check of docs/REFERENCE.md, end to end: lpt's three seeds, each seed's phase-1 state
# exported, the authors' phase-2 script on each export, then the tables and the curves.
#   scripts/reference/cross_check.sh AUTHORS_CHECKOUT WORK_DIR
# AUTHORS_CHECKOUT: a checkout of DongSky/LPT (docs/REFERENCE.md names the commit); WORK_DIR: a new
# folder for the run directory, the exports and the authors' outputs. Run from the repository root.
set -euo pipefail
authors=$1
work=$2
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$work"
nice -n 10 npx lpt run scripts/reference/reference_mnist_lt.lpt --out "$work/runs"
run=$(ls -d "$work"/runs/reference_mnist_lt/*/ | tail -n 1)
for seed in 0 1 2; do
  npx lpt export "$run" --seed "$seed" --phase one --out "$work/export_seed$seed"
  nice -n 10 "$python" scripts/reference/run_authors_phase2.py --authors "$authors" \
    --export "$work/export_seed$seed" --seed "$seed" --out "$work/authors/seed$seed" \
    --epoch-test-per-class 200
done
"$python" scripts/reference/summarize.py --lpt-run "$run" --authors "$work/authors" \
  --plot docs/reference-curves.png --json docs/reference-results.json
