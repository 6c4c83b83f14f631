package runs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// ShardFolder is the folder of one shard as found on disk.
type ShardFolder struct {
	Name  string
	Dir   string
	Shard Shard
	// Man is the shard's manifest, nil while it has not written one.
	Man *Manifest
	// Runs are the run files present; Last is when the newest was written.
	Runs map[sim.Task]bool
	Last time.Time
	// Running is true while a process holds the shard's lock, Holder the
	// text of its lock file.
	Running bool
	Holder  string
}

// Complete reports whether f exists and its manifest marks it complete.
func (f *ShardFolder) Complete() bool { return f != nil && f.Man != nil && f.Man.Complete }

// ShardSet is every shard folder of an output folder, as Folder.Status
// and Folder.Merge read them, having made sure they split the work the
// same way (one N) and ran one scenario with one version of triad.
type ShardSet struct {
	Dir   string
	Count int
	// Folders holds the shards by index, nil where a shard has no folder.
	Folders []*ShardFolder
	// Ref is the first shard with a manifest, nil if none has one yet; its
	// scenario is every shard's.
	Ref *ShardFolder
}

// readShards reads the shard folders in dir, without changing anything:
// shards may still be running. probe is who looks at each shard's lock, for
// a moment. A folder without shard folders gives an error wrapping
// ErrNoShards; shards that would mix two runs one wrapping ErrMixedShards.
func readShards(dir string, probe Holder) (*ShardSet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, mark(err, ErrInaccessible)
	}
	byCount := map[int]int{}
	var found []*ShardFolder
	for _, de := range entries {
		sh, ok := ParseShardDirName(de.Name())
		if !ok || !de.IsDir() {
			continue
		}
		byCount[sh.Count]++
		found = append(found, &ShardFolder{Name: de.Name(), Dir: filepath.Join(dir, de.Name()), Shard: sh})
	}
	if len(found) == 0 {
		return nil, &Advice{Err: fmt.Errorf("%s holds %w (shard-IIII-of-NNNN)", dir, ErrNoShards), Dir: dir, Fix: FixStartShards}
	}
	if len(byCount) > 1 {
		var parts []string
		for _, n := range slices.Sorted(maps.Keys(byCount)) {
			parts = append(parts, fmt.Sprintf("%d of a split into %d", byCount[n], n))
		}
		return nil, mark(fmt.Errorf("%s mixes shard folders of different splits (%s): keep the folders of one split and remove the others", dir, strings.Join(parts, ", ")), ErrMixedShards)
	}
	set := &ShardSet{Dir: dir, Count: found[0].Shard.Count}
	set.Folders = make([]*ShardFolder, set.Count)
	var refHash string
	for _, f := range found {
		set.Folders[f.Shard.Index] = f
		f.Running, f.Holder = lockHeld(f.Dir, probe)
		if f.Runs, f.Last, err = listRuns(f.Dir); err != nil {
			return nil, mark(err, ErrInaccessible)
		}
		m, err := ReadManifest(f.Dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m.Shard == nil || *m.Shard != f.Shard {
			return nil, mark(fmt.Errorf("%s: the manifest is not that of shard %d of %d", f.Dir, f.Shard.Index, f.Shard.Count), ErrMixedShards)
		}
		f.Man = &m
		h := ScenarioHash(m.Scenario)
		if set.Ref == nil {
			set.Ref, refHash = f, h
			continue
		}
		r := set.Ref
		if m.Version != r.Man.Version {
			return nil, mark(fmt.Errorf("%s was made by triad %s and %s by triad %s, whose numbers may differ: run every shard with one version", r.Name, r.Man.Version, f.Name, m.Version), ErrMixedShards)
		}
		if h != refHash {
			return nil, mark(fmt.Errorf("%s and %s ran different scenarios (%s, scenario hash %.12s, in %s; %s, scenario hash %.12s, in %s): every shard must run the same scenario with the same flags",
				r.Name, f.Name, r.Man.Scenario.Name, refHash, filepath.Join(r.Dir, ManifestName), m.Scenario.Name, h, filepath.Join(f.Dir, ManifestName)), ErrMixedShards)
		}
	}
	return set, nil
}

