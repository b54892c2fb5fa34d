#!/usr/bin/env bash
# Installs Debian's Slurm and MUNGE for the Slurm integration test (test/integration/grid/slurmGrid) when they are
# missing; about 20 s. Needs root and apt (CI, the dev containers); elsewhere it says so and the test skips.
set -u
if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "slurm: not installed and not root with apt-get; the Slurm integration test will skip" >&2
  exit 0
fi
echo "== installing slurm-wlm munge (Debian packages) for the Slurm integration test"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >/tmp/medad-slurm-install.log 2>&1; then
  echo "slurm: apt-get install failed (log /tmp/medad-slurm-install.log); the Slurm integration test will skip" >&2
fi
exit 0
