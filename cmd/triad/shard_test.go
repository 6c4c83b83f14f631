package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
)

// shardScenario is the small sweep (2 points × 4 replications) that the
// sharding tests and `make test-cluster` run.
const shardScenario = "testdata/shard-sweep.yaml"

// triadCLI runs the command in-process and returns its exit code and output.
func triadCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// mustCLI runs the command and fails the test unless it exits with want.
func mustCLI(t *testing.T, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := triadCLI(t, args...)
	if code != want {
		t.Fatalf("triad %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// runShards runs every shard of n into out, one after the other.
func runShards(t *testing.T, scenario, out string, n int, extra ...string) {
	t.Helper()
	for i := range n {
		args := append([]string{"run", scenario, "--quiet", "--shard", shardSpec(i, n), "--out", out}, extra...)
		mustCLI(t, 0, args...)
	}
}

func shardSpec(i, n int) string { return fmt.Sprintf("%d/%d", i, n) }

// TestParseShard checks how the command words runs.ParseShard's errors
// (its cases are in package runs): a spec of bad syntax is bad usage of
// run, a right spec whose index the batch engine got wrong bad input, both
// naming the flag and the spec as given.
func TestParseShard(t *testing.T) {
	none := func(string) string { return "" }
	slurm := slurmAt(8)
	tests := []struct {
		name   string
		spec   string
		getenv func(string) string
		usage  bool
		msg    string
	}{
		{"no count", "3", none, true, "--shard 3: want I/N (0 <= I < N) or auto/N"},
		{"a shard equal to the count", "8/8", none, true, `--shard 8/8: the shard must be auto or a whole number from 0 to 7, got "8"`},
		{"a count read from the engine", "auto/auto", slurm, true, `--shard auto/auto: the number of shards must be a whole number from 1 to 1000000, got "auto"`},
		{"auto with no engine variable set", "auto/8", none, false, "--shard auto/8: no batch engine gave a shard index: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, BATCH_TASK_INDEX is set"},
		{"auto with a Slurm array that starts at 1", "auto/8", slurm, false, "--shard auto/8: SLURM_ARRAY_TASK_ID=8 is not a shard from 0 to 7: submit the array with --array=0-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := parseShard("run", tt.spec, tt.getenv)
			ue, isUsage := errors.AsType[*usageError](err)
			_, isInput := errors.AsType[*inputError](err)
			switch {
			case err == nil:
				t.Fatalf("parseShard(%q) = %+v; want an error", tt.spec, got)
			case tt.usage && (!isUsage || ue.cmd != "run"):
				t.Errorf("parseShard(%q): %v is not a usage error of run", tt.spec, err)
			case !tt.usage && !isInput:
				t.Errorf("parseShard(%q): %v is not an input error: the flag was right", tt.spec, err)
			}
			if err.Error() != tt.msg {
				t.Errorf("parseShard(%q): got %q, want %q", tt.spec, err, tt.msg)
			}
		})
	}
	if sh, from, err := parseShard("run", "auto/8", slurmAt(3)); err != nil || sh != (runs.Shard{Index: 3, Count: 8}) || from != "SLURM_ARRAY_TASK_ID" {
		t.Errorf("parseShard(auto/8) with Slurm's index 3 = %+v from %q, %v; want shard 3 of 8 from SLURM_ARRAY_TASK_ID", sh, from, err)
	}
}

// slurmAt is a getenv with Slurm's array index i and nothing else.
func slurmAt(i int) func(string) string {
	return func(k string) string {
		if k == "SLURM_ARRAY_TASK_ID" {
			return fmt.Sprint(i)
		}
		return ""
	}
}

// TestShardAutoReadsTheEngine runs a shard whose index comes from the
// environment, as under Kubernetes.
func TestShardAutoReadsTheEngine(t *testing.T) {
	for _, v := range runs.ShardEnv {
		t.Setenv(v, "")
	}
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	out := t.TempDir()
	_, stderr := mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "auto/3", "--out", out)
	if !strings.Contains(stderr, "JOB_COMPLETION_INDEX=2") {
		t.Errorf("stderr does not say where the index came from:\n%s", stderr)
	}
	m, err := runs.ReadManifest(filepath.Join(out, "shard-0002-of-0003"))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Complete || m.Shard == nil || *m.Shard != (runs.Shard{Index: 2, Count: 3}) {
		t.Errorf("manifest: complete %v, shard %+v, want a complete shard 2 of 3", m.Complete, m.Shard)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "3")
	_, stderr = mustCLI(t, exitUsage, "run", shardScenario, "--quiet", "--shard", "auto/3", "--out", out)
	if !strings.Contains(stderr, "JOB_COMPLETION_INDEX=3 is not a shard from 0 to 2") {
		t.Errorf("stderr lacks the out-of-range index:\n%s", stderr)
	}
}

// runFiles returns the file info of every run file of a shard folder.
func runFiles(t *testing.T, dir string) map[string]os.FileInfo {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, runs.RunsDir))
	if err != nil {
		t.Fatal(err)
	}
	infos := map[string]os.FileInfo{}
	for _, e := range entries {
		info, err := os.Stat(filepath.Join(dir, runs.RunsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		infos[e.Name()] = info
	}
	return infos
}

func TestRerunFinishedShardDoesNothing(t *testing.T) {
	out := t.TempDir()
	mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "1/3", "--out", out)
	dir := filepath.Join(out, "shard-0001-of-0003")
	before, _ := os.ReadFile(filepath.Join(dir, runs.ManifestName))
	files := runFiles(t, dir)
	stdout, _ := mustCLI(t, 0, "run", shardScenario, "--shard", "1/3", "--out", out)
	if !strings.Contains(stdout, "already complete") || !strings.Contains(stdout, "nothing to do") {
		t.Errorf("stdout does not say the shard is done:\n%s", stdout)
	}
	after, _ := os.ReadFile(filepath.Join(dir, runs.ManifestName))
	if !bytes.Equal(before, after) {
		t.Errorf("the manifest changed:\n%s\nwant:\n%s", after, before)
	}
	for name, info := range runFiles(t, dir) {
		if !os.SameFile(info, files[name]) {
			t.Errorf("%s was written again", name)
		}
	}
	// Another scenario in the same place is refused, not mistaken for done.
	_, stderr := mustCLI(t, exitUsage, "run", shardScenario, "--quiet", "--shard", "1/3", "--out", out, "--seed", "99")
	if !strings.Contains(stderr, "another scenario") || !strings.Contains(stderr, "--force") {
		t.Errorf("stderr lacks the reason and the way out:\n%s", stderr)
	}
	mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "1/3", "--out", out, "--seed", "99", "--force")
}

