package optimize

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/report"
	"github.com/triad-sim/triad/runs"
)

// writeManifest replaces the manifest of the optimization's folder dir,
// atomically.
func writeManifest(dir string, m Manifest) error {
	return runs.WriteFileAtomic(filepath.Join(dir, runs.ManifestName), func(w io.Writer) error {
		return output.WriteJSON(w, m)
	})
}

// RebuildReport writes report.html of the finished optimization in dir
// again from the files its manifest lists (optimize.json and the charts),
// byte for byte the report the optimization wrote, and records it in the
// manifest. A listed file that is missing or changed since triad wrote it,
// or a manifest or optimize.json that is damaged, gives an error wrapping
// runs.ErrBadFile that names it; a folder that holds an unfinished
// optimization one wrapping runs.ErrIncomplete.
func RebuildReport(dir string) error {
	manPath := filepath.Join(dir, runs.ManifestName)
	if !runs.IsFile(filepath.Join(dir, Name)) && runs.IsFile(filepath.Join(dir, StateName)) {
		return fmt.Errorf("%s holds an unfinished optimization: continue it with triad optimize --resume %s: %w", dir, dir, runs.ErrIncomplete)
	}
	b, err := runs.ReadFile(manPath, "a manifest", runs.MaxManifestSize)
	if err != nil {
		return err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s is damaged (%v): %w", manPath, err, runs.ErrBadFile)
	}
	if m.Version == "" || m.Files == nil || m.Files[Name] == "" {
		return fmt.Errorf("%s is not the manifest of a finished optimization (it lists no %s): %w", manPath, Name, runs.ErrBadFile)
	}
	const redo = "run the optimization again with --force to write it again"
	for _, rel := range slices.Sorted(maps.Keys(m.Files)) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if rel == runs.ReportName {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(rel)) {
			return fmt.Errorf("%s lists %q, which is no file in the folder: %w", manPath, rel, runs.ErrBadFile)
		}
		h, err := runs.HashFile(p)
		switch {
		case err != nil:
			return fmt.Errorf("%s, which %s lists, cannot be read (%v); %s: %w", p, manPath, err, redo, runs.ErrBadFile)
		case h != m.Files[rel]:
			return fmt.Errorf("%s does not match its SHA-256 in %s: it changed since triad wrote it; %s: %w", p, manPath, redo, runs.ErrBadFile)
		}
	}
	jpath := filepath.Join(dir, Name)
	jb, err := runs.ReadFile(jpath, "an optimization's results", maxStateBytes)
	if err != nil {
		return err
	}
	var doc document
	if err := json.Unmarshal(jb, &doc); err != nil {
		return fmt.Errorf("%s is damaged (%v): %w", jpath, err, runs.ErrBadFile)
	}
	if err := doc.check(); err != nil {
		return fmt.Errorf("%s is not an optimization this triad can report on: %v: %w", jpath, err, runs.ErrBadFile)
	}
	cfg := m.Scenario
	if err := runs.WriteReport(dir, report.Data{Version: m.Version, Scenario: &cfg, Optimize: doc.reportData()}, m.Files); err != nil {
		return err
	}
	return writeManifest(dir, m)
}

// check returns what makes d a document that reportData cannot lay out,
// or nil.
func (d *document) check() error {
	if d.SchemaVersion != schemaVersion {
		return fmt.Errorf("schema version %d, not %d", d.SchemaVersion, schemaVersion)
	}
	nObj := len(d.Objectives)
	if nObj < 1 || len(d.Goals) != nObj {
		return errors.New("its objectives and goals do not match")
	}
	fresh := append([]jsonFresh{d.Baseline, d.Best}, d.Reruns...)
	for k, f := range fresh {
		switch {
		case len(f.Levers) != len(d.Levers):
			return fmt.Errorf("an allocation has %d levers, not %d", len(f.Levers), len(d.Levers))
		case len(f.Value) != nObj || k > 0 && len(f.Effect) != nObj:
			return fmt.Errorf("an allocation has %d values for %d objectives", len(f.Value), nObj)
		}
	}
	if len(d.Reruns) == 0 {
		return errors.New("it holds no allocation run again on fresh seeds")
	}
	return nil
}
