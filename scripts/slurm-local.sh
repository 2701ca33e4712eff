#!/usr/bin/env bash
# A one-node Slurm cluster on this machine (Debian's slurm-wlm and munge; slurmctld and slurmd on localhost), to run
# `mbi slurm ... --submit` for real without a cluster, and for CI. Needs root (it installs packages and writes
# /etc/slurm/slurm.conf). Works without systemd: the daemons are started directly and stopped by the pids it recorded.
#
#   scripts/slurm-local.sh start    install if needed, write the config, start munged, slurmctld, slurmd; wait until the node is idle
#   scripts/slurm-local.sh stop     stop the daemons this script started (by their recorded pids), nothing else
#   scripts/slurm-local.sh status   scontrol ping and sinfo
#
# `start` when a controller already answers does nothing (and records nothing, so `stop` leaves that cluster alone).
# It refuses to overwrite a /etc/slurm/slurm.conf it did not write (a real cluster's).
set -euo pipefail

conf=/etc/slurm/slurm.conf
marker="# written by mbi scripts/slurm-local.sh"
started=/run/mbi-slurm-local.pids   # the pids this script started, one per line

log() { echo "slurm-local: $*" >&2; }

need_root() { [ "$(id -u)" = 0 ] || { log "must run as root (it installs slurm-wlm and munge and writes $conf)"; exit 1; }; }

install_packages() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null; then return; fi
  log "installing slurm-wlm and munge with apt-get ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
}

write_config() {
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
    log "$conf exists and was not written by this script (a real cluster's?); not touching it"; exit 1
  fi
  local cpus mem
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
  mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm
  cat > "$conf.tmp" <<CONF
$marker: a one-node cluster on localhost for mbi's CI and tests.
ClusterName=mbi-local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
# No cgroups (containers, no systemd): processes are tracked by parent pid, tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  mv "$conf.tmp" "$conf"
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return; fi
  install -d -o munge -g munge -m 0755 /run/munge
  [ -f /etc/munge/munge.key ] || { /usr/sbin/mungekey --create 2>/dev/null || /usr/sbin/create-munge-key -f; chown munge:munge /etc/munge/munge.key; }
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cat /run/munge/munged.pid >> "$started"
  munge -n | unmunge >/dev/null || { log "munged does not answer"; exit 1; }
}

start() {
  need_root
  if command -v scontrol >/dev/null && timeout 5 scontrol ping 2>/dev/null | grep -q UP; then
    log "a Slurm controller already answers; using it (stop will leave it alone)"; return
  fi
  install_packages
  write_config
  : > "$started"
  start_munge
  slurmctld -c           # -c: a clean state (no jobs left from an earlier run)
  for _ in $(seq 50); do [ -s /run/slurmctld.pid ] && break; sleep 0.1; done
  cat /run/slurmctld.pid >> "$started"
  slurmd -N localhost
  for _ in $(seq 50); do [ -s /run/slurmd.pid ] && break; sleep 0.1; done
  cat /run/slurmd.pid >> "$started"
  for _ in $(seq 60); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)
    if [ "$state" = idle ] || [ "$state" = mix ] || [ "$state" = alloc ]; then log "up: node localhost is $state ($(nproc) CPUs), partition local"; return; fi
    sleep 0.5
  done
  log "the node did not become idle (state '${state:-none}'); see /var/log/slurm/slurmctld.log and slurmd.log"; exit 1
}

stop() {
  [ -f "$started" ] || { log "nothing started by this script"; return; }
  # The cluster is this script's own: cancel what is still queued or running on it, so no job step outlives slurmd.
  if timeout 5 scontrol ping 2>/dev/null | grep -q UP; then
    scancel --partition=local 2>/dev/null || true
    for _ in $(seq 100); do [ -z "$(squeue -h -p local 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  # slurmd first, then slurmctld, then munged: the reverse of start.
  for pid in $(tac "$started"); do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
  done
  for pid in $(cat "$started"); do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -f "$started"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) scontrol ping && sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
