package runs

import (
	"context"
	"io"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/sim"
)

// SensitivityName is the sensitivity analysis of a Morris or Sobol sweep
// (output.WriteSensitivityJSON); SensitivityCSVName the same as CSV;
// FiguresName the per-run figures it reads
// (output.SensitivityCollector.WriteFiguresCSV), written in place of the
// time series when the runs keep only their figures
// (sim.Sweep.FiguresOnly).
const (
	SensitivityName    = "sensitivity.json"
	SensitivityCSVName = "sensitivity.csv"
	FiguresName        = "figures.csv"
)

// sensitivityFiles returns the analysis of a Morris or Sobol sweep (nil
// for any other config) and its files: sensitivity.csv and .json,
// figures.csv when the runs keep only their figures and, with plots, the
// μ*–σ or S1/ST chart of every figure. It reads every
// run again through load, one point at a time, so that it needs no more
// memory than Assemble does.
func sensitivityFiles(ctx context.Context, cfg *sim.Config, plots bool, load func(sim.Task) (*sim.RunResult, error)) (*output.SensitivityResult, []outputFile, error) {
	if !cfg.Sweep.IsSensitivity() {
		return nil, nil, nil
	}
	c := output.NewSensitivityCollector(cfg)
	for _, pt := range cfg.Points() {
		runs := make([]*sim.RunResult, 0, cfg.Replicates)
		for rep := range cfg.Replicates {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			run, err := load(sim.Task{Point: pt.Index, Replicate: rep})
			if err != nil {
				return nil, nil, err
			}
			runs = append(runs, run)
		}
		c.Add(runs)
	}
	res := c.Result()
	files := []outputFile{
		{SensitivityCSVName, func(w io.Writer) error { return output.WriteSensitivityCSV(w, res) }},
		{SensitivityName, func(w io.Writer) error { return output.WriteSensitivityJSON(w, res) }},
	}
	if cfg.Sweep.FiguresOnly() {
		files = append(files, outputFile{FiguresName, c.WriteFiguresCSV})
	}
	if plots {
		for _, d := range chart.SensitivityDrawings(cfg, res) {
			files = append(files, chartFiles(d)...)
		}
	}
	return &res, files, nil
}
