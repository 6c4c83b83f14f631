package runs

import (
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/output/report"
	"github.com/triad-sim/triad/sim"
)

// maxPointCharts is the largest sweep for which each point gets its own
// adoption chart beside the sweep charts.
const maxPointCharts = 12

// Assembled is what Assemble produced, for the terminal summary.
type Assembled struct {
	// Single is the Result of a run without a sweep (nil for a sweep), and
	// Summary its summary over replications.
	Single  *sim.Result
	Summary output.Summary
	// Points are the summaries of a sweep's points (nil without a sweep).
	Points []output.PointSummary
	// Sensitivity is the analysis of a Morris or Sobol sweep (nil for
	// any other).
	Sensitivity *output.SensitivityResult
	// Files maps each file written, relative to the folder, to its SHA-256.
	Files map[string]string
}

// Assemble writes the tables, plots and report of cfg into dir from its
// runs, read one sweep point at a time through load, so that memory holds
// only one point's runs. It hashes every file it writes. version is the
// triad version that made the runs, for the report. With plots false it
// writes the tables and the report only (run --no-plots). It stops, with
// ctx's error, between runs and between files once ctx is done.
func Assemble(ctx context.Context, dir string, cfg *sim.Config, version string, plots bool, load func(sim.Task) (*sim.RunResult, error)) (*Assembled, error) {
	regions := cfg.RegionIDs()
	points := cfg.Points()
	paths := cfg.SweepPaths()
	sweep := cfg.Sweep != nil
	a := &Assembled{Files: map[string]string{}}
	if err := os.MkdirAll(filepath.Join(dir, PlotsDir), 0o755); err != nil {
		return nil, err
	}
	var pointCharts []outputFile
	var keys []sim.Metric // the figures sweep-diff.csv compares
	var pointValues []output.PointValues
	extra := []string{}
	if sweep {
		extra = append([]string{"point"}, paths...)
	}
	// runs.csv is written alongside timeseries.csv, in the same pass.
	runsTmp, err := os.CreateTemp(dir, ".runs.csv.tmp-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(runsTmp.Name())
	defer runsTmp.Close()
	rw := output.NewRunsWriter(runsTmp, regions, extra...)
	if err := rw.WriteHeader(); err != nil {
		return nil, err
	}
	// So is innovations.csv, the innovation log.
	innTmp, err := os.CreateTemp(dir, ".innovations.csv.tmp-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(innTmp.Name())
	defer innTmp.Close()
	iw := output.NewInnovationsWriter(innTmp, cfg, extra...)
	if err := iw.WriteHeader(); err != nil {
		return nil, err
	}
	// A sensitivity design that keeps only the runs' figures has no time
	// series or innovation log to write (sim.Sweep.FiguresOnly): it writes
	// figures.csv instead (see sensitivityFiles).
	full := !cfg.Sweep.FiguresOnly()
	// The runs are read in this order, by a goroutine that keeps a few
	// ahead of the tables that take them.
	var order []sim.Task
	for _, pt := range points {
		for rep := range cfg.Replicates {
			order = append(order, sim.Task{Point: pt.Index, Replicate: rep})
		}
	}
	ahead, stop := loadAhead(ctx, order, load, 4)
	defer stop()
	var loadErr error // a run that could not be read, said as it is
	pass := func(w io.Writer) error {
		tw := output.NewTimeseriesWriter(w, regions, extra...)
		if err := tw.WriteHeader(); err != nil {
			return err
		}
		for _, pt := range points {
			res := &sim.Result{Config: cfg.AtPoint(pt), Regions: regions}
			values := []string{}
			if sweep {
				values = append(values, strconv.Itoa(pt.Index))
				for _, v := range pt.Values {
					values = append(values, strconv.FormatFloat(v, 'g', -1, 64))
				}
			}
			for range cfg.Replicates {
				l := <-ahead
				if l.err != nil {
					loadErr = l.err
					return l.err
				}
				run := l.run
				if full {
					if err := tw.WriteRun(run, values...); err != nil {
						return err
					}
					if err := rw.WriteRun(run, values...); err != nil {
						return err
					}
					if err := iw.WriteRun(run, values...); err != nil {
						return err
					}
				}
				res.Runs = append(res.Runs, run)
			}
			s := output.Summarize(regions, res.Runs)
			if !sweep {
				a.Single, a.Summary = res, s
				continue
			}
			a.Points = append(a.Points, output.PointSummary{Point: pt, Runs: len(res.Runs), Summary: s})
			if keys == nil {
				keys = output.SweepKeys(cfg, s)
			}
			pointValues = append(pointValues, output.CollectPointValues(regions, pt, res.Runs, keys))
			if plots && full && len(points) <= maxPointCharts {
				pointCharts = append(pointCharts, chartFiles(chart.AdoptionDrawing(pointChartName(pt.Index), res))...)
			}
		}
		return nil
	}
	if full {
		err = writeHashed(dir, "timeseries.csv", a.Files, pass)
	} else {
		err = pass(io.Discard)
	}
	if loadErr != nil {
		return nil, loadErr
	}
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		tmp  *os.File
		name string
	}{{runsTmp, "runs.csv"}, {innTmp, "innovations.csv"}} {
		if !full {
			break
		}
		if err := publish(f.tmp, filepath.Join(dir, f.name)); err != nil {
			return nil, err
		}
		if a.Files[f.name], err = HashFile(filepath.Join(dir, f.name)); err != nil {
			return nil, err
		}
	}
	var files, sens []outputFile
	if sweep {
		files = []outputFile{
			{"points.csv", func(w io.Writer) error { return output.WritePointsCSV(w, paths, points, cfg.Replicates) }},
		}
		// A design that keeps only the figures its indices read keeps no
		// summary of every figure at every point either (thousands of
		// points: most of the folder).
		if full {
			files = append(files,
				outputFile{"summary.csv", func(w io.Writer) error { return output.WriteSweepSummaryCSV(w, paths, a.Points) }},
				outputFile{"summary.json", func(w io.Writer) error { return output.WriteSweepSummaryJSON(w, paths, a.Points) }})
		}
		if full && len(points) > 1 {
			diffs := output.SweepDiffs(keys, pointValues)
			files = append(files, outputFile{"sweep-diff.csv", func(w io.Writer) error { return output.WriteSweepDiffCSV(w, paths, diffs) }})
		}
		// The charts of every figure against every parameter draw every
		// point: those of a design that keeps figures only are left out
		// with its summaries (its sensitivity charts stay).
		if plots && full {
			charts, err := chart.SweepDrawings(cfg, a.Points)
			if err != nil {
				return nil, err
			}
			for _, c := range charts {
				files = append(files, chartFiles(c)...)
			}
			files = append(files, pointCharts...)
		}
		a.Sensitivity, sens, err = sensitivityFiles(ctx, cfg, plots, load)
		if err != nil {
			return nil, err
		}
		files = append(files, sens...)
	} else {
		res := a.Single
		files = []outputFile{
			{"summary.csv", func(w io.Writer) error { return output.WriteSummaryCSV(w, a.Summary) }},
			{"summary.json", func(w io.Writer) error { return output.WriteSummaryJSON(w, a.Summary) }},
		}
		if plots {
			files = append(files, chartFiles(chart.AdoptionDrawing("adoption", res))...)
			// Without labs nothing is discovered or transferred: those
			// charts would be empty.
			if hasLabs(cfg) {
				files = append(files, chartFiles(chart.PipelineDrawing("pipeline", res))...)
				files = append(files, chartFiles(chart.TransferDrawing("transfer", res))...)
			}
		}
	}
	if err := writeAll(ctx, dir, files, a.Files); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The report shows the charts above, so it comes last.
	d := report.Data{Scenario: cfg, Version: version, Summary: a.Summary}
	if sweep {
		d.Summary, d.Sweep = nil, &report.Sweep{Paths: paths, Points: a.Points}
		d.Sensitivity = a.Sensitivity
		if !full {
			d.Sweep = nil // as a report rebuilt from the folder, which has no summary.json
		}
	}
	if err := WriteReport(dir, d, a.Files); err != nil {
		return nil, err
	}
	return a, nil
}

// loaded is a run read by loadAhead, or the error reading it.
type loaded struct {
	run *sim.RunResult
	err error
}

// loadAhead reads the runs of tasks, in that order, on a goroutine of its
// own that keeps up to n of them ahead of the reader of the channel it
// returns, and stops after the first error, or with ctx's error once ctx
// is done. stop ends it early (the reader gave up); it may be called after
// every run is read too.
func loadAhead(ctx context.Context, tasks []sim.Task, load func(sim.Task) (*sim.RunResult, error), n int) (ahead <-chan loaded, stop func()) {
	out := make(chan loaded, n)
	quit := make(chan struct{})
	go func() {
		defer close(out)
		for _, t := range tasks {
			var run *sim.RunResult
			err := ctx.Err()
			if err == nil {
				run, err = load(t)
			}
			select {
			case out <- loaded{run, err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return out, func() {
		close(quit)
		for range out { // let the goroutine finish the read it is in
		}
	}
}

// hasLabs reports whether cfg has a lab anywhere.
func hasLabs(cfg *sim.Config) bool {
	for _, r := range cfg.Regions {
		for _, c := range r.Cities {
			if c.Labs > 0 {
				return true
			}
		}
	}
	return false
}

// writeAll writes files into dir concurrently (drawing a chart is most of
// the work of assembling a large sweep's outputs, and each file is drawn on
// its own) and records their hashes. Each file's bytes depend only on what
// it shows, so the order in which they are written never matters; the
// first error in file order is returned. Once ctx is done it writes no
// more files and returns ctx's error.
func writeAll(ctx context.Context, dir string, files []outputFile, hashes map[string]string) error {
	errs := make([]error, len(files))
	got := make([]map[string]string, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for k := range next {
				got[k] = map[string]string{}
				if errs[k] = ctx.Err(); errs[k] == nil {
					errs[k] = writeHashed(dir, files[k].path, got[k], files[k].write)
				}
			}
		})
	}
	for k := range files {
		next <- k
	}
	close(next)
	wg.Wait()
	for k := range files {
		if errs[k] != nil {
			return errs[k]
		}
		maps.Copy(hashes, got[k])
	}
	return nil
}

// outputFile is one file of an output folder.
type outputFile struct {
	path  string
	write func(io.Writer) error
}

// chartFiles returns a chart's PNG and SVG files in plots/.
func chartFiles(d chart.Drawing) []outputFile {
	var fs []outputFile
	for _, ext := range []string{"png", "svg"} {
		fs = append(fs, outputFile{
			path:  filepath.Join(PlotsDir, d.Name+"."+ext),
			write: func(w io.Writer) error { return d.Write(w, ext) },
		})
	}
	return fs
}

// WriteComparison writes the comparison c of sets into dir, which Prepare
// made ready: its tables (compare.csv, compare.json), its charts (the
// curves, the difference over time, every difference with its interval),
// the report, and last man, with the SHA-256 of every file, as its
// manifest.
func WriteComparison(dir string, sets []output.RunSet, c output.Comparison, man CompareManifest) error {
	os.Remove(filepath.Join(dir, RunsDir))
	if err := os.MkdirAll(filepath.Join(dir, PlotsDir), 0o755); err != nil {
		return err
	}
	files := []outputFile{
		{"compare.csv", func(w io.Writer) error { return output.WriteCompareCSV(w, c) }},
		{CompareName, func(w io.Writer) error { return output.WriteCompareJSON(w, c) }},
	}
	files = append(files, chartFiles(chart.CompareDrawing(compareChart, sets))...)
	files = append(files, chartFiles(chart.DiffDrawing(compareDiffChart, sets))...)
	files = append(files, chartFiles(chart.EffectDrawing(compareEffectsChart, c))...)
	hashes := map[string]string{}
	for _, f := range files {
		if err := writeHashed(dir, f.path, hashes, f.write); err != nil {
			return err
		}
	}
	if err := WriteReport(dir, report.Data{Version: man.Version, Compare: &c}, hashes); err != nil {
		return err
	}
	man.Files = hashes
	return SaveCompareManifest(dir, man)
}

// RunJSON is the summary of the finished run of cfg in dir that a
// assembled, which took wall seconds (run --json).
func (a *Assembled) RunJSON(dir string, cfg *sim.Config, wall float64) output.RunJSON {
	if a.Single != nil {
		return output.NewRunJSON(dir, cfg, &a.Summary, nil, wall)
	}
	return output.NewRunJSON(dir, cfg, nil, a.Points, wall)
}
