package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/internal/slurm"
	"github.com/triad-sim/triad/runs"
)

// TestSecondProcessOnAFolderExitsNamingTheHolder holds the lock of an
// output folder as a running `triad run` does, and tries every command
// that writes to it (or records it): each exits 2 naming the holder and
// leaves the folder alone. Once the lock is released, they work again.
func TestSecondProcessOnAFolderExitsNamingTheHolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	mustCLI(t, 0, "run", "testdata/golden/small.yaml", "--quiet", "--out", out)
	before := runFiles(t, out)
	lk, err := runs.LockFolder(out, holderFor("run small.yaml --out "+out))
	if err != nil {
		t.Fatal(err)
	}
	holder := fmt.Sprintf("pid %d", os.Getpid())
	for _, args := range [][]string{
		{"run", "testdata/golden/small.yaml", "--quiet", "--out", out, "--force"},
		{"run", "--resume", out},
		{"report", out},
		{"baseline", out, "--to", filepath.Join(t.TempDir(), "b.json")},
		{"merge", out},
	} {
		_, stderr := mustCLI(t, exitUsage, args...)
		for _, want := range []string{out + " is in use", "triad run small.yaml", holder} {
			if !strings.Contains(stderr, want) {
				t.Errorf("triad %s: stderr lacks %q:\n%s", strings.Join(args, " "), want, stderr)
			}
		}
	}
	if after := runFiles(t, out); len(after) != len(before) {
		t.Errorf("the locked folder changed: %d run files, had %d", len(after), len(before))
	}
	if err := runs.Owned(out, ""); err != nil {
		t.Errorf("a folder holding the lock file is not ours: %v", err)
	}
	lk.Unlock()
	if _, err := os.Stat(filepath.Join(out, runs.LockName)); !os.IsNotExist(err) {
		t.Errorf("the lock file stays after unlock: %v", err)
	}
	mustCLI(t, 0, "run", "testdata/golden/small.yaml", "--quiet", "--out", out, "--force")
	if _, err := os.Stat(filepath.Join(out, runs.LockName)); !os.IsNotExist(err) {
		t.Errorf("the lock file stays after the run: %v", err)
	}
}

// TestStatusTellsRunningAndQueuedShards: a shard whose lock is held is
// running, one that Slurm holds pending is queued, and status never
// advises running either.
func TestStatusTellsRunningAndQueuedShards(t *testing.T) {
	out := t.TempDir()
	runShards(t, shardScenario, out, 4)
	for _, i := range []int{1, 2} {
		stopShard(t, filepath.Join(out, runs.ShardDirName(i, 4)))
	}
	if err := os.RemoveAll(filepath.Join(out, runs.ShardDirName(3, 4))); err != nil {
		t.Fatal(err)
	}
	lk, err := runs.LockFolder(filepath.Join(out, runs.ShardDirName(1, 4)), holderFor("run shard 1"))
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	old := slurm.Squeue
	defer func() { slurm.Squeue = old }()
	slurm.Squeue = func() ([]byte, bool) { return []byte("3 PENDING\n7 PENDING\n"), true }
	stdout, _ := mustCLI(t, exitFailure, "status", out)
	for _, want := range []string{fmt.Sprintf("1      running (pid %d on host", os.Getpid()), "2      stopped", "3      queued in Slurm", "run shards 2 (again)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, stdout)
		}
	}
	_, stderr := mustCLI(t, exitFailure, "merge", out)
	if !strings.Contains(stderr, "shard 1: running (pid") || !strings.Contains(stderr, "ARRAY=2-3 ") {
		t.Errorf("merge should name shard 1 running and advise only 2-3:\n%s", stderr)
	}
	slurm.Squeue = func() ([]byte, bool) { return nil, true }
	stdout, _ = mustCLI(t, exitFailure, "status", out)
	if !strings.Contains(stdout, "3      missing") || !strings.Contains(stdout, "run shards 2-3 (again)") {
		t.Errorf("status with an empty queue:\n%s", stdout)
	}
}

