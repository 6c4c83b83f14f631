package runs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// An output folder holds, while a run is under way or after it was stopped,
// a manifest.json with "complete": false and a runs/ folder with one file
// per finished run (sweep point × replicate). When every run is there, the
// tables and plots are assembled from those files and the manifest is
// marked complete; runs/ stays, since compare, baseline and check read a
// finished folder's runs from it. Resuming, merging shards and a run kept in
// memory all go through the same files and the same assembly, which is why
// their outputs are byte-identical.

// Store is the folder of run files of one scenario.
type Store struct {
	// Dir is the output folder; the run files are in Dir/runs.
	Dir string
	// cfg is the scenario and scenario its hash, which every run file
	// records and every read checks; max is the cap on its run files, and
	// fix says what to do about a damaged one of a shard's folder; ""
	// for the folder of a run, whose errors carry their Fix (see advise).
	cfg      *sim.Config
	scenario string
	max      int64
	fix      string
	// sums holds the SHA-256 of the run files that a shard's manifest
	// lists (nil for a whole run's folder, whose manifest lists none).
	sums map[string]string
}

// NewStore returns the store of the runs of cfg in dir.
func NewStore(dir string, cfg *sim.Config) Store {
	return Store{Dir: dir, cfg: cfg, scenario: ScenarioHash(*cfg), max: RunFileCap(cfg)}
}

// advise adds to err, the error of a damaged or foreign run file of the
// store, what to do about it: fix is the Fix of a run's folder.
func (s Store) advise(err error, fix Fix) error {
	if s.fix != "" {
		return fmt.Errorf("%w; %s", err, s.fix)
	}
	return &Advice{Err: err, Dir: s.Dir, Fix: fix}
}

// storeOf returns the store of the runs of the folder dir, whose manifest
// is man: of a whole run, or of one shard.
func storeOf(dir string, man Manifest) Store {
	s := NewStore(dir, &man.Scenario)
	if man.Shard != nil {
		s.fix, s.sums = shardFix(man.Shard.Index), man.Files
	}
	return s
}

// shardFix says what to do about a damaged run file of shard i.
func shardFix(i int) string {
	return fmt.Sprintf("remove it and run shard %d again with the command that started it (it runs what the shard lacks)", i)
}

// Path is where the file of the run of t is.
func (s Store) Path(t sim.Task) string { return filepath.Join(s.Dir, RunsDir, RunFileName(t)) }

// header is what the file of task t must say about itself.
func (s Store) header(t sim.Task) RunHeader {
	return RunHeader{Scenario: s.scenario, Point: t.Point, Replicate: t.Replicate, Seed: s.cfg.RunSeed(t)}
}

// Save writes a finished run atomically: only its figures
// (sim.RunResult.Figures) when the scenario's sweep keeps no more
// (sim.Sweep.FiguresOnly).
func (s Store) Save(run *sim.RunResult) error {
	t := sim.Task{Point: run.Point, Replicate: run.Replicate}
	if s.cfg.Sweep.FiguresOnly() {
		run = run.Figures()
	}
	return WriteFileAtomic(s.Path(t), func(w io.Writer) error { return WriteRun(w, s.scenario, run) })
}

// Load reads one run and checks that it is the run of t: a regular file
// within the cap (RunFileCap), whole (its checksum), of this scenario,
// point and replicate, and with contents that the scenario can have
// produced. A missing file gives an error for which errors.Is(err,
// fs.ErrNotExist) holds; a damaged or foreign one an error wrapping
// ErrBadFile, ErrRunCorrupt or ErrRunForeign that names the file and says
// what to do.
func (s Store) Load(t sim.Task) (*sim.RunResult, error) {
	run, _, err := s.read(t)
	return run, err
}

// read is Load, and also returns the bytes of the file.
func (s Store) read(t sim.Task) (*sim.RunResult, []byte, error) {
	p := s.Path(t)
	b, err := ReadFile(p, "a run file", s.max)
	if err != nil {
		if errors.Is(err, ErrBadFile) {
			return nil, nil, s.advise(err, FixRemoveRun)
		}
		return nil, nil, err
	}
	if want, ok := s.sums[path.Join(RunsDir, RunFileName(t))]; ok {
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
			return nil, nil, mark(s.advise(fmt.Errorf("%s does not match the SHA-256 in %s (damaged or replaced)", p, filepath.Join(s.Dir, ManifestName)), FixRemoveRun), ErrRunCorrupt)
		}
	}
	run, err := s.readRunFile(p, b, s.header(t))
	return run, b, err
}

