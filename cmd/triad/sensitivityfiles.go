package main

import (
	"io"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// sensitivityFiles returns the files of a Morris or Sobol sweep's
// analysis (none for any other config): sensitivity.csv and .json and,
// with plots, the μ*–σ or S1/ST chart of every figure. It reads every
// run again through load, one point at a time, so that it needs no more
// memory than assemble does.
func sensitivityFiles(cfg *sim.Config, plots bool, load func(sim.Task) (*sim.RunResult, error)) ([]outputFile, error) {
	if !cfg.Sweep.IsSensitivity() {
		return nil, nil
	}
	c := output.NewSensitivityCollector(cfg)
	for _, pt := range cfg.Points() {
		runs := make([]*sim.RunResult, 0, cfg.Replicates)
		for rep := range cfg.Replicates {
			run, err := load(sim.Task{Point: pt.Index, Replicate: rep})
			if err != nil {
				return nil, err
			}
			runs = append(runs, run)
		}
		c.Add(runs)
	}
	res := c.Result()
	files := []outputFile{
		{"sensitivity.csv", func(w io.Writer) error { return output.WriteSensitivityCSV(w, res) }},
		{"sensitivity.json", func(w io.Writer) error { return output.WriteSensitivityJSON(w, res) }},
	}
	if plots {
		for _, ch := range output.SensitivityCharts(cfg, res) {
			files = append(files, chartFilesSized(ch.Name, ch.Height, ch.Make)...)
		}
	}
	return files, nil
}
