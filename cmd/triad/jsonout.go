package main

import (
	"encoding/json"
	"io"
	"slices"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/sim"
)

// schemaVersion is the version of every --json output's schema, listed in
// docs/CLI.md. It goes up when a field is removed or changes meaning;
// added fields keep it.
const schemaVersion = 1

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// listJSON is the output of list --json.
type listJSON struct {
	SchemaVersion int            `json:"schema_version"`
	Scenarios     []scenarioJSON `json:"scenarios"`
}

type scenarioJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// validateJSON is the output of validate --json.
type validateJSON struct {
	SchemaVersion int    `json:"schema_version"`
	File          string `json:"file"`
	Valid         bool   `json:"valid"`
	// Name, Regions, Steps and Replicates describe a valid scenario.
	Name       string        `json:"name,omitempty"`
	Regions    int           `json:"regions,omitempty"`
	Steps      int           `json:"steps,omitempty"`
	Replicates int           `json:"replicates,omitempty"`
	Errors     []problemJSON `json:"errors"`
}

// problemJSON is one problem of a scenario; line and col are 0 when it
// has no position.
type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// runJSON is the output of run --json: the run's final summary.
type runJSON struct {
	SchemaVersion int     `json:"schema_version"`
	Scenario      string  `json:"scenario"`
	Folder        string  `json:"folder"`
	Runs          int     `json:"runs"`
	Steps         int     `json:"steps"`
	Replicates    int     `json:"replicates"`
	Seed          uint64  `json:"seed"`
	WallSeconds   float64 `json:"wall_seconds"`
	// Sweep lists the swept paths; Points holds a sweep's figures, and
	// Regions and Overall a single run's.
	Sweep   []string              `json:"sweep,omitempty"`
	Regions []regionJSON          `json:"regions,omitempty"`
	Overall map[string]figureJSON `json:"overall,omitempty"`
	Points  []pointJSON           `json:"points,omitempty"`
}

// pointJSON is the figures of one sweep point.
type pointJSON struct {
	Index   int                   `json:"index"`
	Values  []float64             `json:"values"`
	Runs    int                   `json:"runs"`
	Regions []regionJSON          `json:"regions"`
	Overall map[string]figureJSON `json:"overall"`
}

// regionJSON is the headline figures of one region.
type regionJSON struct {
	Region  string                `json:"region"`
	Figures map[string]figureJSON `json:"figures"`
}

// figureJSON is a figure's mean and 95 % confidence interval over n runs;
// a value that does not exist (no run reached 50 %, or too few runs for
// an interval) is null.
type figureJSON struct {
	Mean   *float64 `json:"mean"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
	N      int      `json:"n"`
}

// headlineRegion and headlineOverall are the figures of run's headline
// table, per region and for the whole scenario; --json adds the final
// adoption, which it has given since schema 1.
var (
	headlineRegion  = append(slices.Clone(output.HeadlineFigures), sim.MetricFinalAdoption)
	headlineOverall = output.HeadlineOverall
)

func figure(st output.Stat) figureJSON {
	return figureJSON{output.Nullable(st.Mean), output.Nullable(st.CILow), output.Nullable(st.CIHigh), st.N}
}

// figures returns the headline figures of a summary.
func figures(regions []string, s output.Summary) ([]regionJSON, map[string]figureJSON) {
	rs := []regionJSON{}
	for _, id := range regions {
		r := regionJSON{Region: id, Figures: map[string]figureJSON{}}
		for _, m := range headlineRegion {
			if st, ok := s.Get(m, id); ok {
				r.Figures[m] = figure(st)
			}
		}
		rs = append(rs, r)
	}
	all := map[string]figureJSON{}
	for _, m := range headlineOverall {
		if st, ok := s.Get(m, ""); ok {
			all[m] = figure(st)
		}
	}
	return rs, all
}

// runSummary is the run --json summary of a finished run in dir.
func runSummary(dir string, cfg *sim.Config, a *runs.Assembled, wall float64) runJSON {
	out := runJSON{
		SchemaVersion: schemaVersion, Scenario: cfg.Name, Folder: dir, Runs: len(cfg.Tasks()),
		Steps: cfg.Steps, Replicates: cfg.Replicates, Seed: cfg.Seed, WallSeconds: wall,
		Sweep: cfg.SweepPaths(),
	}
	regions := cfg.RegionIDs()
	if a.Single != nil {
		out.Regions, out.Overall = figures(regions, a.Summary)
		return out
	}
	out.Points = []pointJSON{}
	for _, p := range a.Points {
		rs, all := figures(regions, p.Summary)
		out.Points = append(out.Points, pointJSON{p.Point.Index, p.Point.Values, p.Runs, rs, all})
	}
	return out
}

// statusJSON is the output of status --json.
type statusJSON struct {
	SchemaVersion int    `json:"schema_version"`
	Folder        string `json:"folder"`
	// Scenario is "" while no shard has started.
	Scenario  string `json:"scenario"`
	Sharded   bool   `json:"sharded"`
	Complete  bool   `json:"complete"`
	RunsTotal int    `json:"runs_total"`
	RunsSaved int    `json:"runs_saved"`
	// The rest describes a sharded run.
	ShardCount  int         `json:"shard_count,omitempty"`
	Merged      bool        `json:"merged,omitempty"`
	Shards      []shardJSON `json:"shards,omitempty"`
	Rerun       []int       `json:"rerun,omitempty"`
	MaybeQueued []int       `json:"maybe_queued,omitempty"`
}

// shardJSON is the state of one shard: done, running, queued, starting,
// stopped, missing or missing_or_queued.
type shardJSON struct {
	Index        int        `json:"index"`
	State        string     `json:"state"`
	Runs         int        `json:"runs"`
	RunsExpected *int       `json:"runs_expected"`
	LastSaved    *time.Time `json:"last_saved,omitempty"`
}
