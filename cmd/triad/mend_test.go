package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
)

// guardedScenario is the scenario of the tests of damaged files, and
// guardedRunFile a run file of its folder (task 1, which shard 1 of 2
// holds).
var (
	guardedScenario = filepath.Join("testdata", "golden", "small.yaml")
	guardedRunFile  = filepath.Join(runs.RunsDir, "p000000-r000001.run")
)

// flipLastBit flips the last bit of the file at path, in a new file.
func flipLastBit(t *testing.T, path string) {
	t.Helper()
	b := readBytes(t, path)
	b[len(b)-1] ^= 1
	writeBytes(t, path, b)
}

// TestAdviceMendsAFinishedFolder follows what triad says about a damaged
// file of a finished folder, and checks that it leads somewhere: a
// damaged run file is named with "remove it and run it again with 'triad
// run --resume'", and after that the folder is whole again, its files the
// same bytes as before; a removed output is written again the same way.
func TestAdviceMendsAFinishedFolder(t *testing.T) {
	dir := t.TempDir()
	out, whole := filepath.Join(dir, "out"), filepath.Join(dir, "whole")
	mustCLI(t, 0, "run", guardedScenario, "--quiet", "--out", out)
	mustCLI(t, 0, "run", guardedScenario, "--quiet", "--out", whole)
	damaged := filepath.Join(out, guardedRunFile)
	flipLastBit(t, damaged)

	for _, args := range [][]string{{"check", out, "--baseline", "x.json"}, {"status", out}, {"report", out}, {"run", "--resume", out}} {
		if args[0] == "check" {
			b := filepath.Join(dir, "base.json")
			mustCLI(t, 0, "baseline", whole, "--to", b)
			args[3] = b
		}
		_, stderr := mustCLI(t, exitUsage, args...)
		if !strings.Contains(stderr, damaged) || !strings.Contains(stderr, "remove it and run it again with 'triad run --resume "+out+"'") {
			t.Errorf("triad %s: stderr does not name the file and say to remove it and resume:\n%s", args[0], stderr)
		}
	}
	if err := os.Remove(damaged); err != nil {
		t.Fatal(err)
	}
	stdout, _ := mustCLI(t, exitFailure, "status", out)
	if !strings.Contains(stdout, "1 of 3 run files are missing") || !strings.Contains(stdout, "triad run --resume "+out) {
		t.Errorf("status of the folder without the file:\n%s", stdout)
	}
	_, stderr := mustCLI(t, 0, "run", "--resume", out, "--quiet")
	if !strings.Contains(stderr, "lacks 1 run file(s): making them again") {
		t.Errorf("resume does not say what it makes again:\n%s", stderr)
	}
	sameFiles(t, whole, out)
	mustCLI(t, 0, "status", out)

	summary := filepath.Join(out, runs.SummaryName)
	flipLastBit(t, summary)
	_, stderr = mustCLI(t, exitUsage, "report", out)
	if !strings.Contains(stderr, summary+" does not match its SHA-256") || !strings.Contains(stderr, "remove it and run 'triad run --resume "+out+"'") {
		t.Errorf("report of a changed summary.json:\n%s", stderr)
	}
	if err := os.Remove(summary); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, 0, "run", "--resume", out, "--quiet")
	mustCLI(t, 0, "report", out)
	sameFiles(t, whole, out)
}

// TestAdviceMendsAShard does the same for a sharded run: merge names a
// damaged run file of a shard and says to remove it and run the shard
// again with the command that started it, which then makes that run
// alone, and the merge goes through.
func TestAdviceMendsAShard(t *testing.T) {
	out := t.TempDir()
	runShards(t, guardedScenario, out, 2)
	damaged := filepath.Join(out, "shard-0001-of-0002", guardedRunFile)
	flipLastBit(t, damaged)
	for _, cmd := range []string{"merge", "status"} {
		_, stderr := mustCLI(t, exitUsage, cmd, out)
		if !strings.Contains(stderr, damaged) || !strings.Contains(stderr, "remove it and run shard 1 again with the command that started it") {
			t.Errorf("%s: stderr does not name the file and say what to do:\n%s", cmd, stderr)
		}
	}
	if err := os.Remove(damaged); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, exitFailure, "merge", out)
	_, stderr := mustCLI(t, 0, "run", guardedScenario, "--quiet", "--shard", "1/2", "--out", out)
	if !strings.Contains(stderr, "lacks 1 run file(s): making them again") {
		t.Errorf("the shard does not say what it makes again:\n%s", stderr)
	}
	mustCLI(t, 0, "merge", out)
	mustCLI(t, 0, "status", out)
}

// TestBaselineRefusesWhatCheckWouldRefuse asks for baselines of folders
// that make none a check could use: a stopped run, the folder of one
// shard and a run of one replicate (no spread) are refused with exit code
// 2, and nothing is written.
func TestBaselineRefusesWhatCheckWouldRefuse(t *testing.T) {
	dir := t.TempDir()
	one, sharded := filepath.Join(dir, "one"), filepath.Join(dir, "sharded")
	mustCLI(t, 0, "run", guardedScenario, "--quiet", "--out", one, "--replications", "1")
	mustCLI(t, 0, "run", guardedScenario, "--quiet", "--out", sharded, "--shard", "0/1")
	stopped := filepath.Join(dir, "stopped")
	mustCLI(t, 0, "run", guardedScenario, "--quiet", "--out", stopped)
	m, err := runs.ReadManifest(stopped)
	if err != nil {
		t.Fatal(err)
	}
	m.Complete = false
	if err := runs.SaveManifest(stopped, m); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{one, "a baseline needs two runs or more of each point"},
		{filepath.Join(sharded, "shard-0000-of-0001"), "is shard 0 of 1 of a sharded run, not a finished run: merge the shards with 'triad merge " + sharded + "'"},
		{stopped, "is not complete: finish it with 'triad run --resume " + stopped + "'"},
	} {
		to := filepath.Join(dir, "b.json")
		_, stderr := mustCLI(t, exitUsage, "baseline", c.dir, "--to", to)
		if !strings.Contains(stderr, c.want) {
			t.Errorf("baseline %s: stderr lacks %q:\n%s", c.dir, c.want, stderr)
		}
		if runs.IsFile(to) {
			t.Errorf("baseline %s wrote %s", c.dir, to)
		}
	}
}

// TestInterruptedMergeSaysSo merges with a context that is already done,
// as after Ctrl-C: exit code 130, one message that says the folder is not
// merged and how to merge it, and no merged manifest.
func TestInterruptedMergeSaysSo(t *testing.T) {
	out := t.TempDir()
	runShards(t, guardedScenario, out, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"merge", out}, &stdout, &stderr); code != exitInterrupt {
		t.Fatalf("exit %d, want %d\n%s", code, exitInterrupt, stderr.String())
	}
	if !strings.Contains(stderr.String(), "is not merged") || !strings.Contains(stderr.String(), "triad merge "+out) {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	if runs.IsFile(filepath.Join(out, runs.ManifestName)) {
		t.Error("an interrupted merge wrote the merged manifest")
	}
}

// readBytes reads the file at path.
func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeBytes replaces the file at path (a new file: a hard link to it is
// left as it was) with b.
func writeBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	os.Remove(path)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(fmt.Errorf("write %s: %w", path, err))
	}
}
