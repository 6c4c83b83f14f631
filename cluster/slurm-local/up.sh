#!/usr/bin/env bash
# up.sh - bring up a real single-node Slurm (munged, slurmctld, slurmd) on
# this Debian or Ubuntu machine from the distribution's packages, for
# `make test-cluster` and for trying the job files in cluster/slurm/.
#
#   sudo cluster/slurm-local/up.sh       # then: . /var/lib/triad-slurm/env
#   sudo cluster/slurm-local/down.sh     # stop what up.sh started
#
# As root, without systemd: the daemons are started directly and their
# process ids recorded in $ROOT/run/, so that down.sh stops exactly those.
# The configuration is $ROOT/slurm.conf (SLURM_CONF), not /etc/slurm, so a
# Slurm already set up on the machine is left alone; $ROOT/env exports it.
# Every wait is bounded. Names of the daemons this run started are written
# to $ROOT/run/started, one a line. The last line on stdout reads
#   TRIAD_SLURM_UP install_s=.. start_s=.. node=.. cpus=..
#
# Settings: TRIAD_SLURM_ROOT (state folder, default /var/lib/triad-slurm),
# APT_TIMEOUT (seconds per apt-get call, 300), READY_TIMEOUT (seconds for
# the node to become idle, 30).
set -euo pipefail

ROOT=${TRIAD_SLURM_ROOT:-/var/lib/triad-slurm}
APT_TIMEOUT=${APT_TIMEOUT:-300}
READY_TIMEOUT=${READY_TIMEOUT:-30}
PARTITION=triad
PACKAGES=(munge slurmctld slurmd slurm-client)

