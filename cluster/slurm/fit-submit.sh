#!/usr/bin/env bash
# fit-submit.sh - run a triad fit on a Slurm cluster: one job array of N
# tasks per generation, each array starting when the one before succeeded.
#
#   cluster/slurm/fit-submit.sh N GENERATIONS OUT SCENARIO [triad fit flags...]
#
# for example, from the project folder after `make build`:
#
#   cluster/slurm/fit-submit.sh 8 6 out/three-hubs-fit three-hubs \
#       --targets docs/fit/three-hubs-targets.yaml --particles 200 --replications 10
#
# (the script gives triad fit --generations GENERATIONS; do not give it
# again). The job logs go to OUT/logs/. sbatch options for every array
# (account, partition, cores, ...) go in SBATCH_ARGS, memory as
# --mem-per-cpu:
#
#   SBATCH_ARGS='--account=abc123 --partition=short' cluster/slurm/fit-submit.sh ...
#
# If a generation's array fails, the later ones are cancelled
# (--kill-on-invalid-dep). To go on, submit as many arrays as generations
# are left (more do no harm: a task finds the fit finished and does
# nothing), without the scenario:
#
#   cluster/slurm/fit-submit.sh 8 3 out/three-hubs-fit
set -euo pipefail
if [ $# -lt 3 ] || { [ $# -gt 3 ] && [ "${4#-}" != "$4" ]; }; then
  sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
n=$1 generations=$2 out=$3
shift 3
for v in "$n" "$generations"; do
  case $v in
    '' | *[!0-9]* | 0*) echo "fit-submit.sh: N and GENERATIONS must be whole numbers of at least 1, got '$v'" >&2; exit 2 ;;
  esac
done
for a in "$@"; do
  case $a in
    --generations | --generations=* | --shard | --shard=* | --out | --out=* | -o | --resume | --resume=*)
      echo "fit-submit.sh: give $a through the script's arguments, not as a triad fit flag" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
read -ra extra <<< "${SBATCH_ARGS:-}"
mkdir -p "$out/logs"
ids=() dep=()
for g in $(seq 1 "$generations"); do
  args=("$n" "$out")
  if [ "$g" = 1 ] && [ $# -gt 0 ]; then
    args+=("$@" --generations "$generations")
  fi
  id=$(sbatch --parsable "${extra[@]}" "${dep[@]}" --array="0-$((n - 1))" --output="$out/logs/%x-%A_%a.out" \
    "$here/fit.sbatch" "${args[@]}")
  id=${id%%;*}
  ids+=("$id")
  dep=(--dependency="afterok:$id" --kill-on-invalid-dep=yes)
done
echo "submitted $generations generation(s) of $n task(s) as job arrays ${ids[*]}, each after the one before succeeded"
echo "follow them with: squeue -j $(IFS=,; echo "${ids[*]}")   the fit is done when $out/fit.json exists"