// TestTwoRunsOnOneFolder starts a run in a child process and, while it
// runs, a second run and a resume on the same folder: both exit 2 naming
// the child, and the child's folder is left alone.
func TestTwoRunsOnOneFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process running a sweep")
	}
	out := filepath.Join(t.TempDir(), "out")
	var childErr strings.Builder
	child := startChild(t, append(slices.Clone(slowArgs), "--out", out), &childErr)
	defer func() {
		child.Process.Kill()
		child.Wait()
	}()
	waitForRuns(t, out, 1)
	holder := fmt.Sprintf("pid %d", child.Process.Pid)
	for _, args := range [][]string{
		append(slices.Clone(slowArgs), "--out", out, "--force"),
		{"run", "--resume", out},
	} {
		_, stderr := mustCLI(t, exitUsage, args...)
		if !strings.Contains(stderr, out+" is in use") || !strings.Contains(stderr, holder) {
			t.Errorf("triad %s: stderr does not name the running child (%s):\n%s", strings.Join(args, " "), holder, stderr)
		}
	}
}

// TestResumeRefusesDamagedAndForeignRunFiles damages one run file of a
// stopped run in each way below and resumes: triad exits 2 naming the
// file and saying what to do, never accepts it or panics.
func TestResumeRefusesDamagedAndForeignRunFiles(t *testing.T) {
	tmp := t.TempDir()
	good := filepath.Join(tmp, "good")
	mustCLI(t, 0, "run", "testdata/golden/small.yaml", "--quiet", "--out", good)
	other := filepath.Join(tmp, "other")
	mustCLI(t, 0, "run", "testdata/golden/small.yaml", "--quiet", "--out", other, "--seed", "77")
	const victim = "p000000-r000001.run"
	flip := func(at func(n int) int) func(b []byte) []byte {
		return func(b []byte) []byte { b[at(len(b))] ^= 0x10; return b }
	}
	fromFile := func(path string) func([]byte) []byte {
		return func([]byte) []byte {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	tests := []struct {
		name   string
		damage func([]byte) []byte
		want   string
	}{
		{"a bit flipped in the magic", flip(func(int) int { return 2 }), "not a run file"},
		{"a bit flipped in the header", flip(func(int) int { return 40 }), "checksum"},
		{"a bit flipped in the middle", flip(func(n int) int { return n / 2 }), "checksum"},
		{"a bit flipped near the end", flip(func(n int) int { return n - 40 }), "checksum"},
		{"a bit flipped in the checksum", flip(func(n int) int { return n - 1 }), "checksum"},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, "checksum"},
		{"empty", func([]byte) []byte { return nil }, "not a run file"},
		{"a file of another scenario", fromFile(filepath.Join(other, runs.RunsDir, victim)), "another scenario"},
		{"a file of another run", fromFile(filepath.Join(good, runs.RunsDir, "p000000-r000002.run")), "holds run 0/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
				t.Fatal(err)
			}
			editManifest(t, dir, func(m *runs.Manifest) { m.Complete, m.Files = false, nil })
			p := filepath.Join(dir, runs.RunsDir, victim)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tt.damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr := mustCLI(t, exitUsage, "run", "--resume", dir)
			for _, want := range []string{p, tt.want, "remove it"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("a panic reached the user:\n%s", stderr)
			}
		})
	}
}

// TestResumeRemovesStaleTemporaryFiles: a killed run leaves temporary
// files; the resume, which holds the lock, removes them.
func TestResumeRemovesStaleTemporaryFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	mustCLI(t, 0, "run", "testdata/golden/small.yaml", "--quiet", "--out", out)
	editManifest(t, out, func(m *runs.Manifest) { m.Complete, m.Files = false, nil })
	stale := []string{
		filepath.Join(out, ".summary.csv.tmp-123"),
		filepath.Join(out, ".runs.csv.tmp-456"),
		filepath.Join(out, runs.RunsDir, ".p000000-r000000.run.tmp-789"),
		filepath.Join(out, "plots", ".adoption.png.tmp-1"),
	}
	for _, p := range stale {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := runs.Owned(out, ""); err != nil {
		t.Errorf("a folder with temporary files is not ours: %v", err)
	}
	mustCLI(t, 0, "run", "--resume", out)
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived the resume", p)
		}
	}
}
