#!/usr/bin/env bash
# submit.sh - run a triad scenario on a Slurm cluster: a job array of N
# shards and a merge job that starts when every shard has succeeded.
#
#   cluster/slurm/submit.sh N SCENARIO OUT [triad run flags...]
#
# for example, from the project folder after `make build`:
#
#   cluster/slurm/submit.sh 8 three-hubs out/three-hubs --replications 400
#
# The job logs go to OUT/logs/. sbatch options for both jobs (account,
# partition, cores, ...) can be given in SBATCH_ARGS (memory as
# --mem-per-cpu, as both scripts ask for it: sbatch refuses --mem beside it):
#
#   SBATCH_ARGS='--account=abc123 --partition=short' cluster/slurm/submit.sh ...
#
# To run some shards again (those `triad status OUT` names), with the same
# N, scenario, OUT and flags, and merge once they succeeded:
#
#   ARRAY=2,7 cluster/slurm/submit.sh 8 three-hubs out/three-hubs --replications 400
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
n=$1 scenario=$2 out=$3
shift 3
case $n in
  '' | *[!0-9]* | 0*) echo "submit.sh: N must be a whole number of at least 1, got '$n'" >&2; exit 2 ;;
esac
array=${ARRAY:-0-$((n - 1))}
case $array in
  '' | *[!0-9,-]*) echo "submit.sh: ARRAY must list shards as sbatch --array does (2,7 or 0-3), got '$array'" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
read -ra extra <<< "${SBATCH_ARGS:-}"
mkdir -p "$out/logs"
shards=$(sbatch --parsable "${extra[@]}" --array="$array" --output="$out/logs/%x-%A_%a.out" \
  "$here/shard.sbatch" "$n" "$scenario" "$out" "$@")
shards=${shards%%;*}
merge=$(sbatch --parsable "${extra[@]}" --dependency="afterok:$shards" --output="$out/logs/%x-%j.out" \
  "$here/merge.sbatch" "$out")
merge=${merge%%;*}
echo "submitted shards $array of $n as job array $shards and the merge as job $merge (after every shard succeeded)"
echo "follow them with: squeue -j $shards,$merge   or: triad status $out"
