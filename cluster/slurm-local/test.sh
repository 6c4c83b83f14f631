#!/usr/bin/env bash
# test.sh - `make test-cluster`: a sharded sweep on a real Slurm.
#
# Brings up a single-node Slurm (up.sh), runs cmd/triad/testdata/shard-sweep.yaml
# once in one process, then submits it with cluster/slurm/submit.sh as a job
# array of 3 shards and a dependent merge job, waits for them (at most
# WAIT seconds, default 120), and compares every file of the merged folder
# byte for byte (cmp) with the one-process run. Then it submits one shard
# again with ARRAY=1, which must do nothing, and runs a small fit as one
# job array per generation (cluster/slurm/fit-submit.sh), compared byte for
# byte with the same fit in one process. On exit it stops the daemons its
# up.sh started. As root, on Debian or Ubuntu; the work goes to out/cluster-test/.
set -euo pipefail
cd "$(dirname "$0")/../.."

WAIT=${WAIT:-120}
SHARDS=3
ROOT=${TRIAD_SLURM_ROOT:-/var/lib/triad-slurm}
scenario=cmd/triad/testdata/shard-sweep.yaml
work=out/cluster-test
here=cluster/slurm-local

log() { printf 'test-cluster: %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_all=$(now)

jobs=""
cleanup() {
  local rc=$?
  if [ -n "$jobs" ] && [ "$rc" != 0 ]; then scancel $jobs 2>/dev/null || true; fi
  if [ -s "$ROOT/run/started" ]; then
    # shellcheck disable=SC2046 # one daemon name a line
    "$here/down.sh" $(cat "$ROOT/run/started") || rc=1
  fi
  if [ "$rc" = 0 ]; then log "PASS in $(since "$t_all") s"; else log "FAIL"; fi
  exit "$rc"
}
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work/bin"
log "building triad"
${GO:-go} build -o "$work/bin/triad" ./cmd/triad
TRIAD=$PWD/$work/bin/triad
export TRIAD

up=$("$here/up.sh" | tail -n 1)
log "$up"
# shellcheck source=/dev/null
. "$ROOT/env"

t_single=$(now)
"$TRIAD" run "$scenario" --quiet --out "$work/single" >/dev/null
single_s=$(since "$t_single")

# Two CPUs a shard where the node has them: each shard must run with as
# many workers. Little memory, so that the shards fit the node.
cpus=$(sed -n 's/.* cpus=\([0-9]*\).*/\1/p' <<<"$up")
per_task=1
[ "${cpus:-1}" -lt 2 ] || per_task=2
export SBATCH_ARGS="--cpus-per-task=$per_task --mem-per-cpu=256M"

t_jobs=$(now)
submitted=$(cluster/slurm/submit.sh "$SHARDS" "$scenario" "$work/sharded")
log "$submitted"
shard_job=$(sed -n 's/.* job array \([0-9]*\) .*/\1/p' <<<"$submitted")
merge_job=$(sed -n 's/.* merge as job \([0-9]*\) .*/\1/p' <<<"$submitted")
[ -n "$shard_job" ] && [ -n "$merge_job" ] || { log "cannot read the job ids"; exit 1; }
jobs="$shard_job $merge_job"

queued() { [ -n "$(squeue -h -j "$shard_job,$merge_job" -o %i 2>/dev/null)" ]; }
deadline=$(awk -v a="$(now)" -v w="$WAIT" 'BEGIN { printf "%d", a + w }')
while queued; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    squeue -j "$shard_job,$merge_job" >&2 || true
    log "the jobs are not done after $WAIT s"
    exit 1
  fi
  sleep 0.5
done
jobs_s=$(since "$t_jobs")

shard_states=$(scontrol -o show job "$shard_job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' || true)
merge_state=$(scontrol -o show job "$merge_job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' || true)
done_jobs=$(grep -c 'JobState=COMPLETED' <<<"$shard_states" || true)
if [ "$done_jobs" != "$SHARDS" ] || [ "$merge_state" != JobState=COMPLETED ]; then
  log "jobs did not all complete: shards:" $shard_states "merge: $merge_state"
  tail -n 20 "$work"/sharded/logs/*.out >&2 || true
  exit 1
fi
log "$SHARDS shards and the merge COMPLETED in $jobs_s s"
for i in $(seq 0 $((SHARDS - 1))); do
  grep -q "shard $i of $SHARDS (SLURM_ARRAY_TASK_ID=$i)" "$work"/sharded/logs/triad-shard-"$shard_job"_"$i".out ||
    { log "the log of array task $i does not show the shard it ran"; exit 1; }
  m=$(printf '%s/sharded/shard-%04d-of-%04d/manifest.json' "$work" "$i" "$SHARDS")
  grep -q "\"workers\": $per_task," "$m" ||
    { log "shard $i did not run with --cpus-per-task=$per_task workers: $(grep '"workers"' "$m")"; exit 1; }
done
if ls slurm-"$shard_job"_*.out slurm-"$merge_job".out >/dev/null 2>&1; then
  log "the jobs left slurm-*.out logs in the submit folder instead of $work/sharded/logs/"
  exit 1
fi
log "each shard ran with $per_task workers; the logs are in $work/sharded/logs/"

# Every file of the one-process run, byte for byte (the manifest records
# times and so differs), and no other files.
t_cmp=$(now)
single_files=$(cd "$work/single" && find . -type f ! -name manifest.json | sort)
merged_files=$(cd "$work/sharded" && find . \( -path './shard-*' -o -path ./logs \) -prune -o -type f ! -name manifest.json -print | sort)
if [ "$single_files" != "$merged_files" ]; then
  log "the merged folder does not hold the files of the one-process run:"
  diff <(echo "$single_files") <(echo "$merged_files") >&2 || true
  exit 1
fi
n=0
for f in $single_files; do
  cmp "$work/single/$f" "$work/sharded/$f" || { log "$f differs"; exit 1; }
  n=$((n + 1))
done
for f in timeseries.csv summary.csv summary.json points.csv; do
  [ -s "$work/sharded/$f" ] || { log "the merged folder lacks $f"; exit 1; }
done
pngs=$(find "$work/sharded/plots" -name '*.png' | wc -l)
svgs=$(find "$work/sharded/plots" -name '*.svg' | wc -l)
[ "$pngs" -gt 0 ] && [ "$svgs" -gt 0 ] || { log "the merged folder has no plots"; exit 1; }
log "$n files identical to the one-process run ($pngs PNG and $svgs SVG plots) in $(since "$t_cmp") s"
"$TRIAD" status "$work/sharded" >&2

# Submitting a finished shard again (ARRAY=1) does nothing, and the merge
# after it succeeds again.
again=$(ARRAY=1 cluster/slurm/submit.sh "$SHARDS" "$scenario" "$work/sharded")
again_job=$(sed -n 's/.* job array \([0-9]*\) .*/\1/p' <<<"$again")
again_merge=$(sed -n 's/.* merge as job \([0-9]*\) .*/\1/p' <<<"$again")
[ -n "$again_job" ] && [ -n "$again_merge" ] || { log "cannot read the job ids of: $again"; exit 1; }
jobs="$again_job $again_merge"
deadline=$(($(date +%s) + 30))
while [ -n "$(squeue -h -j "$again_job,$again_merge" -o %i 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { log "the resubmitted shard and merge are not done after 30 s"; exit 1; }
  sleep 0.5
done
again_log=$work/sharded/logs/triad-shard-${again_job}_1.out
grep -q "nothing to do" "$again_log" ||
  { log "the resubmitted shard did not skip its work:"; cat "$again_log" >&2; exit 1; }
scontrol -o show job "$again_merge" 2>/dev/null | grep -q 'JobState=COMPLETED' ||
  { log "the merge after the resubmitted shard did not complete:"; cat "$work/sharded/logs/triad-merge-$again_merge.out" >&2; exit 1; }
log "resubmitting a finished shard did nothing"

# A small fit as one job array of $SHARDS tasks per generation, each
# array after the one before (cluster/slurm/fit-submit.sh), compared byte
# for byte with the same fit in one process (fit.json but for the command
# line it records; the sharded fit keeps its proposals/).
fit_flags=(three-hubs --targets docs/fit/three-hubs-targets.yaml --particles 8 --replications 1 --seed 3)
"$TRIAD" fit "${fit_flags[@]}" --generations 2 --quiet --out "$work/fit-single"
t_fit=$(now)
fit_submitted=$(cluster/slurm/fit-submit.sh "$SHARDS" 2 "$work/fit-sharded" "${fit_flags[@]}")
log "$fit_submitted"
fit_jobs=$(sed -n 's/.* job arrays \([0-9 ]*\), each .*/\1/p' <<<"$fit_submitted")
[ -n "$fit_jobs" ] || { log "cannot read the fit's job ids"; exit 1; }
jobs=$fit_jobs
deadline=$(($(date +%s) + WAIT))
while [ -n "$(squeue -h -j "${fit_jobs// /,}" -o %i 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { log "the fit's jobs are not done after $WAIT s"; exit 1; }
  sleep 0.5
done
fit_s=$(since "$t_fit")
for j in $fit_jobs; do
  if scontrol -o show job "$j" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | grep -vq COMPLETED; then
    log "the fit's array $j did not complete"; tail -n 20 "$work"/fit-sharded/logs/*.out >&2 || true; exit 1
  fi
done
single_fit=$(cd "$work/fit-single" && find . -type f | sort)
sharded_fit=$(cd "$work/fit-sharded" && find . \( -path ./logs -o -path ./proposals \) -prune -o -type f -print | sort)
[ "$single_fit" = "$sharded_fit" ] || { log "the sharded fit's files differ:"; diff <(echo "$single_fit") <(echo "$sharded_fit") >&2 || true; exit 1; }
for f in $single_fit; do
  if [ "$f" = ./fit.json ]; then
    cmp <(sed '/"command": \[/,/\]/d' "$work/fit-single/$f") <(sed '/"command": \[/,/\]/d' "$work/fit-sharded/$f") || { log "$f differs"; exit 1; }
  else
    cmp "$work/fit-single/$f" "$work/fit-sharded/$f" || { log "the sharded fit's $f differs"; exit 1; }
  fi
done
log "a fit as 2 generations of $SHARDS tasks COMPLETED in $fit_s s, its files identical to the one-process fit's"

echo "TEST_CLUSTER_OK shards=$SHARDS single_s=$single_s jobs_s=$jobs_s files=$n fit_s=$fit_s $up"
