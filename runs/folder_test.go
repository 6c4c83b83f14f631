package runs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triad-sim/triad/sim"
)

// toy is a small valid scenario of two regions with labs, a sweep of two
// points and three replications: six runs.
func toy(t *testing.T) sim.Config {
	t.Helper()
	cfg := sim.NewConfig()
	cfg.Name, cfg.Seed, cfg.Steps, cfg.Replicates = "toy", 11, 12, 3
	region := func(id string, labs int) sim.Region {
		r := sim.NewRegion()
		r.ID, r.P, r.Reach, r.Pull = id, 0.002, 0.1, 1
		c := sim.NewCity()
		c.ID, c.Labs, c.Firms, c.Research, c.Transform = id+"-city", labs, 60, 0.05, 0.3
		c.Capability = sim.Capability{Mean: 0.6, Spread: 0.2}
		r.Cities = []sim.City{c}
		return r
	}
	cfg.Regions = []sim.Region{region("a", 4), region("b", 1)}
	cfg.Sweep = &sim.Sweep{Design: sim.DesignGrid, Params: []sim.SweepParam{{Path: "diffusion.q", Values: []float64{0.3, 0.5}}}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// fixed is a clock that always says the same, so that manifests compare.
var fixed = Timing{Start: time.Unix(1e9, 0), Now: func() time.Time { return time.Unix(1e9+3, 0) }}

// startFolder prepares dir for a run of cfg (of shard sh, unless nil) and
// writes its first manifest, as the command does.
// finishedShards runs cfg as count shards into out, each to its end.
func finishedShards(t *testing.T, out string, cfg sim.Config, count int) {
	t.Helper()
	for i := range count {
		man := Manifest{Program: Program{Version: "test"}, Scenario: cfg, Seed: cfg.Seed, Replicates: cfg.Replicates, NoPlots: true, Shard: &Shard{Index: i, Count: count}}
		f, err := CreateShard(out, man, false, Owner{Holder: Holder{Command: "test"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Run(context.Background(), RunOptions{Workers: 1, Timing: fixed})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func startFolder(t *testing.T, dir string, cfg sim.Config, sh *Shard) Manifest {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Prepare(dir, "", true); err != nil {
		t.Fatal(err)
	}
	man := Manifest{Program: Program{Version: "test"}, Scenario: cfg, Seed: cfg.Seed, Replicates: cfg.Replicates, NoPlots: true, Shard: sh}
	if err := SaveManifest(dir, man); err != nil {
		t.Fatal(err)
	}
	return man
}

// folderFiles returns the bytes of every file of a finished folder that
// Assemble wrote (the manifest and run files aside).
func folderFiles(t *testing.T, dir string, files map[string]string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for rel := range files {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = b
	}
	return out
}

func sameFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d files, want %d", what, len(got), len(want))
	}
	for rel, w := range want {
		if !bytes.Equal(got[rel], w) {
			t.Errorf("%s: %s differs from the run in one go", what, rel)
		}
	}
}

// TestResumeAndShardsGiveTheFilesOfOneRun runs a scenario three ways
// without the command line: in one go, stopped after half its runs and
// resumed, and as three shards merged; every file assembled is the same.
func TestResumeAndShardsGiveTheFilesOfOneRun(t *testing.T) {
	ctx := context.Background()
	cfg := toy(t)
	root := t.TempDir()

	whole := filepath.Join(root, "whole")
	man := startFolder(t, whole, cfg, nil)
	if err := runMissing(ctx, whole, man, 2, Progress{}); err != nil {
		t.Fatal(err)
	}
	// All saved, the runs are read back from their files.
	a, done, err := runAndFinish(ctx, whole, man, 2, Progress{}, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if !done.Complete || done.WallSeconds != 3 || len(done.Files) == 0 {
		t.Errorf("got manifest complete %v, wall %v s, %d files; want complete, 3 s, the files", done.Complete, done.WallSeconds, len(done.Files))
	}
	if len(a.Points) != 2 || a.Single != nil {
		t.Errorf("got %d points (single %v), want the sweep's 2", len(a.Points), a.Single != nil)
	}
	want := folderFiles(t, whole, a.Files)

	t.Run("a stopped run resumes where it stopped", func(t *testing.T) {
		dir := filepath.Join(root, "resumed")
		startFolder(t, dir, cfg, nil)
		st := NewStore(dir, &cfg)
		half := cfg.Tasks()[:3]
		if _, err := sim.RunTasks(ctx, cfg, half, sim.Options{Stream: true, Done: func(r *sim.RunResult) {
			if err := st.Save(r); err != nil {
				t.Error(err)
			}
		}}); err != nil {
			t.Fatal(err)
		}
		// A temporary file of a write that was cut short is cleared.
		if err := os.WriteFile(filepath.Join(dir, RunsDir, ".p000000-r000000.run.tmp-1"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		var total, saved, later int
		f, err := Open(dir, Owner{Holder: Holder{Command: "test"}})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if lack, err := f.Resume(ctx, "test"); err != nil || !lack.Stopped || lack.Runs != 3 {
			t.Errorf("Resume: got %+v, %v; want a stopped run lacking 3 runs", lack, err)
		}
		a, err := f.Run(ctx, RunOptions{Workers: 1, Timing: fixed, Progress: Progress{
			Begin: func(n, s int) { total, saved = n, s },
			Saved: func(*sim.RunResult) { later++ },
		}})
		if err != nil {
			t.Fatal(err)
		}
		if total != 6 || saved != 3 || later != 3 {
			t.Errorf("got %d runs, %d saved before, %d run now; want 6, 3, 3", total, saved, later)
		}
		if !f.Man.Complete || f.Man.Workers != 1 {
			t.Errorf("the folder's manifest: complete %v, workers %d; want complete, 1", f.Man.Complete, f.Man.Workers)
		}
		if lack, err := f.Resume(ctx, "other"); err != nil || !lack.Nothing() {
			t.Errorf("Resume of the finished folder: got %+v, %v; want nothing lacking", lack, err)
		}
		sameFiles(t, "resumed", folderFiles(t, dir, a.Files), want)
		if entries, _ := os.ReadDir(filepath.Join(dir, RunsDir)); len(entries) != 6 {
			t.Errorf("runs/ holds %d entries, want the 6 run files", len(entries))
		}
	})

	t.Run("assembled while the runs go on, the same files", func(t *testing.T) {
		for _, workers := range []int{1, 2} {
			dir := filepath.Join(root, fmt.Sprintf("along-%d", workers))
			man := startFolder(t, dir, cfg, nil)
			saved := 0
			a, done, err := runAndFinish(ctx, dir, man, workers, Progress{Saved: func(*sim.RunResult) { saved++ }}, fixed)
			if err != nil {
				t.Fatal(err)
			}
			if saved != 6 || !done.Complete || done.WallSeconds != 3 {
				t.Errorf("%d workers: %d runs saved, manifest complete %v, wall %v s; want 6, complete, 3 s", workers, saved, done.Complete, done.WallSeconds)
			}
			sameFiles(t, fmt.Sprintf("assembled along, %d workers", workers), folderFiles(t, dir, a.Files), want)
			if got, err := ReadManifest(dir); err != nil || !got.Complete {
				t.Errorf("%d workers: the manifest on disk is not complete (%v)", workers, err)
			}
		}
	})

	t.Run("runs that stop publish no tables", func(t *testing.T) {
		dir := filepath.Join(root, "stopped")
		man := startFolder(t, dir, cfg, nil)
		stop, cancel := context.WithCancel(ctx)
		saved := 0
		_, _, err := runAndFinish(stop, dir, man, 1, Progress{Saved: func(*sim.RunResult) {
			if saved++; saved == 2 {
				cancel()
			}
		}}, fixed)
		cancel()
		se, ok := errors.AsType[*StoppedError](err)
		if !ok || se.Saved < 2 || se.Saved >= 6 {
			t.Fatalf("got %v, want the runs stopped with 2 to 5 of 6 saved", err)
		}
		for _, name := range []string{"timeseries.csv", "runs.csv", "innovations.csv", "summary.csv"} {
			if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was published by runs that stopped (%v)", name, err)
			}
		}
		if got, err := ReadManifest(dir); err != nil || got.Complete {
			t.Errorf("the manifest says complete after the runs stopped (%v)", err)
		}
		// Resumed, the folder ends as the run in one go.
		a, _, err := runAndFinish(ctx, dir, man, 2, Progress{}, fixed)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, "stopped and resumed", folderFiles(t, dir, a.Files), want)
	})

	t.Run("three shards merge into the same files", func(t *testing.T) {
		out := filepath.Join(root, "sharded")
		finishedShards(t, out, cfg, 3)
		f, err := Hold(out, Owner{Holder: Holder{Command: "merge"}})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		st, err := f.Status(ctx)
		if err != nil || st.Finished() != 3 || st.Merged {
			t.Fatalf("Status: got %v finished (merged %v), %v; want 3 of 3, not merged", st.Finished(), st.Merged, err)
		}
		merged := 0
		a, err := f.Merge(ctx, Invocation{Version: "test", Command: []string{"triad", "merge"}}, fixed, Progress{Saved: func(*sim.RunResult) { merged++ }})
		if err != nil {
			t.Fatal(err)
		}
		man := f.Man
		if merged != 6 {
			t.Errorf("Merge told of %d runs, want 6", merged)
		}
		if st, err := f.Status(ctx); err != nil || !st.Merged || st.Runs.Lacking != 0 {
			t.Errorf("Status after the merge: got %+v, %v; want merged", st, err)
		}
		if !man.Complete || man.Shards != 3 || man.WallSeconds != 12 {
			t.Errorf("got merged manifest complete %v, %d shards, wall %v s; want complete, 3, 3×3 s + 3 s", man.Complete, man.Shards, man.WallSeconds)
		}
		sameFiles(t, "merged", folderFiles(t, out, a.Files), want)
	})
}

func TestShardsThatDoNotMakeOneRunAreRefused(t *testing.T) {
	ctx := context.Background()
	cfg := toy(t)
	out := t.TempDir()
	man := startFolder(t, filepath.Join(out, ShardDirName(0, 2)), cfg, &Shard{Index: 0, Count: 2})
	if err := runMissing(ctx, filepath.Join(out, ShardDirName(0, 2)), man, 1, Progress{}); err != nil {
		t.Fatal(err)
	}
	if _, err := finishShard(filepath.Join(out, ShardDirName(0, 2)), man, fixed); err != nil {
		t.Fatal(err)
	}

	t.Run("a missing shard is not done", func(t *testing.T) {
		st, err := At(out, Owner{}).Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []Condition
		for _, sh := range st.Shard {
			got = append(got, sh.Condition)
		}
		if !slices.Equal(got, []Condition{ShardFinished, ShardMissing}) {
			t.Errorf("got conditions %v, want [finished missing]", got)
		}
		f, err := Hold(out, Owner{})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		_, err = f.Merge(context.Background(), Invocation{}, fixed, Progress{})
		if ue, ok := errors.AsType[*UnfinishedError](err); !ok || !errors.Is(err, ErrShardsNotDone) || ue.Shard[1].Condition != ShardMissing {
			t.Errorf("Merge: got %v, want an *UnfinishedError naming shard 1 missing", err)
		}
	})
	t.Run("a shard of another seed mixes two runs", func(t *testing.T) {
		other := cfg
		other.Seed++
		if err := checkSiblings(out, Manifest{Program: Program{Version: "test"}, Scenario: other, Shard: &Shard{Index: 1, Count: 2}}); !errors.Is(err, ErrMixedShards) {
			t.Errorf("CheckSiblings: got %v, want ErrMixedShards", err)
		}
	})
	t.Run("a shard of another split mixes two runs", func(t *testing.T) {
		if err := checkSiblings(out, Manifest{Program: Program{Version: "test"}, Scenario: cfg, Shard: &Shard{Index: 1, Count: 3}}); !errors.Is(err, ErrMixedShards) {
			t.Errorf("CheckSiblings: got %v, want ErrMixedShards", err)
		}
		if err := os.Mkdir(filepath.Join(out, ShardDirName(1, 3)), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := readShards(out, Holder{}); !errors.Is(err, ErrMixedShards) {
			t.Errorf("readShards: got %v, want ErrMixedShards", err)
		}
	})
	t.Run("a folder without shards has none", func(t *testing.T) {
		if _, err := readShards(t.TempDir(), Holder{}); !errors.Is(err, ErrNoShards) {
			t.Errorf("readShards: got %v, want ErrNoShards", err)
		}
	})
}

func TestStoreRefusesDamagedAndForeignRunFiles(t *testing.T) {
	cfg := toy(t)
	dir := t.TempDir()
	man := startFolder(t, dir, cfg, nil)
	if err := runMissing(context.Background(), dir, man, 1, Progress{}); err != nil {
		t.Fatal(err)
	}
	st := NewStore(dir, &cfg)
	t0, t1 := cfg.Tasks()[0], cfg.Tasks()[1]
	b1, err := os.ReadFile(st.Path(t1))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(st.Path(t0), b1, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(t0); !errors.Is(err, ErrRunForeign) {
		t.Errorf("a run file under another run's name: got %v, want ErrRunForeign", err)
	}
	if err := os.WriteFile(st.Path(t1), b1[:len(b1)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(t1); !errors.Is(err, ErrRunCorrupt) {
		t.Errorf("a truncated run file: got %v, want ErrRunCorrupt", err)
	}
	if _, err := LoadRunSet(context.Background(), dir); !errors.Is(err, ErrIncomplete) {
		t.Errorf("LoadRunSet of a stopped run: got %v, want ErrIncomplete", err)
	}
	if err := rebuildReport(context.Background(), dir, "test"); !errors.Is(err, ErrIncomplete) {
		t.Errorf("rebuildReport of a stopped run: got %v, want ErrIncomplete", err)
	}
	if err := rebuildReport(context.Background(), t.TempDir(), "test"); !errors.Is(err, ErrNotOurFolder) {
		t.Errorf("rebuildReport of an empty folder: got %v, want ErrNotOurFolder", err)
	}
}

func TestPrepareReplacesOnlyOurFolders(t *testing.T) {
	dir := t.TempDir()
	theirs := filepath.Join(dir, "theirs")
	writeTree(t, theirs, map[string]string{"thesis/ch1.tex": "chapter one"})
	for _, force := range []bool{false, true} {
		if err := Prepare(theirs, "", force); !errors.Is(err, ErrNotOurFolder) {
			t.Errorf("Prepare(a folder of other files, force %v): got %v, want ErrNotOurFolder", force, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(theirs, "thesis", "ch1.tex")); err != nil || string(b) != "chapter one" {
		t.Fatalf("the user's file is gone or changed: %q, %v", b, err)
	}
	ours := filepath.Join(dir, "ours")
	writeTree(t, ours, map[string]string{ManifestName: testManifest, "summary.csv": "old"})
	if err := Prepare(ours, "", false); !errors.Is(err, ErrExists) {
		t.Errorf("Prepare(our folder) without force: got %v, want ErrExists", err)
	}
	if err := Prepare(ours, "", true); err != nil {
		t.Fatalf("Prepare(our folder, force): %v", err)
	}
	if IsFile(filepath.Join(ours, "summary.csv")) || !IsFile(filepath.Join(ours, RunsDir)) {
		t.Error("Prepare with force did not leave an empty folder with runs/")
	}
}

func TestLockKeepsASecondHolderOut(t *testing.T) {
	dir := t.TempDir()
	lk, err := LockFolder(dir, Holder{Command: "run x", Host: "here", Since: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	held, text := lockHeld(dir, Holder{Command: "status"})
	if !held || ShortHolder(text) == "starting" {
		t.Errorf("lockHeld: got %v %q, want the holder", held, text)
	}
	if _, err := LockFolder(dir, Holder{Command: "run y"}); !errors.Is(err, ErrLocked) {
		t.Errorf("a second lock: got %v, want ErrLocked", err)
	}
	lk.Unlock()
	if held, _ := lockHeld(dir, Holder{Command: "status"}); held {
		t.Error("the lock is still held after Unlock")
	}
	lk2, err := LockFolder(dir, Holder{Command: "run y"})
	if err != nil {
		t.Errorf("the lock cannot be taken again after Unlock: %v", err)
	}
	lk2.Unlock()
}

func TestCreateShardSaysWhatIsThere(t *testing.T) {
	cfg := toy(t)
	out := t.TempDir()
	sh := &Shard{Index: 1, Count: 2}
	man := Manifest{Program: Program{Version: "test"}, Scenario: cfg, Seed: cfg.Seed, Replicates: cfg.Replicates, Shard: sh, NoPlots: true}
	open := func(man Manifest, force bool) (string, Manifest, ShardState, error) {
		t.Helper()
		f, err := CreateShard(out, man, force, Owner{Holder: Holder{Command: "test"}})
		if err != nil {
			return "", man, ShardNew, err
		}
		f.Close()
		return f.Dir, f.Man, f.State, nil
	}
	dir, m, st, err := open(man, false)
	if err != nil || st != ShardNew || dir != filepath.Join(out, ShardDirName(1, 2)) || !IsFile(filepath.Join(dir, ManifestName)) {
		t.Fatalf("a new shard: got %s, state %v, %v; want its folder with a manifest, ShardNew", dir, st, err)
	}
	if _, _, st, err = open(man, false); err != nil || st != ShardStopped {
		t.Errorf("a shard started and stopped: got state %v, %v; want ShardStopped", st, err)
	}
	if err := runMissing(context.Background(), dir, m, 1, Progress{}); err != nil {
		t.Fatal(err)
	}
	if _, err := finishShard(dir, m, fixed); err != nil {
		t.Fatal(err)
	}
	if _, got, st, err := open(man, false); err != nil || st != ShardDone || !got.Complete {
		t.Errorf("a finished shard: got state %v, complete %v, %v; want ShardDone with its manifest", st, got.Complete, err)
	}
	other := man
	other.Version = "other"
	if _, _, _, err := open(other, false); !errors.Is(err, ErrExists) {
		t.Errorf("the shard of another triad: got %v, want ErrExists", err)
	}
	if _, _, st, err := open(other, true); err != nil || st != ShardNew {
		t.Errorf("the shard of another triad, with force: got state %v, %v; want it started again", st, err)
	}
	theirs := filepath.Join(t.TempDir(), "theirs")
	writeTree(t, theirs, map[string]string{"notes.txt": "mine"})
	if _, err := Create(theirs, man, true, Owner{}); !errors.Is(err, ErrNotOurFolder) {
		t.Errorf("Create in a folder of other files: got %v, want ErrNotOurFolder", err)
	}
}

// TestResumeRefusesAnotherVersionOnlyWhenSomethingLacks resumes folders
// made by triad "test" as another triad: a finished folder that lacks
// nothing is left alone, one that lacks a run file or a stopped one is
// refused (its numbers may differ) and left as it was, and the same
// triad marks a finished folder that lacks a file stopped until it is
// whole again.
func TestResumeRefusesAnotherVersionOnlyWhenSomethingLacks(t *testing.T) {
	ctx := context.Background()
	cfg := toy(t)
	dir := filepath.Join(t.TempDir(), "out")
	man := startFolder(t, dir, cfg, nil)
	if _, _, err := runAndFinish(ctx, dir, man, 2, Progress{}, fixed); err != nil {
		t.Fatal(err)
	}
	resume := func(version string) (Lack, error) {
		t.Helper()
		f, err := Open(dir, Owner{Holder: Holder{Command: "test"}})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return f.Resume(ctx, version)
	}
	if lack, err := resume("other"); err != nil || !lack.Nothing() {
		t.Errorf("a finished folder, another triad: got %+v, %v; want nothing lacking", lack, err)
	}
	if err := os.Remove(NewStore(dir, &cfg).Path(cfg.Tasks()[1])); err != nil {
		t.Fatal(err)
	}
	_, err := resume("other")
	if ve, ok := errors.AsType[*VersionError](err); !ok || !ve.Finished || ve.Made != "test" || ve.This != "other" {
		t.Errorf("a finished folder that lacks a run file, another triad: got %v, want a *VersionError of a finished folder", err)
	}
	if m, err := ReadManifest(dir); err != nil || !m.Complete {
		t.Errorf("the refused resume changed the manifest: complete %v, %v", m.Complete, err)
	}
	if lack, err := resume("test"); err != nil || lack.Stopped || lack.Runs != 1 || len(lack.Outputs) != 0 {
		t.Errorf("a finished folder that lacks a run file: got %+v, %v; want 1 run lacking", lack, err)
	}
	if m, err := ReadManifest(dir); err != nil || m.Complete {
		t.Errorf("a folder that lacks a run file is still marked complete (%v)", err)
	}
	_, err = resume("other")
	if ve, ok := errors.AsType[*VersionError](err); !ok || ve.Finished {
		t.Errorf("a stopped folder, another triad: got %v, want a *VersionError of a stopped folder", err)
	}
}

// TestStatusNamesAFitFolder checks that Status, asked about the folder of
// a fit (which has no manifest), says it is a fit, finished or not, with
// what continues an unfinished one, instead of "no run has started".
func TestStatusNamesAFitFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := At(dir, Owner{}).Status(context.Background())
	if !errors.Is(err, ErrNotOurFolder) || !strings.Contains(err.Error(), "no run or shard has started") {
		t.Fatalf("an empty folder: %v", err)
	}
	write(FitStateName)
	write(FitProposalsDir + "/" + FitProposalName(0, 0))
	write(FitProposalsDir + "/" + FitProposalName(0, 1))
	_, err = At(dir, Owner{}).Status(context.Background())
	a, ok := errors.AsType[*Advice](err)
	if !errors.Is(err, ErrNotOurFolder) || !ok || a.Fix != FixResumeFit || a.Dir != dir || !strings.Contains(err.Error(), "not finished") || !strings.Contains(err.Error(), "2 simulated proposals") {
		t.Errorf("an unfinished fit: %v (advice %v)", err, a)
	}
	write(FitName)
	_, err = At(dir, Owner{}).Status(context.Background())
	if !errors.Is(err, ErrNotOurFolder) || !strings.Contains(err.Error(), "a finished fit") {
		t.Errorf("a finished fit: %v", err)
	}
}
