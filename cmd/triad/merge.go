package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// errNoShards means a folder holds no shard folders.
var errNoShards = errors.New("no shard folders")

// shardFolder is the folder of one shard as found on disk.
type shardFolder struct {
	name  string
	dir   string
	shard output.Shard
	// man is the shard's manifest, nil while it has not written one.
	man *output.Manifest
	// runs are the run files present; last is when the newest was written.
	runs map[sim.Task]bool
	last time.Time
	// running is true while a process holds the shard's lock, holder the
	// text of its lock file.
	running bool
	holder  string
}

func (f *shardFolder) complete() bool { return f != nil && f.man != nil && f.man.Complete }

// shardSet is every shard folder of an output folder. readShards makes sure
// they split the work the same way (one N) and ran one scenario with one
// version of triad.
type shardSet struct {
	dir   string
	count int
	// folders holds the shards by index, nil where a shard has no folder.
	folders []*shardFolder
	// ref is the first shard with a manifest, nil if none has one yet; its
	// scenario is every shard's.
	ref *shardFolder
}

// readShards reads the shard folders in dir, without changing anything:
// shards may still be running.
func readShards(dir string) (*shardSet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &inputError{err}
	}
	byCount := map[int]int{}
	var found []*shardFolder
	for _, de := range entries {
		sh, ok := parseShardDirName(de.Name())
		if !ok || !de.IsDir() {
			continue
		}
		byCount[sh.Count]++
		found = append(found, &shardFolder{name: de.Name(), dir: filepath.Join(dir, de.Name()), shard: sh})
	}
	if len(found) == 0 {
		return nil, &inputError{fmt.Errorf("%s holds %w (shard-IIII-of-NNNN); run them with 'triad run SCENARIO --shard I/N --out %s'", dir, errNoShards, dir)}
	}
	if len(byCount) > 1 {
		var parts []string
		for _, n := range slices.Sorted(maps.Keys(byCount)) {
			parts = append(parts, fmt.Sprintf("%d of --shard I/%d", byCount[n], n))
		}
		return nil, &inputError{fmt.Errorf("%s mixes shard folders of different splits (%s): keep the folders of one split and remove the others", dir, strings.Join(parts, ", "))}
	}
	set := &shardSet{dir: dir, count: found[0].shard.Count}
	set.folders = make([]*shardFolder, set.count)
	var refHash string
	for _, f := range found {
		set.folders[f.shard.Index] = f
		f.running, f.holder = lockHeld(f.dir)
		if f.runs, f.last, err = listRuns(f.dir); err != nil {
			return nil, &inputError{err}
		}
		m, err := readManifest(f.dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, &inputError{err}
		}
		if m.Shard == nil || *m.Shard != f.shard {
			return nil, &inputError{fmt.Errorf("%s: the manifest is not that of shard %d of %d", f.dir, f.shard.Index, f.shard.Count)}
		}
		f.man = &m
		h := scenarioHash(m.Scenario)
		if set.ref == nil {
			set.ref, refHash = f, h
			continue
		}
		r := set.ref
		if m.Version != r.man.Version {
			return nil, &inputError{fmt.Errorf("%s was made by triad %s and %s by triad %s, whose numbers may differ: run every shard with one version", r.name, r.man.Version, f.name, m.Version)}
		}
		if h != refHash {
			return nil, &inputError{fmt.Errorf("%s and %s ran different scenarios (%s, scenario hash %.12s; %s, scenario hash %.12s): every shard must run the same scenario with the same flags",
				r.name, f.name, r.man.Scenario.Name, refHash, m.Scenario.Name, h)}
		}
	}
	return set, nil
}

