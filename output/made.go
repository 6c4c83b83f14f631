package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// Made is what a run of Config made in its folder, as the terminal tells
// it once the run is done (Made.Write).
type Made struct {
	Config *sim.Config
	// Folder is the run's folder as the terminal shows it, the platform's
	// separator at its end ("out/toy/"); Wall the seconds the run took.
	Folder string
	Wall   float64
	// Single is the Result of a run without a sweep, and Summary its
	// summary over replications; Points are the summaries of a sweep's
	// points. Sensitivity is set for a Morris or Sobol sweep, whose points
	// are read through its indices rather than a table of points.
	Single      *sim.Result
	Summary     Summary
	Points      []PointSummary
	Sensitivity bool
	// Tables, Plots and Report are the files to open first: the main
	// tables, the charts (a pattern such as plots/sweep-*.png) and the
	// report, each a path in the folder.
	Tables        []string
	Plots, Report string
}

// Write writes what m made for the terminal: how many runs of how many
// steps in how long, and where; the headline figures (Headline for a run
// without a sweep; for a sweep of one or two parameters that is no
// sensitivity design, SweepHeadline); then the files to open.
func (m Made) Write(w io.Writer) error {
	bw := &errWriter{w: w}
	cfg := m.Config
	_, steps := cfg.Units()
	fmt.Fprintf(bw, "%s: %d runs of %d %s in %.1fs, written to %s\n\n", cfg.Name, len(cfg.Tasks()), cfg.Steps, steps, m.Wall, m.Folder)
	if m.Single != nil {
		if err := Headline(bw, m.Single, m.Summary); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(bw, "sweep of %s: %d points × %d replications\n\n", strings.Join(cfg.SweepPaths(), ", "), len(m.Points), cfg.Replicates)
		// One or two swept parameters make a readable table.
		if !m.Sensitivity && len(cfg.SweepPaths()) <= 2 {
			if err := SweepHeadline(bw, cfg, m.Points); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(bw, "\nTables: %s\nPlots:  %s\nReport: %s\n", strings.Join(m.Tables, ", "), m.Plots, m.Report)
	return bw.err
}
