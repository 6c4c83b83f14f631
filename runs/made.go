package runs

import (
	"path/filepath"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// Made is what the run of cfg assembled as a into the folder dir in wall
// seconds, for the terminal (output.Made.Write): the figures, and the
// files to open first, which depend on what the folder holds: the time
// series and summary of a run without a sweep; the points, the per-run
// figures and the indices of a sensitivity design that keeps only its
// figures; the points, summary and time series of any other sweep.
func (a *Assembled) Made(dir string, cfg *sim.Config, wall float64) output.Made {
	m := output.Made{Config: cfg, Folder: dir + string(filepath.Separator), Wall: wall, Single: a.Single, Summary: a.Summary, Points: a.Points,
		Sensitivity: a.Sensitivity != nil, Report: filepath.Join(dir, ReportName)}
	in := func(names ...string) []string {
		paths := make([]string, len(names))
		for i, n := range names {
			paths[i] = filepath.Join(dir, n)
		}
		return paths
	}
	switch {
	case a.Single != nil:
		m.Tables, m.Plots = in("timeseries.csv", "summary.csv"), filepath.Join(dir, PlotsDir, "adoption.png")
	case cfg.Sweep.FiguresOnly():
		m.Tables, m.Plots = in("points.csv", FiguresName, SensitivityCSVName), filepath.Join(dir, PlotsDir, "sensitivity-*.png")
	default:
		m.Tables, m.Plots = in("points.csv", "summary.csv", "timeseries.csv"), filepath.Join(dir, PlotsDir, "sweep-*.png")
	}
	return m
}
