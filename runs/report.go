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
	"github.com/triad-sim/triad/output/report"
)

// RebuildReport rewrites report.html of the finished output folder dir from
// its files, and records it in the manifest when there is one (a run's or
// a comparison's). version is the running triad's, for a comparison's
// folder without a manifest (made before comparisons had one). A folder
// that is no output folder gives an error wrapping ErrNotOurFolder, a
// stopped run one wrapping ErrIncomplete.
func RebuildReport(dir, version string) error {
	man, err := ReadManifest(dir)
	hasManifest := err == nil
	if errors.Is(err, ErrComparison) {
		return rebuildComparisonReport(dir)
	}
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
	d := report.Data{Version: version}
	files := map[string]string{}
	if hasManifest {
		d.Version = man.Version
		if man.Files != nil {
			files = man.Files
		}
		if len(man.Scenario.Regions) > 0 {
			d.Scenario = &man.Scenario
		}
	}
	if err := readResults(dir, &d); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := WriteReport(dir, d, files); err != nil {
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

// rebuildComparisonReport rewrites report.html of the comparison in dir,
// which has a manifest, and records it there.
func rebuildComparisonReport(dir string) error {
	man, err := ReadCompareManifest(dir)
	if err != nil {
		return err
	}
	d := report.Data{Version: man.Version}
	if err := readResults(dir, &d); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if d.Compare == nil {
		return mark(fmt.Errorf("%s holds no %s: no results to report", dir, CompareName), ErrIncomplete)
	}
	if man.Files == nil {
		man.Files = map[string]string{}
	}
	if err := WriteReport(dir, d, man.Files); err != nil {
		return err
	}
	if err := SaveCompareManifest(dir, man); err != nil {
		return fmt.Errorf("record the report in the manifest: %w", err)
	}
	return nil
}

// readResults reads into d what summary.json, sensitivity.json and
// compare.json of dir hold, when they are there.
func readResults(dir string, d *report.Data) error {
	f, err := os.Open(filepath.Join(dir, SummaryName))
	switch {
	case err == nil:
		defer f.Close()
		sf, err := output.ReadSummaryJSON(f)
		if err != nil {
			return fmt.Errorf("%s: %w", SummaryName, err)
		}
		if sf.Sweep {
			d.Sweep = &report.Sweep{Paths: sf.Paths, Points: sf.Points}
		} else {
			d.Summary = sf.Summary
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	sf, err := os.Open(filepath.Join(dir, SensitivityName))
	switch {
	case err == nil:
		defer sf.Close()
		r, err := output.ReadSensitivityJSON(sf)
		if err != nil {
			return fmt.Errorf("%s: %w", SensitivityName, err)
		}
		d.Sensitivity = &r
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	c, err := os.Open(filepath.Join(dir, CompareName))
	switch {
	case err == nil:
		defer c.Close()
		cmp, err := output.ReadCompareJSON(c)
		if err != nil {
			return fmt.Errorf("%s: %w", CompareName, err)
		}
		d.Compare = &cmp
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	return nil
}

// WriteReport writes dir/report.html from d and the charts of dir, and
// records its SHA-256 in files. The charts are the plots/*.svg that files
// lists, or that dir holds when files lists none, in the order of their
// names; each is described to the report by its name (see plotOf). Nothing
// from the clock or the machine goes into the page, so the same files give
// the same report.
func WriteReport(dir string, d report.Data, files map[string]string) error {
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
		p := plotOf(strings.TrimSuffix(name, ".svg"), d.Sensitivity)
		p.SVG = b
		d.Plots = append(d.Plots, p)
	}
	return writeHashed(dir, ReportName, files, func(w io.Writer) error { return report.Write(w, d) })
}

// IsFile reports whether a file exists at path.
func IsFile(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
