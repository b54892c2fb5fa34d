#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for tests: `start` writes a minimal slurm.conf under a temporary
# folder, starts munged, slurmctld and slurmd bound to 127.0.0.1 and waits until `sinfo` shows the node idle;
# `stop` cancels its jobs, stops the three daemons it started (by their recorded pids) and removes the folder.
# Needs Debian's slurm-wlm and munge (`apt-get install -y --no-install-recommends slurm-wlm munge`) and root.
#
#   scripts/slurm/local-cluster.sh start   # prints: export SLURM_CONF=…
#   scripts/slurm/local-cluster.sh stop
#
# MEDAD_SLURM_DIR (default /tmp/medad-slurm) holds everything; MEDAD_SLURM_PORT (default 16817) is slurmctld's
# port and the next one slurmd's, away from a real cluster's 6817/6818. No accounting (no slurmdbd): sacct
# answers that accounting is disabled, which `medad grid` handles.
set -euo pipefail
dir=${MEDAD_SLURM_DIR:-/tmp/medad-slurm}
port=${MEDAD_SLURM_PORT:-16817}
conf=$dir/slurm.conf

need() { command -v "$1" >/dev/null || { echo "local-cluster: $1 not found; apt-get install slurm-wlm munge" >&2; exit 2; }; }

stop() {
  [ -d "$dir" ] || return 0
  if [ -f "$conf" ] && [ -f "$dir/slurmctld.pid.run" ]; then
    SLURM_CONF=$conf scancel --quiet --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 30); do # running tasks get SIGTERM, then SIGKILL after KillWait
      [ -z "$(SLURM_CONF=$conf squeue -h -o %A 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  for d in slurmd slurmctld munged; do
    f=$dir/$d.pid.run
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # slurmstepd (one per job, outliving slurmd) is found by the spool folder it was started for.
  for p in $(pgrep -x slurmstepd || true); do
    if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "SLURM_CONF=$conf"; then kill -9 "$p" 2>/dev/null || true; fi
  done
  rm -rf "$dir"
}

start() {
  for b in munged mungekey slurmctld slurmd sinfo sbatch; do need "$b"; done
  if [ -d "$dir" ]; then echo "local-cluster: $dir exists (a cluster is running?); run '$0 stop' first" >&2; exit 1; fi
  mkdir -p "$dir"/{munge,state,spool,log}
  chmod 700 "$dir/munge"
  host=$(hostname -s)
  cpus=$(nproc)
  mungekey --create --keyfile="$dir/munge/munge.key" --force
  chmod 600 "$dir/munge/munge.key"
  munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" --foreground --force >>"$dir/log/munged.out" 2>&1 &
  echo $! >"$dir/munged.pid.run"
  cat >"$conf" <<CONF
ClusterName=medadtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
KillWait=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  for _ in $(seq 1 40); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.25; done
  export SLURM_CONF=$conf
  slurmctld -D -f "$conf" >>"$dir/log/slurmctld.out" 2>&1 &
  echo $! >"$dir/slurmctld.pid.run"
  slurmd -D -f "$conf" >>"$dir/log/slurmd.out" 2>&1 &
  echo $! >"$dir/slurmd.pid.run"
  for _ in $(seq 1 120); do
    if [ "$(sinfo -h -n "$host" -o %t 2>/dev/null)" = "idle" ]; then
      echo "export SLURM_CONF=$conf"
      return 0
    fi
    sleep 0.25
  done
  echo "local-cluster: the node did not come up idle in 30 s; logs:" >&2
  tail -n 20 "$dir"/log/* >&2 || true
  stop
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
