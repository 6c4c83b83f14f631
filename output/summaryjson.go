package output

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/triad-sim/triad/sim"
)

// SchemaVersion is the version of the schema of every JSON summary that
// the command prints with --json, listed in docs/CLI.md. It goes up when
// a field is removed or changes meaning; added fields keep it.
const SchemaVersion = 1

// ListJSON is the list of built-in scenarios (list --json).
type ListJSON struct {
	SchemaVersion int            `json:"schema_version"`
	Scenarios     []ScenarioJSON `json:"scenarios"`
}

// ScenarioJSON names one built-in scenario.
type ScenarioJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ValidateJSON is the verdict on a scenario file (validate --json).
type ValidateJSON struct {
	SchemaVersion int    `json:"schema_version"`
	File          string `json:"file"`
	Valid         bool   `json:"valid"`
	// Name, Regions, Steps and Replicates describe a valid scenario.
	Name       string        `json:"name,omitempty"`
	Regions    int           `json:"regions,omitempty"`
	Steps      int           `json:"steps,omitempty"`
	Replicates int           `json:"replicates,omitempty"`
	Errors     []ProblemJSON `json:"errors"`
}

// ProblemJSON is one problem of a scenario; line and col are 0 when it
// has no position.
type ProblemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// RunJSON is the final summary of a run (run --json).
type RunJSON struct {
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
	Regions []RegionJSON          `json:"regions,omitempty"`
	Overall map[string]FigureJSON `json:"overall,omitempty"`
	Points  []PointJSON           `json:"points,omitempty"`
}

// PointJSON is the figures of one sweep point.
type PointJSON struct {
	Index   int                   `json:"index"`
	Values  []float64             `json:"values"`
	Runs    int                   `json:"runs"`
	Regions []RegionJSON          `json:"regions"`
	Overall map[string]FigureJSON `json:"overall"`
}

// RegionJSON is the headline figures of one region.
type RegionJSON struct {
	Region  string                `json:"region"`
	Figures map[string]FigureJSON `json:"figures"`
}

// FigureJSON is a figure's mean and 95 % confidence interval over n runs;
// a value that does not exist (no run reached 50 %, or too few runs for
// an interval) is null.
type FigureJSON struct {
	Mean   *float64 `json:"mean"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
	N      int      `json:"n"`
}

// headlineRegion and headlineOverall are the figures of the headline
// table, per region and for the whole scenario, as the run summary gives
// them; it adds the final adoption, which it has given since schema 1.
var (
	headlineRegion  = append(slices.Clone(HeadlineFigures), sim.MetricFinalAdoption)
	headlineOverall = HeadlineOverall
)

func figureOf(st Stat) FigureJSON {
	return FigureJSON{Nullable(st.Mean), Nullable(st.CILow), Nullable(st.CIHigh), st.N}
}

// HeadlineJSON returns the headline figures of a summary, per region (in
// the order of regions) and for the whole scenario.
func HeadlineJSON(regions []string, s Summary) ([]RegionJSON, map[string]FigureJSON) {
	rs := []RegionJSON{}
	for _, id := range regions {
		r := RegionJSON{Region: id, Figures: map[string]FigureJSON{}}
		for _, m := range headlineRegion {
			if st, ok := s.Get(m, id); ok {
				r.Figures[m] = figureOf(st)
			}
		}
		rs = append(rs, r)
	}
	all := map[string]FigureJSON{}
	for _, m := range headlineOverall {
		if st, ok := s.Get(m, ""); ok {
			all[m] = figureOf(st)
		}
	}
	return rs, all
}

// NewRunJSON returns the summary of a finished run of cfg written to
// folder in wall seconds: summary holds the figures of a run without a
// sweep, points those of a sweep's points.
func NewRunJSON(folder string, cfg *sim.Config, summary *Summary, points []PointSummary, wall float64) RunJSON {
	out := RunJSON{
		SchemaVersion: SchemaVersion, Scenario: cfg.Name, Folder: folder, Runs: len(cfg.Tasks()),
		Steps: cfg.Steps, Replicates: cfg.Replicates, Seed: cfg.Seed, WallSeconds: wall,
		Sweep: cfg.SweepPaths(),
	}
	regions := cfg.RegionIDs()
	if summary != nil {
		out.Regions, out.Overall = HeadlineJSON(regions, *summary)
		return out
	}
	out.Points = []PointJSON{}
	for _, p := range points {
		rs, all := HeadlineJSON(regions, p.Summary)
		out.Points = append(out.Points, PointJSON{p.Point.Index, p.Point.Values, p.Runs, rs, all})
	}
	return out
}

// StatusJSON is the state of an output folder (status --json).
type StatusJSON struct {
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
	Shards      []ShardJSON `json:"shards,omitempty"`
	Rerun       []int       `json:"rerun,omitempty"`
	MaybeQueued []int       `json:"maybe_queued,omitempty"`
}

// ShardJSON is the state of one shard: done, running, queued, starting,
// stopped, missing or missing_or_queued.
type ShardJSON struct {
	Index        int        `json:"index"`
	State        string     `json:"state"`
	Runs         int        `json:"runs"`
	RunsExpected *int       `json:"runs_expected"`
	LastSaved    *time.Time `json:"last_saved,omitempty"`
}

// ShowJSON is a resolved scenario, defaults filled in (show --json).
type ShowJSON struct {
	SchemaVersion int        `json:"schema_version"`
	Scenario      sim.Config `json:"scenario"`
}

// CompareSummaryJSON is a comparison as compare.json holds it, with the
// folder it was written to (compare --json).
type CompareSummaryJSON struct {
	SchemaVersion int             `json:"schema_version"`
	Folder        string          `json:"folder"`
	Comparison    json.RawMessage `json:"comparison"`
}
