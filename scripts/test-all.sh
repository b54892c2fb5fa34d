#!/usr/bin/env bash
# `npm test`: lint, then every test tier even when an earlier one fails (so each tier's counts are printed),
# failing at the end if anything failed. `npm run build` has already run (pretest).
set -u
cd "$(dirname "$0")/.."
failed=()
bash scripts/slurm/install.sh # the integration tier's Slurm test needs slurmctld/slurmd (no-op when present)
for step in lint test:unit test:integration test:e2e; do
  t0=$(date +%s)
  npm run --silent "$step" || failed+=("$step")
  echo "== $step took $(( $(date +%s) - t0 )) s"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
