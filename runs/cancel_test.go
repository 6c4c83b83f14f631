package runs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triad-sim/triad/sim"
)

// TestAssembleStopsBetweenRuns cancels the context of an assembly while
// it reads the runs: it stops with the context's error after at most the
// few runs it reads ahead, writes neither tables nor report, and returns
// at once.
func TestAssembleStopsBetweenRuns(t *testing.T) {
	cfg := toy(t)
	dir := t.TempDir()
	man := startFolder(t, dir, cfg, nil)
	if err := runMissing(context.Background(), dir, man, 1, Progress{}); err != nil {
		t.Fatal(err)
	}
	st := NewStore(dir, &cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var loads atomic.Int32
	load := func(task sim.Task) (*sim.RunResult, error) {
		if loads.Add(1) == 2 {
			cancel()
		}
		return st.Load(task)
	}
	start := time.Now()
	_, err := Assemble(ctx, dir, &cfg, "test", false, load)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %v after the cancel, want well under a second", took)
	}
	// Two runs, then up to the four read ahead, one in hand.
	if n := loads.Load(); n > 7 {
		t.Errorf("read %d runs after the cancel at the second, want at most 7", n)
	}
	for _, name := range []string{"summary.csv", ReportName} {
		if IsFile(filepath.Join(dir, name)) {
			t.Errorf("a cancelled assembly wrote %s", name)
		}
	}
}

// TestMergeStopsWhenCancelled cancels a merge after its first run, as
// Ctrl-C does: it stops with the context's error, before the rest of the
// runs, and writes neither the merged manifest nor the tables; merged
// again, it makes the folder of one run.
func TestMergeStopsWhenCancelled(t *testing.T) {
	cfg := toy(t)
	cfg.Replicates = 8 // 16 runs, more than the assembly reads ahead
	out := filepath.Join(t.TempDir(), "sharded")
	finishedShards(t, out, cfg, 2)
	f, err := Hold(out, Owner{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	merged := 0
	_, err = f.Merge(ctx, Invocation{Version: "test"}, fixed, Progress{Saved: func(*sim.RunResult) {
		if merged++; merged == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Merge: got %v, want context.Canceled", err)
	}
	// The first run, then at most the four read ahead and one in hand.
	if merged > 6 {
		t.Errorf("merged %d of %d runs after the cancel at the first, want at most 6", merged, len(cfg.Tasks()))
	}
	for _, name := range []string{ManifestName, "summary.csv", ReportName} {
		if IsFile(filepath.Join(out, name)) {
			t.Errorf("a cancelled merge wrote %s", name)
		}
	}
	if _, err := f.Merge(context.Background(), Invocation{Version: "test"}, fixed, Progress{}); err != nil || !f.Man.Complete {
		t.Errorf("merged again: %v, complete %v; want the merged folder", err, f.Man.Complete)
	}
}

// TestCancelledContextStopsMergeReportAndReads gives Merge, rebuildReport,
// LoadRunSet and checkRuns a context that is already cancelled: each
// returns its error at once and leaves the folder as it was.
func TestCancelledContextStopsMergeReportAndReads(t *testing.T) {
	cfg := toy(t)
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	out := filepath.Join(root, "sharded")
	finishedShards(t, out, cfg, 2)
	f, err := Hold(out, Owner{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Merge(ctx, Invocation{Version: "test"}, fixed, Progress{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Merge: got %v, want context.Canceled", err)
	}
	if IsFile(filepath.Join(out, ManifestName)) || IsFile(filepath.Join(out, "summary.csv")) {
		t.Error("a cancelled merge wrote the merged manifest or tables")
	}

	whole := filepath.Join(root, "whole")
	man := startFolder(t, whole, cfg, nil)
	if _, _, err := runAndFinish(context.Background(), whole, man, 1, Progress{}, fixed); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(whole, ReportName)
	before, err := os.Stat(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := rebuildReport(ctx, whole, "test"); !errors.Is(err, context.Canceled) {
		t.Errorf("rebuildReport: got %v, want context.Canceled", err)
	}
	if after, err := os.Stat(report); err != nil || !os.SameFile(before, after) {
		t.Error("a cancelled rebuildReport replaced report.html")
	}
	if _, err := LoadRunSet(ctx, whole); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadRunSet: got %v, want context.Canceled", err)
	}
	m, err := ReadManifest(whole)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkRuns(ctx, whole, m); !errors.Is(err, context.Canceled) {
		t.Errorf("checkRuns: got %v, want context.Canceled", err)
	}
}