// listRuns lists the run files in dir/runs and when the newest was written.
// Unlike Store.Done it is meant for folders that another process may be
// writing: it looks at the names only.
func listRuns(dir string) (map[sim.Task]bool, time.Time, error) {
	var last time.Time
	entries, err := os.ReadDir(filepath.Join(dir, RunsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return map[sim.Task]bool{}, last, nil
	}
	if err != nil {
		return nil, last, err
	}
	runs := map[sim.Task]bool{}
	for _, e := range entries {
		t, ok := ParseRunFileName(e.Name())
		if !ok {
			continue
		}
		runs[t] = true
		if info, err := e.Info(); err == nil && info.ModTime().After(last) {
			last = info.ModTime()
		}
	}
	return runs, last, nil
}

// Tasks returns the tasks of shard i, or nil while no shard has said which
// scenario they run.
func (s *ShardSet) Tasks(i int) []sim.Task {
	if s.Ref == nil {
		return nil
	}
	return ShardTasks(s.Ref.Man.Scenario.Tasks(), &Shard{Index: i, Count: s.Count})
}

// owners checks that every run of the scenario is present exactly once,
// in the shard it belongs to, and returns the shard of each run.
func (s *ShardSet) owners() (map[sim.Task]*ShardFolder, error) {
	all := s.Ref.Man.Scenario.Tasks()
	owner := make(map[sim.Task]*ShardFolder, len(all))
	for k, t := range all {
		owner[t] = s.Folders[k%s.Count]
	}
	for _, f := range s.Folders {
		var lacking []string
		for _, t := range s.Tasks(f.Shard.Index) {
			if !f.Runs[t] {
				lacking = append(lacking, RunFileName(t))
			}
		}
		if len(lacking) > 0 {
			return nil, mark(fmt.Errorf("%s is marked complete but lacks %d run file(s) (%s): run shard %d again with the command that started it (it runs what the shard lacks)",
				f.Dir, len(lacking), lacking[0], f.Shard.Index), ErrShardsNotDone)
		}
		for _, t := range slices.SortedFunc(maps.Keys(f.Runs), compareTasks) {
			if o, ok := owner[t]; !ok || o != f {
				return nil, &Advice{Err: mark(fmt.Errorf("%s holds %s, which is not a run of shard %d of %d (was the folder changed by hand?)",
					f.Dir, RunFileName(t), f.Shard.Index, f.Shard.Count), ErrMixedShards), Dir: f.Dir, Fix: FixRestartShard}
			}
		}
	}
	return owner, nil
}

func compareTasks(a, b sim.Task) int {
	if a.Point != b.Point {
		return a.Point - b.Point
	}
	return a.Replicate - b.Replicate
}

// copyRun reads the run of t from the store of a complete shard, checked
// against the SHA-256 its manifest lists and as Store.Load does, and
// copies the file into to, so that the merged folder holds its runs like
// the folder of a run on one machine.
func copyRun(from Store, t sim.Task, to Store) (*sim.RunResult, error) {
	run, b, err := from.read(t)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, mark(fmt.Errorf("%s is missing: %s", from.Path(t), strings.TrimPrefix(from.fix, "remove it and ")), ErrShardsNotDone)
	case err != nil:
		return nil, err
	}
	if err := WriteFileAtomic(to.Path(t), func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return nil, err
	}
	return run, nil
}

// Invocation is the triad that writes a folder: its version (for the
// report), its command line and the host it runs on, as the manifest
// records them. The command passes them in.
type Invocation struct {
	Version string
	// Platform is the running triad's GOOS/GOARCH.
	Platform string
	Command  []string
	Host     string
}

// merge is Folder.Merge of the shards s, all complete.
func merge(ctx context.Context, s *ShardSet, inv Invocation, t Timing, p Progress) (*Assembled, Manifest, error) {
	owner, err := s.owners()
	if err != nil {
		return nil, Manifest{}, err
	}
	dir := s.Dir
	ref := s.Ref.Man
	cfg := ref.Scenario
	to := NewStore(dir, &cfg)
	if err := os.MkdirAll(filepath.Join(dir, RunsDir), 0o755); err != nil {
		return nil, Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
	}
	from := make([]Store, s.Count)
	for i, f := range s.Folders {
		from[i] = storeOf(f.Dir, *f.Man)
	}
	a, err := Assemble(ctx, dir, &cfg, inv.Version, !ref.NoPlots, func(t sim.Task) (*sim.RunResult, error) {
		run, err := copyRun(from[owner[t].Shard.Index], t, to)
		if err == nil && p.Saved != nil {
			p.Saved(run)
		}
		return run, err
	})
	if err != nil {
		return nil, Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
	}
	man := Manifest{
		Program: Program{Version: ref.Version, GoVersion: ref.GoVersion, Commit: ref.Commit, BuildDate: ref.BuildDate,
			Platform: inv.Platform, Command: inv.Command, Host: inv.Host},
		Scenario:           cfg,
		ScenarioFileSHA256: ref.ScenarioFileSHA256,
		ConfigSHA256:       output.ConfigHash(cfg),
		NoPlots:            ref.NoPlots,
		Seed:               cfg.Seed,
		Replicates:         cfg.Replicates,
		Start:              ref.Start,
		Complete:           true,
		Files:              a.Files,
		Shards:             s.Count,
	}
	for _, f := range s.Folders {
		man.Workers = max(man.Workers, f.Man.Workers)
		man.WallSeconds += f.Man.WallSeconds
		if f.Man.Start.Before(man.Start) {
			man.Start = f.Man.Start
		}
	}
	man.WallSeconds = math.Round((man.WallSeconds+t.took())*1000) / 1000
	if err := SaveManifest(dir, man); err != nil {
		return nil, Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
	}
	return a, man, nil
}
