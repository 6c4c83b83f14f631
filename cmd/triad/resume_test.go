package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triad-sim/triad/runs"
)

// slowArgs make a sweep of 24 runs that take long enough to be stopped
// midway (a few hundredths of a second each on one worker).
var slowArgs = []string{"run", "testdata/golden/small.yaml", "--quiet", "--workers", "1",
	"--set", "cities.far.firms=12000", "--steps", "40", "--sweep", "diffusion.q=0.2,0.3,0.4,0.5", "--replications", "6"}

// startChild starts the test binary as triad with args.
func startChild(t *testing.T, args []string, stderr *strings.Builder) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TRIAD_TEST_ARGS="+strings.Join(args, "\n"))
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// waitForRuns waits until dir/runs holds at least n run files.
func waitForRuns(t *testing.T, dir string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, runs.RunsDir, "*.run"))
		if len(files) >= n {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%s never held %d runs", dir, n)
}

// hiddenFiles lists temporary files (names starting with a dot) in dir.
func hiddenFiles(dir string) []string {
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// stopSweep runs the slow sweep once uninterrupted into whole, then again
// in a child process into stopped, sending it sig once it has saved n runs.
// It returns both folders, the child's stderr and its exit error.
func stopSweep(t *testing.T, sig os.Signal, n int) (whole, stopped, stderr string, exitErr error) {
	t.Helper()
	dir := t.TempDir()
	whole, stopped = filepath.Join(dir, "whole"), filepath.Join(dir, "stopped")
	runTriad(t, append(clone(slowArgs), "--out", whole)...)
	var errs strings.Builder
	child := startChild(t, append(clone(slowArgs), "--out", stopped), &errs)
	waitForRuns(t, stopped, n)
	if err := child.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	exitErr = child.Wait()
	if man, err := runs.ReadManifest(stopped); err == nil && man.Complete {
		// On a fast or idle machine the sweep can finish between the
		// last saved run and the signal: there was nothing to stop.
		t.Skip("the sweep finished before the signal reached it; nothing to test on this machine")
	}
	return whole, stopped, errs.String(), exitErr
}

// TestKilledSweepResumesToTheSameBytes kills a sweep with SIGKILL midway,
// finishes it with --resume and compares every file with an uninterrupted
// run of the same sweep.
func TestKilledSweepResumesToTheSameBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep three times; make test runs it without -race")
	}
	whole, killed, _, _ := stopSweep(t, os.Kill, 3)
	if _, err := runs.ReadManifest(killed); err != nil {
		t.Fatal(err)
	}
	out := runTriad(t, "run", "--resume", killed)
	if !strings.Contains(out, "written to") {
		t.Errorf("resume printed %q", out)
	}
	sameFiles(t, whole, killed)
}

// TestInterruptKeepsFinishedRuns stops a sweep with SIGINT: the exit code
// is 130, the message says how to resume, no temporary file is left, the
// manifest says the run is incomplete, and resuming gives the same bytes as
// an uninterrupted run.
func TestInterruptKeepsFinishedRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep three times; make test runs it without -race")
	}
	whole, stopped, stderr, err := stopSweep(t, syscall.SIGINT, 2)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupt {
		t.Fatalf("got %v, want exit code %d\n%s", err, exitInterrupt, stderr)
	}
	if !strings.Contains(stderr, "triad run --resume "+stopped) {
		t.Errorf("the message does not say how to resume:\n%s", stderr)
	}
	if strings.Contains(stderr, "context canceled") || strings.Count(stderr, "triad:") != 1 {
		t.Errorf("want one message without \"context canceled\", got:\n%s", stderr)
	}
	if h := hiddenFiles(stopped); len(h) > 0 {
		t.Errorf("temporary files left behind: %v", h)
	}
	if man, err := runs.ReadManifest(stopped); err != nil || man.Complete {
		t.Errorf("manifest after the interrupt: complete %v, error %v; want incomplete", man.Complete, err)
	}
	if _, err := os.Stat(filepath.Join(stopped, "timeseries.csv")); err == nil {
		t.Error("an interrupted sweep wrote timeseries.csv; only runs should be kept")
	}
	runTriad(t, "run", "--resume", stopped, "--quiet")
	sameFiles(t, whole, stopped)
}

func clone(s []string) []string { return append([]string(nil), s...) }
