package serve

import (
	"fmt"
	"math"
	"net/http"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// maxBatchParams is the most parameters a batch sweeps: one gives a
// figure against the parameter, two a family of such curves.
const maxBatchParams = 2

// sweepParam is a parameter of a batch and the values it takes.
type sweepParam struct {
	Path   string    `json:"path"`
	Values []float64 `json:"values"`
}

// sweep returns the sweep of a batch request, in the scenario format's
// terms: a grid of the values given (every combination), on common random
// numbers (replicate r of every point has the same seed, so that the
// differences between points are the parameters', not the seeds'); nil
// for a single run. The scenario's own sweep is never run: the page
// asks for what it shows.
func (req request) sweep() *sim.Sweep {
	if len(req.Sweep) == 0 {
		return nil
	}
	sw := &sim.Sweep{Design: sim.DesignGrid, Seeds: sim.SeedsCommon}
	for _, p := range req.Sweep {
		sw.Params = append(sw.Params, sim.SweepParam{Path: p.Path, Values: p.Values})
	}
	return sw
}

// handleBatch checks a batch request and queues its sweep as a run of the
// tab (202 with its id and number of runs), as handleStart does a single
// run.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	req, name, src, cfg, ok := s.checked(w, r, true)
	if !ok {
		return
	}
	if n := len(req.Sweep); n == 0 || n > maxBatchParams {
		writeError(w, http.StatusBadRequest, &badInput{Problems: []problem{{Text: fmt.Sprintf("a batch sweeps one or two parameters, not %d", n)}}})
		return
	}
	if r.Context().Err() != nil {
		return
	}
	j, status, err := s.enqueue(req.Tab, name, src, cfg)
	if err != nil {
		writeError(w, status, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": j.id, "runs": len(cfg.Tasks()), "steps": cfg.Steps, "points": len(cfg.Points())})
}

// batchView is a batch as the page shows it: its points and, for each
// headline figure (and region), the figure's mean and 95 % interval at
// every point, over the runs finished so far.
type batchView struct {
	Paths        []string      `json:"paths"`
	Replications int           `json:"replications"`
	Points       []batchPoint  `json:"points"`
	Figures      []batchFigure `json:"figures"`
	Regions      []string      `json:"regions"`
	Columns      []columnView  `json:"columns"`
	Totals       []columnView  `json:"totals"`
	CI           string        `json:"ci"`
}

// batchPoint is a point of the sweep: its values, in the order of Paths,
// and its runs finished.
type batchPoint struct {
	Values []float64 `json:"values"`
	Runs   int       `json:"runs"`
}

// batchFigure is one figure of one region ("" for the scenario's) at
// every point, in the order of Points.
type batchFigure struct {
	Metric string         `json:"metric"`
	Region string         `json:"region"`
	Cells  []headlineCell `json:"cells"`
}

// newBatchView returns the view of the runs of cfg's sweep finished so
// far (slim runs suffice), nil before the first.
func newBatchView(cfg *sim.Config, runs []*sim.RunResult) *batchView {
	if len(runs) == 0 {
		return nil
	}
	regions := cfg.RegionIDs()
	ps := output.SummarizePoints(regions, cfg.Points(), runs)
	u := output.UnitsOf(cfg)
	v := &batchView{Paths: cfg.SweepPaths(), Replications: cfg.Replicates, Regions: regions, CI: ciNote}
	for _, f := range headlineColumns {
		v.Columns = append(v.Columns, f.column(u))
	}
	for _, f := range totalColumns {
		v.Totals = append(v.Totals, f.column(u))
	}
	for _, p := range ps {
		v.Points = append(v.Points, batchPoint{Values: p.Point.Values, Runs: p.Runs})
	}
	figure := func(metric, region string) batchFigure {
		f := batchFigure{Metric: metric, Region: region}
		for _, p := range ps {
			st, ok := p.Summary.Get(metric, region)
			if !ok {
				st = output.Stat{Mean: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()}
			}
			st.Metric = metric
			f.Cells = append(f.Cells, cellOf(st))
		}
		return f
	}
	for _, c := range v.Columns {
		for _, id := range regions {
			v.Figures = append(v.Figures, figure(c.Metric, id))
		}
	}
	for _, c := range v.Totals {
		v.Figures = append(v.Figures, figure(c.Metric, ""))
	}
	return v
}