// listRuns lists the run files in dir/runs and when the newest was written.
// Unlike store.done it removes nothing: a temporary file may be a run being
// written by a shard that is still going.
func listRuns(dir string) (map[sim.Task]bool, time.Time, error) {
	var last time.Time
	entries, err := os.ReadDir(filepath.Join(dir, runsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return map[sim.Task]bool{}, last, nil
	}
	if err != nil {
		return nil, last, err
	}
	runs := map[sim.Task]bool{}
	for _, e := range entries {
		t, ok := parseRunFileName(e.Name())
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

// tasks returns the tasks of shard i, or nil while no shard has said which
// scenario they run.
func (s *shardSet) tasks(i int) []sim.Task {
	if s.ref == nil {
		return nil
	}
	return shardTasks(s.ref.man.Scenario.Tasks(), &output.Shard{Index: i, Count: s.count})
}

// unfinished returns the indices of the shards that are missing or not
// complete.
func (s *shardSet) unfinished() []int {
	var idx []int
	for i, f := range s.folders {
		if !f.complete() {
			idx = append(idx, i)
		}
	}
	return idx
}

// describeUnfinished says which shards are not done and how to run them.
func (s *shardSet) describeUnfinished(idx []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d shards are not done:\n", len(idx), s.count)
	var rerun []int
	for _, i := range idx {
		fmt.Fprintf(&b, "  shard %d: %s\n", i, s.state(i))
		if f := s.folders[i]; f == nil || !f.running {
			rerun = append(rerun, i)
		}
	}
	if len(rerun) == 0 {
		b.WriteString("wait for them to finish, then merge")
		return b.String()
	}
	fmt.Fprintf(&b, "run the shards that are not running (again) with --shard I/%d and the same scenario, flags and --out: a finished shard is skipped\n", s.count)
	fmt.Fprintf(&b, "and a stopped one resumes; with Slurm (unless they are queued: see 'triad status %s'): ARRAY=%s cluster/slurm/submit.sh %d SCENARIO %s", s.dir, arrayRanges(rerun), s.count, s.dir)
	if s.ref != nil {
		if cmd := rerunCommand(s.ref.man.Command, rerun[0], s.count); cmd != "" {
			fmt.Fprintf(&b, "\nas the shards were started, shard %d is: %s", rerun[0], cmd)
		}
	}
	return b.String()
}

// state describes shard i in a few words.
func (s *shardSet) state(i int) string {
	f := s.folders[i]
	switch {
	case f == nil:
		return "missing"
	case f.complete():
		return "done"
	case f.running:
		return "running (" + shortHolder(f.holder) + ")"
	case f.man == nil:
		return "starting, or stopped before its first run"
	}
	return fmt.Sprintf("running or stopped, %d of %d runs saved", len(f.runs), len(s.tasks(i)))
}

// arrayRanges writes sorted indices as a Slurm --array list: 1-3,5.
func arrayRanges(idx []int) string {
	var parts []string
	for k := 0; k < len(idx); {
		j := k
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		if j == k {
			parts = append(parts, strconv.Itoa(idx[k]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", idx[k], idx[j]))
		}
		k = j + 1
	}
	return strings.Join(parts, ",")
}

// owners checks that every run of the scenario is present exactly once,
// in the shard it belongs to, and returns the shard of each run.
func (s *shardSet) owners() (map[sim.Task]*shardFolder, error) {
	all := s.ref.man.Scenario.Tasks()
	owner := make(map[sim.Task]*shardFolder, len(all))
	for k, t := range all {
		owner[t] = s.folders[k%s.count]
	}
	for _, f := range s.folders {
		var lacking []string
		for _, t := range s.tasks(f.shard.Index) {
			if !f.runs[t] {
				lacking = append(lacking, runFileName(t))
			}
		}
		if len(lacking) > 0 {
			return nil, &failedError{fmt.Errorf("%s is marked complete but lacks %d run file(s) (%s): run shard %d again with --force",
				f.dir, len(lacking), lacking[0], f.shard.Index)}
		}
		for _, t := range slices.SortedFunc(maps.Keys(f.runs), compareTasks) {
			if o, ok := owner[t]; !ok || o != f {
				return nil, &inputError{fmt.Errorf("%s holds %s, which is not a run of shard %d of %d: was the folder changed by hand? run the shard again with --force",
					f.dir, runFileName(t), f.shard.Index, f.shard.Count)}
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

// load reads one run of a complete shard, checks it against the SHA-256 its
// manifest lists and copies the file into to, so that the merged folder
// holds its runs like the folder of a run on one machine.
func (f *shardFolder) load(t sim.Task, to store) (*sim.RunResult, error) {
	rel := path.Join(runsDir, runFileName(t))
	p := filepath.Join(f.dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	if want := f.man.Files[rel]; hex.EncodeToString(sum[:]) != want {
		return nil, fmt.Errorf("%s does not match the SHA-256 in %s: run shard %d again with --force", p, filepath.Join(f.dir, manifestName), f.shard.Index)
	}
	run, err := readRunFile(p, bytes.NewReader(b), to.header(t), fmt.Sprintf("run shard %d again with --force", f.shard.Index))
	if err != nil {
		return nil, err
	}
	if err := output.WriteFileAtomic(to.path(t), func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return nil, err
	}
	return run, nil
}

func runMerge(e *env, args []string) error {
	fs := newFlags(e, "merge")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("merge", "merge takes one output folder, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	start := time.Now()
	lk, err := lockFolder(dir, lockCommand("merge", args))
	if err != nil {
		return err
	}
	defer lk.unlock()
	set, err := readShards(dir)
	if err != nil {
		return err
	}
	if idx := set.unfinished(); len(idx) > 0 {
		return &failedError{fmt.Errorf("cannot merge %s: %s", dir, set.describeUnfinished(idx))}
	}
	owner, err := set.owners()
	if err != nil {
		return err
	}
	ref := set.ref.man
	cfg := ref.Scenario
	to := newStore(dir, &cfg)
	if err := os.MkdirAll(filepath.Join(dir, runsDir), 0o755); err != nil {
		return fmt.Errorf("merge %s: %w", dir, err)
	}
	a, err := assemble(dir, &cfg, !ref.NoPlots, func(t sim.Task) (*sim.RunResult, error) { return owner[t].load(t, to) })
	if err != nil {
		return fmt.Errorf("merge %s: %w", dir, err)
	}
	host, _ := os.Hostname()
	man := output.Manifest{
		Version:            ref.Version,
		GoVersion:          ref.GoVersion,
		Commit:             ref.Commit,
		BuildDate:          ref.BuildDate,
		Command:            append([]string{"triad"}, e.args...),
		Host:               host,
		Scenario:           cfg,
		ScenarioFileSHA256: ref.ScenarioFileSHA256,
		ConfigSHA256:       output.ConfigHash(cfg),
		NoPlots:            ref.NoPlots,
		Seed:               cfg.Seed,
		Replicates:         cfg.Replicates,
		Start:              ref.Start,
		Complete:           true,
		Files:              a.files,
		Shards:             set.count,
	}
	for _, f := range set.folders {
		man.Workers = max(man.Workers, f.man.Workers)
		man.WallSeconds += f.man.WallSeconds
		if f.man.Start.Before(man.Start) {
			man.Start = f.man.Start
		}
	}
	took := time.Since(start).Round(time.Millisecond).Seconds()
	man.WallSeconds = math.Round((man.WallSeconds+took)*1000) / 1000
	if err := writeManifest(dir, man); err != nil {
		return fmt.Errorf("merge %s: %w", dir, err)
	}
	fmt.Fprintf(e.stdout, "merged %d shards in %.1fs\n", set.count, took)
	return report(e, dir, cfg.Name, &cfg, a, man.WallSeconds)
}
