package runs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ShardEnv lists, in the order they are consulted, the variables through
// which batch engines tell an array task its index: Slurm job arrays,
// Kubernetes Indexed Jobs, AWS Batch array jobs and Google Cloud Batch.
// Only Slurm's depends on how the job was submitted (--array=0-(N-1)); the
// others count from 0.
var ShardEnv = []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "BATCH_TASK_INDEX"}

// MaxShards bounds the number of shards, whatever the caps: status and
// merge look for every shard's folder.
const MaxShards = 1_000_000

// ShardSpecError is a shard spec that names no shard. Syntax is set when
// the spec itself is wrong (bad usage); otherwise the spec was right and
// the batch engine gave no index, or one out of range (bad input). Err
// says why, without the spec, which the caller names as its user gave it.
type ShardSpecError struct {
	Syntax bool
	Err    error
}

func (e *ShardSpecError) Error() string { return e.Err.Error() }
func (e *ShardSpecError) Unwrap() error { return e.Err }

// ParseShard reads a shard spec, I/N (shard I of N, 0 <= I < N) or
// auto/N. For auto it takes I from the first variable of ShardEnv that
// getenv returns non-empty and returns that variable's name. Its errors
// are a *ShardSpecError.
func ParseShard(spec string, getenv func(string) string) (sh Shard, from string, err error) {
	is, ns, ok := strings.Cut(spec, "/")
	if !ok {
		return sh, "", &ShardSpecError{true, errors.New("want I/N (0 <= I < N) or auto/N")}
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 || n > MaxShards {
		return sh, "", &ShardSpecError{true, fmt.Errorf("the number of shards must be a whole number from 1 to %d, got %q", MaxShards, ns)}
	}
	sh.Count = n
	if is != "auto" {
		i, err := strconv.Atoi(is)
		if err != nil || i < 0 || i >= n {
			return sh, "", &ShardSpecError{true, fmt.Errorf("the shard must be auto or a whole number from 0 to %d, got %q", n-1, is)}
		}
		sh.Index = i
		return sh, "", nil
	}
	for _, name := range ShardEnv {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= n {
			hint := ""
			if name == "SLURM_ARRAY_TASK_ID" {
				hint = fmt.Sprintf(": submit the array with --array=0-%d", n-1)
			}
			return sh, "", &ShardSpecError{false, fmt.Errorf("%s=%s is not a shard from 0 to %d%s", name, v, n-1, hint)}
		}
		sh.Index = i
		return sh, name, nil
	}
	return sh, "", &ShardSpecError{false, fmt.Errorf("no batch engine gave a shard index: none of %s is set", strings.Join(ShardEnv, ", "))}
}
