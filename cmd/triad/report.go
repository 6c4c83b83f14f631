package main

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

const reportName = "report.html"

// runReport rebuilds report.html of a finished output folder from its
// files.
func runReport(e *env, args []string) error {
	fs := newFlags(e, "report")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("report", "report takes one output folder, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return &inputError{fmt.Errorf("%s is not a folder", dir)}
	}
	lk, err := lockFolder(dir, lockCommand("report", args))
	if err != nil {
		return err
	}
	defer lk.unlock()
	man, err := readManifest(dir)
	hasManifest := err == nil
	switch {
	case errors.Is(err, os.ErrNotExist):
		if !isFile(filepath.Join(dir, "compare.json")) {
			return &inputError{fmt.Errorf("%s holds no %s or compare.json: it is not a triad output folder", dir, manifestName)}
		}
	case err != nil:
		return &inputError{err}
	case !man.Complete:
		return &inputError{fmt.Errorf("%s holds a stopped run: finish it with 'triad run --resume %s' first", dir, dir)}
	case !isFile(filepath.Join(dir, "summary.json")) && !isFile(filepath.Join(dir, "compare.json")):
		return &inputError{fmt.Errorf("%s holds no summary.json or compare.json: no results to report (the shard of a sharded run? merge the shards first)", dir)}
	}
	var cfg *sim.Config
	ver := version
	var files map[string]string
	if hasManifest {
		ver, files = man.Version, man.Files
		if len(man.Scenario.Regions) > 0 {
			cfg = &man.Scenario
		}
	}
	if files == nil {
		files = map[string]string{}
	}
	if err := writeReport(dir, cfg, ver, files); err != nil {
		return err
	}
	if hasManifest {
		man.Files = files
		if err := writeManifest(dir, man); err != nil {
			return fmt.Errorf("record the report in the manifest: %w", err)
		}
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", filepath.Join(dir, reportName))
	return nil
}

// writeReport writes dir/report.html from the files already in dir and
// records its SHA-256 in files. cfg is the resolved scenario of the runs
// (nil for a folder without one, such as a comparison's) and ver the triad
// version that made them. The charts are the plots/*.svg that files lists,
// or that dir holds when files lists none; summary.json and compare.json
// are read when present. Nothing from the clock or the machine goes into
// the page, so the same files give the same report.
func writeReport(dir string, cfg *sim.Config, ver string, files map[string]string) error {
	r := output.ReportData{Scenario: cfg, Version: ver}
	var err error
	if r.Summary, err = readOptional(filepath.Join(dir, "summary.json")); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if r.Compare, err = readOptional(filepath.Join(dir, "compare.json")); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if r.Sensitivity, err = readOptional(filepath.Join(dir, "sensitivity.json")); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	var svgs []string
	for rel := range files {
		if strings.HasPrefix(rel, "plots/") && strings.HasSuffix(rel, ".svg") {
			svgs = append(svgs, strings.TrimPrefix(rel, "plots/"))
		}
	}
	if len(svgs) == 0 {
		matches, err := filepath.Glob(filepath.Join(dir, "plots", "*.svg"))
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		for _, m := range matches {
			svgs = append(svgs, filepath.Base(m))
		}
	}
	slices.Sort(svgs)
	for _, name := range svgs {
		b, err := os.ReadFile(filepath.Join(dir, "plots", name))
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		r.Plots = append(r.Plots, output.ReportPlot{Name: strings.TrimSuffix(name, ".svg"), SVG: b})
	}
	return writeHashed(dir, reportName, files, func(w io.Writer) error { return output.WriteReport(w, r) })
}

// isFile reports whether a file exists at path.
func isFile(path string) bool {
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