// LoadAll reads every run of the store's scenario, in task order. It stops
// at the first run it cannot read, or when ctx is done.
func (s Store) LoadAll(ctx context.Context) ([]*sim.RunResult, error) {
	var runs []*sim.RunResult
	for _, t := range s.cfg.Tasks() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := s.Load(t)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Advice{Err: mark(fmt.Errorf("read runs of %s: %s is missing", s.Dir, s.Path(t)), ErrIncomplete), Dir: s.Dir, Fix: FixRerun}
		}
		if err != nil {
			return nil, mark(fmt.Errorf("read runs of %s: %w", s.Dir, err), ErrInaccessible)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// readRunFile reads the run file at path, whose bytes are b, and checks it
// against want and the store's scenario. A damaged or foreign file's error
// names the file and says what to do (see advise).
func (s Store) readRunFile(path string, b []byte, want RunHeader) (*sim.RunResult, error) {
	run, err := ReadRun(bytes.NewReader(b), want)
	if err == nil {
		if why := checkRun(s.cfg, run); why != nil {
			err = fmt.Errorf("its contents cannot come from its scenario: %v: %w", why, ErrRunCorrupt)
		}
	}
	switch {
	case err == nil:
		return run, nil
	case errors.Is(err, errOtherScenario):
		man := filepath.Join(filepath.Dir(filepath.Dir(path)), ManifestName)
		err = fmt.Errorf("%s: %w; it or %s was replaced: if every run file says so, it is the manifest, and triad cannot use the folder (run the scenario again into another folder)", path, err, man)
		if s.fix != "" {
			return nil, fmt.Errorf("%w; else %s", err, s.fix)
		}
		return nil, &Advice{Err: err, Dir: s.Dir, Fix: FixElseRemoveRun}
	case errors.Is(err, ErrRunCorrupt), errors.Is(err, ErrRunForeign):
		return nil, s.advise(fmt.Errorf("%s: %w", path, err), FixRemoveRun)
	}
	return nil, fmt.Errorf("%s: %w", path, err)
}

// Done lists the tasks whose run files exist. (The temporary files an
// interrupted write left are removed by removeTemps, under the lock.)
func (s Store) Done() (map[sim.Task]bool, error) {
	entries, err := os.ReadDir(filepath.Join(s.Dir, RunsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return map[sim.Task]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	have := map[sim.Task]bool{}
	for _, e := range entries {
		if t, ok := ParseRunFileName(e.Name()); ok {
			have[t] = true
		}
	}
	return have, nil
}

// ScenarioHash is output.ScenarioHash, the SHA-256 of a resolved
// scenario's JSON with its seed and replications, as every run file
// records it.
func ScenarioHash(cfg sim.Config) string { return output.ScenarioHash(cfg) }

// LoadRunSet reads every run of the finished output folder dir, labelled
// with the folder's name, each checked as Store.Load does; it stops when
// ctx is done. A folder without a manifest gives an error wrapping
// ErrNotOurFolder; a stopped run, the folder of one shard or a folder
// that lacks run files one wrapping ErrIncomplete.
func LoadRunSet(ctx context.Context, dir string) (output.RunSet, error) {
	man, err := ReadManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		return output.RunSet{}, fmt.Errorf("%s holds no %s: it is %w", dir, ManifestName, ErrNotOurFolder)
	}
	if err != nil {
		return output.RunSet{}, err
	}
	if err := finished(dir, man); err != nil {
		return output.RunSet{}, err
	}
	cfg := man.Scenario
	// Every run file is there before any is read, so that a folder whose
	// manifest claims more runs than it holds costs nothing.
	if c, err := countRuns(dir, man); err != nil {
		return output.RunSet{}, err
	} else if c.Lacking > 0 {
		return output.RunSet{}, c.lackingError(dir)
	}
	runs, err := NewStore(dir, &cfg).LoadAll(ctx)
	if err != nil {
		return output.RunSet{}, err
	}
	return output.RunSet{Label: filepath.Base(filepath.Clean(dir)), Config: cfg, Regions: cfg.RegionIDs(), Runs: runs}, nil
}

// finished returns nil when man is the manifest of a finished run in dir,
// and otherwise an error wrapping ErrIncomplete that says what to do: a
// stopped run is resumed, a shard's folder merged with its siblings.
func finished(dir string, man Manifest) error {
	switch {
	case man.Shard != nil:
		return &Advice{Err: mark(fmt.Errorf("%s is shard %d of %d of a sharded run, not a finished run", dir, man.Shard.Index, man.Shard.Count), ErrIncomplete), Dir: filepath.Dir(filepath.Clean(dir)), Fix: FixMerge}
	case !man.Complete:
		return &Advice{Err: mark(fmt.Errorf("%s is not complete", dir), ErrIncomplete), Dir: dir, Fix: FixResume}
	}
	return nil
}
