package chart

import (
	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// compareSets returns the sets of fixture.Compare: base, slow and same.
func compareSets() []output.RunSet {
	res, slow, same := fixture.Compare()
	set := func(label string, runs []*sim.RunResult) output.RunSet {
		return output.RunSet{Label: label, Config: res.Config, Regions: res.Regions, Runs: runs}
	}
	return []output.RunSet{set("base", res.Runs), set("slow", slow), set("same", same)}
}

// sweepFixture returns the Config of fixture.Sweep and the summaries of
// its three points.
func sweepFixture(paths ...string) (*sim.Config, []output.PointSummary) {
	cfg, points, runs := fixture.Sweep(paths...)
	return cfg, output.SummarizePoints(cfg.RegionIDs(), points, runs)
}
