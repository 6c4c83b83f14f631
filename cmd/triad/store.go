package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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

const (
	manifestName = "manifest.json"
	runsDir      = "runs"
)

// runFileName names the file of one run.
func runFileName(t sim.Task) string {
	return fmt.Sprintf("p%06d-r%06d.run", t.Point, t.Replicate)
}

// parseRunFileName is the inverse of runFileName.
func parseRunFileName(name string) (sim.Task, bool) {
	var t sim.Task
	n, err := fmt.Sscanf(name, "p%06d-r%06d.run", &t.Point, &t.Replicate)
	return t, err == nil && n == 2 && runFileName(t) == name
}

// store is one folder of run files, all of one scenario.
type store struct {
	dir string
	// cfg is the scenario and scenario its hash, which every run file
	// records and every read checks.
	cfg      *sim.Config
	scenario string
}

// newStore returns the store of the runs of cfg in dir.
func newStore(dir string, cfg *sim.Config) store {
	return store{dir: dir, cfg: cfg, scenario: scenarioHash(*cfg)}
}

func (s store) path(t sim.Task) string { return filepath.Join(s.dir, runsDir, runFileName(t)) }

// header is what the file of task t must say about itself.
func (s store) header(t sim.Task) output.RunHeader {
	return output.RunHeader{Scenario: s.scenario, Point: t.Point, Replicate: t.Replicate, Seed: s.cfg.RunSeed(t)}
}

// save writes a finished run atomically.
func (s store) save(run *sim.RunResult) error {
	t := sim.Task{Point: run.Point, Replicate: run.Replicate}
	return output.WriteFileAtomic(s.path(t), func(w io.Writer) error { return output.WriteRun(w, s.scenario, run) })
}

// load reads one run and checks that it is the run of t.
func (s store) load(t sim.Task) (*sim.RunResult, error) {
	f, err := os.Open(s.path(t))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fix := fmt.Sprintf("remove it and run it again with 'triad run --resume %s' (or run the scenario again into a new folder)", s.dir)
	return readRunFile(s.path(t), f, s.header(t), fix)
}

// readRunFile reads the run file at path from r and checks it against
// want. A damaged or foreign file is an input error that names the file
// and says what to do (fix).
func readRunFile(path string, r io.Reader, want output.RunHeader, fix string) (*sim.RunResult, error) {
	run, err := output.ReadRun(r, want)
	switch {
	case err == nil:
		return run, nil
	case errors.Is(err, output.ErrRunCorrupt), errors.Is(err, output.ErrRunForeign):
		return nil, &inputError{fmt.Errorf("%s: %w; %s", path, err, fix)}
	}
	return nil, fmt.Errorf("%s: %w", path, err)
}

// done lists the tasks whose run files exist. (The temporary files an
// interrupted write left are removed by removeTemps, under the lock.)
func (s store) done() (map[sim.Task]bool, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, runsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return map[sim.Task]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	have := map[sim.Task]bool{}
	for _, e := range entries {
		if t, ok := parseRunFileName(e.Name()); ok {
			have[t] = true
		}
	}
	return have, nil
}

// readManifest reads dir/manifest.json.
func readManifest(dir string) (output.Manifest, error) {
	var m output.Manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, manifestName), err)
	}
	return m, nil
}

// writeManifest writes dir/manifest.json atomically.
func writeManifest(dir string, m output.Manifest) error {
	return output.WriteFileAtomic(filepath.Join(dir, manifestName), func(w io.Writer) error {
		return output.WriteManifest(w, m)
	})
}
