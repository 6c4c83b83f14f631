#!/usr/bin/env bash
# down.sh - stop the single-node Slurm that up.sh started.
#
#   sudo cluster/slurm-local/down.sh [--purge] [DAEMON...]
#
# Cancels the jobs in the triad partition, then stops slurmd, slurmctld and
# munged, each only if up.sh started it: by the process id up.sh recorded,
# after checking the process still has that name. DAEMON names limit it to
# some of them (make test-cluster stops only what its own up.sh started).
# --purge also deletes $TRIAD_SLURM_ROOT (default /var/lib/triad-slurm).
# The packages stay installed. Every wait is bounded.
set -euo pipefail

ROOT=${TRIAD_SLURM_ROOT:-/var/lib/triad-slurm}
PARTITION=triad
purge=0
daemons=()
for a in "$@"; do
  case $a in
    --purge) purge=1 ;;
    munged | slurmctld | slurmd) daemons+=("$a") ;;
    *) echo "usage: $0 [--purge] [munged|slurmctld|slurmd ...]" >&2; exit 2 ;;
  esac
done
[ ${#daemons[@]} -gt 0 ] || daemons=(slurmd slurmctld munged)

log() { printf 'slurm-local: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { log "error: run me as root"; exit 1; }
export SLURM_CONF=$ROOT/slurm.conf

# runs PID NAME: process PID exists, is called NAME and is not a zombie.
runs() {
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# pid_of NAME: the recorded process id of NAME, if it still runs as NAME.
pid_of() {
  local f="$ROOT/run/$1.pid" pid
  [ -s "$f" ] || return 1
  pid=$(tr -dc '0-9' 2>/dev/null <"$f")
  runs "$pid" "$1" || return 1
  echo "$pid"
}
wants() { [[ " ${daemons[*]} " == *" $1 "* ]]; }

# Jobs first, so that no job outlives slurmd.
if wants slurmctld && pid_of slurmctld >/dev/null && [ -n "$(squeue -h -p "$PARTITION" -o %i 2>/dev/null)" ]; then
  log "cancelling the jobs in partition $PARTITION"
  scancel -p "$PARTITION" 2>/dev/null || true
  for _ in $(seq 50); do
    [ -z "$(squeue -h -p "$PARTITION" -o %i 2>/dev/null)" ] && break
    sleep 0.2
  done
fi

rc=0
for d in slurmd slurmctld munged; do
  wants "$d" || continue
  pid=$(pid_of "$d") || { rm -f "$ROOT/run/$d.pid"; continue; }
  log "stopping $d (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  # The daemons remove their pid files before they have quite gone, so
  # wait on the process itself.
  for _ in $(seq 75); do
    runs "$pid" "$d" || break
    sleep 0.2
  done
  if runs "$pid" "$d"; then
    log "$d (pid $pid) is still there after 15 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    if runs "$pid" "$d"; then
      log "error: $d (pid $pid) does not stop"
      rc=1
      continue
    fi
  fi
  rm -f "$ROOT/run/$d.pid"
done

if [ "$purge" = 1 ] && [ "$rc" = 0 ]; then
  case $ROOT in
    / | /var | /var/lib | /tmp | "") log "error: I will not delete $ROOT"; rc=1 ;;
    *) rm -rf "$ROOT" && log "deleted $ROOT" ;;
  esac
fi
exit "$rc"
