package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"triad/output"
	"triad/sim"
)

// An output folder holds, while a run is under way or after it was stopped,
// a manifest.json with "complete": false and a runs/ folder with one file
// per finished run (sweep point × replicate). When every run is there, the
// tables and plots are assembled from those files, the manifest is marked
// complete and runs/ is removed. Resuming, merging shards and a run kept in
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

// store is one folder of run files.
type store struct{ dir string }

func (s store) path(t sim.Task) string { return filepath.Join(s.dir, runsDir, runFileName(t)) }

// save writes a finished run atomically.
func (s store) save(run *sim.RunResult) error {
	t := sim.Task{Point: run.Point, Replicate: run.Replicate}
	return output.WriteFileAtomic(s.path(t), func(w io.Writer) error { return output.WriteRun(w, run) })
}

// load reads one run.
func (s store) load(t sim.Task) (*sim.RunResult, error) {
	f, err := os.Open(s.path(t))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	run, err := output.ReadRun(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.path(t), err)
	}
	if run.Point != t.Point || run.Replicate != t.Replicate {
		return nil, fmt.Errorf("%s holds run %d/%d", s.path(t), run.Point, run.Replicate)
	}
	return run, nil
}

// done lists the tasks whose run files exist, and removes the temporary
// files an interrupted write may have left.
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
		} else if strings.HasPrefix(e.Name(), ".") {
			os.Remove(filepath.Join(s.dir, runsDir, e.Name()))
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
