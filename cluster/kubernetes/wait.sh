#!/usr/bin/env bash
# wait.sh - wait for a Kubernetes Job to finish, whichever way it ends.
#
#   cluster/kubernetes/wait.sh JOB [TIMEOUT]
#
# Exits 0 as soon as the Job is Complete, and 1 as soon as it has Failed
# (printing the reason, such as a shard that exited 2 on bad input), or
# after TIMEOUT seconds (default 86400). `kubectl wait
# --for=condition=complete` cannot do this: it waits for its whole timeout
# when the Job fails, and kubectl's JSONPath has no "or" to wait for either
# condition. kubectl options (--namespace, --context) go in KUBECTL_ARGS;
# POLL sets the seconds between looks (default 10).
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
job=${1#job/} timeout=${2:-86400} poll=${POLL:-10}
read -ra kargs <<<"${KUBECTL_ARGS:-}"
deadline=$((SECONDS + timeout))
while :; do
  # The types of the Job's conditions that are True, e.g. "SuccessCriteriaMet Complete".
  if ! state=$(kubectl "${kargs[@]}" get "job/$job" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}'); then
    echo "wait.sh: cannot read job/$job" >&2
    exit 1
  fi
  case " $state " in
    *" Complete "*)
      echo "job/$job completed"
      exit 0
      ;;
    *" Failed "*)
      why=$(kubectl "${kargs[@]}" get "job/$job" -o jsonpath='{.status.conditions[?(@.type=="Failed")].reason}: {.status.conditions[?(@.type=="Failed")].message}' || true)
      echo "job/$job failed: $why" >&2
      exit 1
      ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "wait.sh: job/$job has neither completed nor failed after $timeout s" >&2
    exit 1
  fi
  sleep "$poll"
done
