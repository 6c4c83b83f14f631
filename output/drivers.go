package output

import (
	"fmt"
	"io"

	"github.com/triad-sim/triad/sim"
)

// WriteDrivers writes for the terminal, after a sensitivity analysis r of
// cfg, which parameters drive each figure (FigureDrivers.Sentence), then
// the figures censored or left out and why; csv is the file that holds the
// indices with their intervals, which the first line names.
func WriteDrivers(w io.Writer, r SensitivityResult, cfg *sim.Config, csv string) error {
	bw := &errWriter{w: w}
	samples := "base rows"
	if r.Method == sim.DesignMorris {
		samples = "trajectories"
	}
	fmt.Fprintf(bw, "\nWhat drives each figure (%s, %d %s, indices with 95 %% bootstrap intervals in %s):\n", r.Method, r.Samples, samples, csv)
	names := RegionNamer(cfg)
	for _, f := range r.Drivers() {
		fmt.Fprintf(bw, "  - %s\n", f.Sentence(names, UnitsOf(cfg)))
	}
	for _, s := range r.Censored {
		fmt.Fprintf(bw, "  - %s of %s: %s\n", s.Metric, names(s.Region), s.Reason)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(bw, "  - %s of %s left out: %s\n", s.Metric, names(s.Region), s.Reason)
	}
	return bw.err
}

// RegionNamer returns a function that names a region of cfg by its id:
// "Central China (central)", or the id alone when the region has no name
// (or cfg no such region).
func RegionNamer(cfg *sim.Config) func(string) string {
	return func(id string) string {
		for _, r := range cfg.Regions {
			if r.ID == id && r.Name != "" {
				return r.Name + " (" + id + ")"
			}
		}
		return id
	}
}