// stopShard makes a complete shard look as if it had been killed after
// all but its first run: manifest not complete, that run file gone.
func stopShard(t *testing.T, dir string) string {
	t.Helper()
	m, err := runs.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Complete, m.Files = false, nil
	if err := runs.SaveManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	first := runs.RunFileName(runs.ShardTasks(m.Scenario.Tasks(), m.Shard)[0])
	if err := os.Remove(filepath.Join(dir, runs.RunsDir, first)); err != nil {
		t.Fatal(err)
	}
	return first
}

func TestRerunStoppedShardResumes(t *testing.T) {
	out := t.TempDir()
	mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "2/3", "--out", out)
	dir := filepath.Join(out, "shard-0002-of-0003")
	gone := stopShard(t, dir)
	kept := runFiles(t, dir)
	_, stderr := mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "2/3", "--out", out)
	if !strings.Contains(stderr, "resuming") {
		t.Errorf("stderr does not say the shard resumes:\n%s", stderr)
	}
	now := runFiles(t, dir)
	if now[gone] == nil {
		t.Errorf("%s was not run again", gone)
	}
	for name, info := range kept {
		if !os.SameFile(info, now[name]) {
			t.Errorf("%s was run again, but it had finished", name)
		}
	}
	if m, err := runs.ReadManifest(dir); err != nil || !m.Complete || len(m.Files) != len(now) {
		t.Errorf("manifest after resuming: complete %v, %d files, err %v; want complete with %d run files", m.Complete, len(m.Files), err, len(now))
	}
	// --resume on the shard folder works too.
	stopShard(t, dir)
	mustCLI(t, 0, "run", "--quiet", "--resume", dir)
	if m, err := runs.ReadManifest(dir); err != nil || !m.Complete {
		t.Errorf("after --resume the shard is not complete (err %v)", err)
	}
}
