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
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/report"
	"github.com/triad-sim/triad/sim"
)

// rebuildReport rewrites report.html of the finished output folder dir from
// its files, and records it in the manifest when there is one (a run's or
// a comparison's). version is the running triad's, for a comparison's
// folder without a manifest (made before comparisons had one). A
// folder that is no output folder gives an error wrapping ErrNotOurFolder,
// a stopped run or the folder of a shard one wrapping ErrIncomplete. The
// folder of a run must hold every run file, whole (see checkRuns), and
// the files the report is made of must be those its manifest lists (their
// SHA-256): a damaged file gives an error that names it and says what to
// do. It stops once ctx is done.
func rebuildReport(ctx context.Context, dir, version string) error {
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
	case man.Shard != nil || !man.Complete:
		return finished(dir, man)
	case !IsFile(filepath.Join(dir, SummaryName)) && !IsFile(filepath.Join(dir, CompareName)) && !IsFile(filepath.Join(dir, SensitivityName)):
		return &Advice{Err: mark(fmt.Errorf("%s holds no %s: no results to report", dir, SummaryName), ErrIncomplete), Dir: dir, Fix: FixRewrite}
	}
	d := report.Data{Version: version}
	files := map[string]string{}
	src := results{dir: dir, max: minResultCap}
	if hasManifest {
		c, err := checkRuns(ctx, dir, man)
		if err != nil {
			return err
		}
		if c.Lacking > 0 {
			return c.lackingError(dir)
		}
		d.Version = man.Version
		if man.Files != nil {
			files = man.Files
		}
		if len(man.Scenario.Regions) > 0 {
			d.Scenario = &man.Scenario
		}
		src.listed, src.max = files, ResultCap(&man.Scenario)
	} else {
		// A comparison's charts are those of its names that are there:
		// any other chart in plots/ is the user's.
		for _, c := range compareCharts {
			if rel := PlotsDir + "/" + c + ".svg"; IsFile(filepath.Join(dir, filepath.FromSlash(rel))) {
				files[rel] = ""
			}
		}
	}
	if err := src.read(&d, hasManifest); err != nil {
		return err
	}
	if err := writeReport(dir, d, files, src); err != nil {
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
// which has a manifest, from the files it lists, and records it there.
func rebuildComparisonReport(dir string) error {
	man, err := ReadCompareManifest(dir)
	if err != nil {
		return err
	}
	if man.Files == nil {
		man.Files = map[string]string{}
	}
	d := report.Data{Version: man.Version}
	src := results{dir: dir, listed: man.Files, max: minResultCap}
	if err := src.read(&d, false); err != nil {
		return err
	}
	if err := writeReport(dir, d, man.Files, src); err != nil {
		return err
	}
	if err := SaveCompareManifest(dir, man); err != nil {
		return fmt.Errorf("record the report in the manifest: %w", err)
	}
	return nil
}

// results reads the files of an output folder that a report is made of.
type results struct {
	dir string
	// listed holds the SHA-256 of the files of a run's folder, as its
	// manifest lists them (nil for a comparison's folder, which has no
	// manifest); max is the cap on each file.
	listed map[string]string
	max    int64
}

// file reads the file rel (a slash path) of the folder, a file of the kind
// what. In a run's folder it must be one the manifest lists, with the
// SHA-256 listed. A missing file gives an error for which errors.Is(err,
// fs.ErrNotExist) holds.
func (r results) file(rel, what string) ([]byte, error) {
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	b, err := ReadFile(p, what, r.max)
	if err != nil || r.listed == nil {
		return b, err
	}
	want, ok := r.listed[rel]
	if !ok {
		return nil, mark(fmt.Errorf("%s is not among the files that %s lists: triad did not write it; remove it", p, filepath.Join(r.dir, ManifestName)), ErrBadFile)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
		return nil, &Advice{Err: mark(fmt.Errorf("%s does not match its SHA-256 in %s: it changed since triad wrote it", p, filepath.Join(r.dir, ManifestName)), ErrBadFile), Dir: r.dir, Fix: FixRemoveAndResume}
	}
	return b, nil
}

// read reads into d what the folder's results hold: summary.json and
// sensitivity.json of a run's folder (run is true), compare.json of a
// comparison's, when they are there.
func (r results) read(d *report.Data, run bool) error {
	if !run {
		b, err := r.file(CompareName, "a comparison")
		if err != nil {
			return err
		}
		cmp, err := output.ReadCompareJSON(bytes.NewReader(b))
		if err != nil {
			return mark(fmt.Errorf("%s: %w", filepath.Join(r.dir, CompareName), err), ErrBadFile)
		}
		d.Compare = &cmp
		return nil
	}
	b, err := r.file(SummaryName, "a summary")
	switch {
	case err == nil:
		sf, err := output.ReadSummaryJSON(bytes.NewReader(b))
		if err != nil {
			return mark(fmt.Errorf("%s: %w", filepath.Join(r.dir, SummaryName), err), ErrBadFile)
		}
		if sf.Sweep {
			d.Sweep = &report.Sweep{Paths: sf.Paths, Points: sf.Points}
		} else {
			d.Summary = sf.Summary
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	b, err = r.file(SensitivityName, "a sensitivity analysis")
	switch {
	case err == nil:
		sens, err := output.ReadSensitivityJSON(bytes.NewReader(b))
		if err != nil {
			return mark(fmt.Errorf("%s: %w", filepath.Join(r.dir, SensitivityName), err), ErrBadFile)
		}
		d.Sensitivity = &sens
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	return nil
}

// isChart reports whether b can be a chart that triad drew, to be put in a
// report as it is: an SVG document, without scripts.
func isChart(b []byte) bool {
	head := bytes.TrimSpace(b)
	lower := bytes.ToLower(b)
	return (bytes.HasPrefix(head, []byte("<?xml")) || bytes.HasPrefix(head, []byte("<svg"))) &&
		bytes.Contains(lower, []byte("<svg")) && !bytes.Contains(lower, []byte("<script"))
}

// ResultCap is the cap on each file a report is made of (summary.json,
// sensitivity.json, a chart) in the folder of a run of cfg: 64 MiB, or
// more for a sweep whose summary can be larger (a KiB for each figure of
// each point; connector-sweep's take 280 bytes).
func ResultCap(cfg *sim.Config) int64 {
	regions := float64(len(cfg.Regions))
	figures := 8 + float64(12*regions) + float64(regions*regions)
	bound := float64(len(cfg.Points())) * figures * 1024
	if bound < minResultCap {
		return minResultCap
	}
	return int64(min(bound, math.MaxInt64/2))
}

// WriteReport writes dir/report.html from d and the charts of dir, and
// records its SHA-256 in files. The charts are the plots/*.svg that files
// lists (those triad wrote: any other chart in plots/ is the user's), in
// the order of their names; each is described to the report by its name
// (see plotOf). Nothing from the clock or the machine goes into the page,
// so the same files give the same report.
func WriteReport(dir string, d report.Data, files map[string]string) error {
	return writeReport(dir, d, files, results{dir: dir, max: minResultCap})
}

// writeReport is WriteReport with the charts read through src.
func writeReport(dir string, d report.Data, files map[string]string, src results) error {
	var svgs []string
	for rel := range files {
		if strings.HasPrefix(rel, PlotsDir+"/") && strings.HasSuffix(rel, ".svg") {
			svgs = append(svgs, strings.TrimPrefix(rel, PlotsDir+"/"))
		}
	}
	slices.Sort(svgs)
	for _, name := range svgs {
		b, err := src.file(PlotsDir+"/"+name, "a chart")
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		if !isChart(b) {
			return mark(fmt.Errorf("write report: %s is not a chart that triad drew (an SVG without scripts): remove it", filepath.Join(dir, PlotsDir, name)), ErrBadFile)
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
