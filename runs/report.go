package runs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// RebuildReport rewrites report.html of the finished output folder dir from
// its files, and records it in the manifest when there is one. version is
// the running triad's, for a folder without a manifest (a comparison's). A
// folder that is no output folder gives an error wrapping ErrNotOurFolder,
// a stopped run one wrapping ErrIncomplete.
func RebuildReport(dir, version string) error {
	man, err := ReadManifest(dir)
	hasManifest := err == nil
	switch {
	case errors.Is(err, os.ErrNotExist):
		if !IsFile(filepath.Join(dir, CompareName)) {
			return fmt.Errorf("%s holds no %s or %s: it is %w", dir, ManifestName, CompareName, ErrNotOurFolder)
		}
	case err != nil:
		return err
	case !man.Complete:
		return mark(fmt.Errorf("%s holds a stopped run: finish it with 'triad run --resume %s' first", dir, dir), ErrIncomplete)
	case !IsFile(filepath.Join(dir, SummaryName)) && !IsFile(filepath.Join(dir, CompareName)):
		return mark(fmt.Errorf("%s holds no %s or %s: no results to report (the shard of a sharded run? merge the shards first)", dir, SummaryName, CompareName), ErrIncomplete)
	}
	var cfg *sim.Config
	files := map[string]string{}
	if hasManifest {
		version = man.Version
		if man.Files != nil {
			files = man.Files
		}
		if len(man.Scenario.Regions) > 0 {
			cfg = &man.Scenario
		}
	}
	if err := WriteReport(dir, cfg, version, files); err != nil {
		return err
	}
	if hasManifest {
		man.Files = files
		if err := SaveManifest(dir, man); err != nil {
			return fmt.Errorf("record the report in the manifest: %w", err)
		}
	}
	return nil
}

// WriteReport writes dir/report.html from the files already in dir and
// records its SHA-256 in files. cfg is the resolved scenario of the runs
// (nil for a folder without one, such as a comparison's) and version the
// triad version that made them. The charts are the plots/*.svg that files
// lists, or that dir holds when files lists none; summary.json and
// compare.json are read when present. Nothing from the clock or the machine
// goes into the page, so the same files give the same report.
func WriteReport(dir string, cfg *sim.Config, version string, files map[string]string) error {
	r := output.ReportData{Scenario: cfg, Version: version}
	var err error
	if r.Summary, err = readOptional(filepath.Join(dir, SummaryName)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if r.Compare, err = readOptional(filepath.Join(dir, CompareName)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	var svgs []string
	for rel := range files {
		if strings.HasPrefix(rel, PlotsDir+"/") && strings.HasSuffix(rel, ".svg") {
			svgs = append(svgs, strings.TrimPrefix(rel, PlotsDir+"/"))
		}
	}
	if len(svgs) == 0 {
		matches, err := filepath.Glob(filepath.Join(dir, PlotsDir, "*.svg"))
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		for _, m := range matches {
			svgs = append(svgs, filepath.Base(m))
		}
	}
	slices.Sort(svgs)
	for _, name := range svgs {
		b, err := os.ReadFile(filepath.Join(dir, PlotsDir, name))
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		r.Plots = append(r.Plots, output.ReportPlot{Name: strings.TrimSuffix(name, ".svg"), SVG: b})
	}
	return writeHashed(dir, ReportName, files, func(w io.Writer) error { return output.WriteReport(w, r) })
}

// IsFile reports whether a file exists at path.
func IsFile(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// readOptional returns the contents of the file at path, or nil when there
// is none.
func readOptional(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}