log() { printf 'slurm-local: %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
fail() {
  log "error: $*"
  for f in "$ROOT/log/slurmctld.log" "$ROOT/log/slurmd.log" /var/log/munge/munged.log; do
    if [ -r "$f" ]; then
      echo "--- last lines of $f" >&2
      tail -n 20 "$f" >&2
    fi
  done
  exit 1
}

# alive NAME: the process recorded in $ROOT/run/NAME.pid runs and is NAME.
alive() {
  local f="$ROOT/run/$1.pid" pid
  [ -s "$f" ] || return 1
  pid=$(tr -dc '0-9' 2>/dev/null <"$f")
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] || return 1
  [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

# within SECONDS COMMAND...: retry COMMAND every 0.2 s for at most SECONDS.
within() {
  local limit=$1 start
  shift
  start=$(now)
  until "$@" >/dev/null 2>&1; do
    awk -v a="$start" -v b="$(now)" -v l="$limit" 'BEGIN { exit !(b - a > l) }' && return 1
    sleep 0.2
  done
}

[ "$(id -u)" = 0 ] || fail "run me as root"
command -v apt-get >/dev/null || fail "I need a Debian or Ubuntu machine (apt-get)"

# 1. Packages.
t_install=$(now)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout "$APT_TIMEOUT" apt-get -q -o DPkg::Lock::Timeout="$APT_TIMEOUT" update >&2 ||
    fail "apt-get update failed"
  timeout "$APT_TIMEOUT" apt-get -q -y -o DPkg::Lock::Timeout="$APT_TIMEOUT" \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    install --no-install-recommends "${PACKAGES[@]}" >&2 ||
    fail "apt-get install ${PACKAGES[*]} failed"
fi
install_s=$(since "$t_install")
for c in munged munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
  command -v "$c" >/dev/null || fail "$c is missing after installing ${PACKAGES[*]}"
done

t_start=$(now)
mkdir -p "$ROOT/run"
: >"$ROOT/run/started"

# 2. munge, which Slurm uses to authenticate its messages.
munge_ok() { munge -n | unmunge; }
if [ ! -s /etc/munge/munge.key ]; then
  log "creating /etc/munge/munge.key"
  install -d -o munge -g munge -m 0700 /etc/munge
  runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key || fail "mungekey failed"
fi
if ! munge_ok >/dev/null 2>&1; then
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged || fail "munged did not start"
  within 10 munge_ok || fail "munged does not answer after 10 s"
  cp /run/munge/munged.pid "$ROOT/run/munged.pid"
  echo munged >>"$ROOT/run/started"
  log "munged started"
fi

# 3. slurm.conf for one node with the CPUs and memory slurmd finds.
node=$(hostname -s)
[ -n "$node" ] || fail "the machine has no host name"
if id slurm >/dev/null 2>&1; then user=slurm; else user=root; fi
install -d -o "$user" -g "$user" -m 0755 "$ROOT/state" "$ROOT/log"
install -d -m 0755 "$ROOT/spool"
chown "$user" "$ROOT/run"
hw=$(slurmd -C 2>/dev/null | head -n 1) || true
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$hw"; }
cpus=$(field CPUs)
cpus=${cpus:-$(nproc)}
mem=$(field RealMemory)
mem=$((${mem:-2048} * 9 / 10)) # a little under what slurmd sees, so the node is never drained for it
topology=""
if [ -n "$(field Boards)" ] && [ -n "$(field CoresPerSocket)" ]; then
  topology="Boards=$(field Boards) SocketsPerBoard=$(field SocketsPerBoard) CoresPerSocket=$(field CoresPerSocket) ThreadsPerCore=$(field ThreadsPerCore)"
fi
conf=$ROOT/slurm.conf
cat >"$conf.new" <<EOF
# Written by triad's cluster/slurm-local/up.sh: one node, no cgroups, no
# accounting database, no scheduling delay.
ClusterName=triadlocal
SlurmctldHost=$node(127.0.0.1)
AuthType=auth/munge
CredType=cred/munge
SlurmUser=$user
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$ROOT/state
SlurmdSpoolDir=$ROOT/spool
SlurmctldPidFile=$ROOT/run/slurmctld.pid
SlurmdPidFile=$ROOT/run/slurmd.pid
SlurmctldLogFile=$ROOT/log/slurmctld.log
SlurmdLogFile=$ROOT/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=600
MaxArraySize=10001
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus $topology RealMemory=$mem State=UNKNOWN
PartitionName=$PARTITION Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
chmod 0644 "$conf.new"
changed=1
if [ -f "$conf" ] && cmp -s "$conf" "$conf.new"; then changed=0; fi
mv -f "$conf.new" "$conf"
export SLURM_CONF=$conf
printf 'export SLURM_CONF=%s\n' "$conf" >"$ROOT/env"

# 4. The daemons: reuse ours if they run with this configuration.
stop() {
  local pid
  alive "$1" || return 0
  pid=$(tr -dc '0-9' <"$ROOT/run/$1.pid")
  kill -TERM "$pid" 2>/dev/null || true
  within 15 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
}
if [ "$changed" = 1 ]; then
  stop slurmd
  stop slurmctld
fi
for d in slurmctld slurmd; do
  if alive "$d"; then
    log "$d already runs (pid $(cat "$ROOT/run/$d.pid"))"
    continue
  fi
  if pgrep -x "$d" >/dev/null; then
    fail "a $d that up.sh did not start runs already (pid $(pgrep -x "$d" | tr '\n' ' ')); stop it first"
  fi
  rm -f "$ROOT/run/$d.pid"
  "/usr/sbin/$d" -f "$conf" || fail "$d did not start"
  within 15 alive "$d" || fail "$d did not stay up"
  echo "$d" >>"$ROOT/run/started"
  log "$d started (pid $(cat "$ROOT/run/$d.pid"))"
done

# 5. Wait for the node to take jobs.
ready() {
  scontrol ping | grep -q 'is UP' || return 1
  case "$(sinfo -h -n "$node" -o %T | head -n 1)" in
    idle | mixed | allocated | completing) return 0 ;;
    *drain* | down*) scontrol update NodeName="$node" State=RESUME || true; return 1 ;;
  esac
  return 1
}
within "$READY_TIMEOUT" ready || fail "node $node is not ready after $READY_TIMEOUT s: $(sinfo -h -N -o '%N %T %E' 2>&1)"
log "ready: partition $PARTITION, node $node, $cpus CPUs"
echo "TRIAD_SLURM_UP install_s=$install_s start_s=$(since "$t_start") node=$node cpus=$cpus"
