package runs

import (
	"errors"
	"testing"
)

// environ returns a getenv that knows the variables kv (name, value, ...).
func environ(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

func TestParseShard(t *testing.T) {
	const (
		ok     = iota
		syntax // the spec is wrong: bad usage
		engine // the spec is right, the batch engine's index is not: bad input
	)
	tests := []struct {
		name   string
		spec   string
		getenv func(string) string
		want   Shard
		from   string
		bad    int
		msg    string
	}{
		{"an explicit shard", "3/8", environ(), Shard{Index: 3, Count: 8}, "", ok, ""},
		{"the only shard", "0/1", environ(), Shard{Index: 0, Count: 1}, "", ok, ""},
		{"an explicit shard ignores the engine", "1/4", environ("SLURM_ARRAY_TASK_ID", "3"), Shard{Index: 1, Count: 4}, "", ok, ""},
		{"auto from a Slurm job array", "auto/8", environ("SLURM_ARRAY_TASK_ID", "7"), Shard{Index: 7, Count: 8}, "SLURM_ARRAY_TASK_ID", ok, ""},
		{"auto from a Kubernetes Indexed Job", "auto/8", environ("JOB_COMPLETION_INDEX", "0"), Shard{Index: 0, Count: 8}, "JOB_COMPLETION_INDEX", ok, ""},
		{"auto from an AWS Batch array job", "auto/8", environ("AWS_BATCH_JOB_ARRAY_INDEX", "5"), Shard{Index: 5, Count: 8}, "AWS_BATCH_JOB_ARRAY_INDEX", ok, ""},
		{"auto from Google Cloud Batch", "auto/8", environ("BATCH_TASK_INDEX", "2"), Shard{Index: 2, Count: 8}, "BATCH_TASK_INDEX", ok, ""},
		{"auto takes Slurm's before the others", "auto/8", environ("BATCH_TASK_INDEX", "2", "SLURM_ARRAY_TASK_ID", "6"), Shard{Index: 6, Count: 8}, "SLURM_ARRAY_TASK_ID", ok, ""},
		{"auto skips an empty variable", "auto/8", environ("SLURM_ARRAY_TASK_ID", "", "JOB_COMPLETION_INDEX", "4"), Shard{Index: 4, Count: 8}, "JOB_COMPLETION_INDEX", ok, ""},
		{"auto trims the index", "auto/8", environ("JOB_COMPLETION_INDEX", " 3\n"), Shard{Index: 3, Count: 8}, "JOB_COMPLETION_INDEX", ok, ""},
		{"the most shards there may be", "0/1000000", environ(), Shard{Index: 0, Count: MaxShards}, "", ok, ""},
		{"auto with no engine variable set", "auto/8", environ(), Shard{}, "", engine,
			"no batch engine gave a shard index: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, BATCH_TASK_INDEX is set"},
		{"auto with a Slurm array that starts at 1", "auto/8", environ("SLURM_ARRAY_TASK_ID", "8"), Shard{}, "", engine,
			"SLURM_ARRAY_TASK_ID=8 is not a shard from 0 to 7: submit the array with --array=0-7"},
		{"auto with an index that is not a number", "auto/8", environ("JOB_COMPLETION_INDEX", "x"), Shard{}, "", engine, "JOB_COMPLETION_INDEX=x is not a shard from 0 to 7"},
		{"auto with a negative index", "auto/8", environ("AWS_BATCH_JOB_ARRAY_INDEX", "-1"), Shard{}, "", engine, "AWS_BATCH_JOB_ARRAY_INDEX=-1 is not a shard from 0 to 7"},
		{"a shard equal to the count", "8/8", environ(), Shard{}, "", syntax, `the shard must be auto or a whole number from 0 to 7, got "8"`},
		{"no count", "3", environ(), Shard{}, "", syntax, "want I/N (0 <= I < N) or auto/N"},
		{"a zero count", "0/0", environ(), Shard{}, "", syntax, `the number of shards must be a whole number from 1 to 1000000, got "0"`},
		{"more shards than there may be", "0/1000001", environ(), Shard{}, "", syntax, `the number of shards must be a whole number from 1 to 1000000, got "1000001"`},
		{"a count read from the engine", "auto/auto", environ("SLURM_ARRAY_TASK_ID", "1"), Shard{}, "", syntax, `the number of shards must be a whole number from 1 to 1000000, got "auto"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, from, err := ParseShard(tt.spec, tt.getenv)
			if tt.bad != ok {
				se, isSpec := errors.AsType[*ShardSpecError](err)
				if !isSpec {
					t.Fatalf("ParseShard(%q) = %+v, %v; want a *ShardSpecError", tt.spec, got, err)
				}
				if se.Syntax != (tt.bad == syntax) {
					t.Errorf("ParseShard(%q): %v has Syntax %v, want %v", tt.spec, err, se.Syntax, tt.bad == syntax)
				}
				if err.Error() != tt.msg {
					t.Errorf("ParseShard(%q): got %q, want %q", tt.spec, err, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseShard(%q): %v", tt.spec, err)
			}
			if got != tt.want || from != tt.from {
				t.Errorf("ParseShard(%q) = %+v from %q, want %+v from %q", tt.spec, got, from, tt.want, tt.from)
			}
		})
	}
}
