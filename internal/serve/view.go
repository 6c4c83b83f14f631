package serve

import (
	"bytes"
	"math"
	"slices"
	"strconv"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// num is a float64 that JSON writes as null when it is NaN or infinite
// (a figure that does not exist, an interval of one run).
type num float64

// MarshalJSON writes the number, or null.
func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

func nums(xs []float64) []num {
	out := make([]num, len(xs))
	for i, x := range xs {
		out[i] = num(x)
	}
	return out
}

// scenarioView is a scenario as the page shows it: its map and the
// parameters it lets a student change.
type scenarioView struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
	YAML        string `json:"yaml"`
	Sweep       bool   `json:"sweep"`
	// StepUnit and StepUnits name a step in words, singular and plural
	// ("month", "months"; "step", "steps" when the scenario does not say).
	StepUnit  string       `json:"step_unit"`
	StepUnits string       `json:"step_units"`
	Regions   []regionView `json:"regions"`
	Links     []linkView   `json:"links"`
	// Settings are seed, replications and steps; Params the model's
	// parameters that matter, each at its place.
	Settings []paramView `json:"settings"`
	Params   []paramView `json:"params"`
}

type regionView struct {
	ID     string     `json:"id"`
	Name   string     `json:"name"`
	Role   string     `json:"role"`
	Firms  int        `json:"firms"`
	Labs   int        `json:"labs"`
	Cities []cityView `json:"cities"`
}

// cityView is a city of a region, for the city view.
type cityView struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Firms int    `json:"firms"`
	Labs  int    `json:"labs"`
}

type linkView struct {
	ID       string  `json:"id"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Directed bool    `json:"directed"`
	Friction float64 `json:"friction"`
	Coupling float64 `json:"coupling"`
}

// paramView is one parameter at one place: its path for --set, the
// scenario's value, and its allowed range and meaning from sim.Params,
// the table that validation and docs/SCENARIOS.md use. The format's
// default (the value of an absent field) is not shown: beside a
// scenario's value it reads as a second, competing value.
type paramView struct {
	Path  string `json:"path"`
	Group string `json:"group"`
	Label string `json:"label"`
	Value string `json:"value"`
	Int   bool   `json:"int"`
	Lo    num    `json:"lo"`
	Hi    num    `json:"hi"` // null: no upper bound
	// LoOpen and HiOpen say that the bound itself is not allowed.
	LoOpen bool   `json:"loOpen"`
	HiOpen bool   `json:"hiOpen"`
	Range  string `json:"range"`
	Doc    string `json:"doc"`
}

// paramOf returns the entry of sim.Params of scope and name.
func paramOf(scope sim.Scope, name string) sim.Param {
	for _, p := range sim.Params {
		if p.Scope == scope && p.Name == name {
			return p
		}
	}
	panic("serve: no parameter " + name + " of scope " + scope.String())
}

func newParamView(p sim.Param, path, group, label string, value float64) paramView {
	return paramView{
		Path: path, Group: group, Label: label,
		Value: strconv.FormatFloat(value, 'g', -1, 64),
		Int:   p.Int, Lo: num(p.Lo), Hi: num(p.Hi), LoOpen: p.LoOpen, HiOpen: p.HiOpen || math.IsInf(p.Hi, 1), Range: p.Range(), Doc: p.Doc,
	}
}

func newScenarioView(src Source, cfg *sim.Config) scenarioView {
	v := scenarioView{Name: src.Name, Title: cfg.Name, Description: cfg.Description, YAML: string(src.Src), Sweep: cfg.Sweep != nil}
	v.StepUnit, v.StepUnits = cfg.Units()
	for _, r := range cfg.Regions {
		rv := regionView{ID: r.ID, Name: r.Name, Role: r.Role}
		for _, c := range r.Cities {
			rv.Firms += c.Firms
			rv.Labs += c.Labs
			rv.Cities = append(rv.Cities, cityView{ID: c.ID, Name: c.Name, Firms: c.Firms, Labs: c.Labs})
		}
		v.Regions = append(v.Regions, rv)
	}
	for _, l := range cfg.Links {
		a, b := l.Ends()
		v.Links = append(v.Links, linkView{ID: l.ID(), From: a, To: b, Directed: l.Directed(), Friction: l.Friction, Coupling: l.Coupling})
	}
	seed := paramView{Path: "seed", Group: "run", Label: "seed", Value: strconv.FormatUint(cfg.Seed, 10), Int: true, Lo: 0, Hi: num(math.Inf(1)), HiOpen: true, Range: "[0, 2⁶⁴)", Doc: scenarios.SeedDoc}
	v.Settings = []paramView{
		newParamView(paramOf(sim.ScopeScenario, "replications"), "replications", "run", "replications", float64(cfg.Replicates)),
		newParamView(paramOf(sim.ScopeScenario, "steps"), "steps", "run", "steps", float64(cfg.Steps)),
		seed,
	}
	v.Params = append(v.Params, newParamView(paramOf(sim.ScopeScenario, "diffusion.q"), "diffusion.q", "diffusion", "q (imitation)", cfg.Diffusion.Q))
	for _, r := range cfg.Regions {
		group := "region " + r.ID
		if r.Role != "" {
			group += " (" + r.Role + ")"
		}
		v.Params = append(v.Params,
			newParamView(paramOf(sim.ScopeRegion, "p"), "regions."+r.ID+".p", group, "p", r.P),
			newParamView(paramOf(sim.ScopeRegion, "reach"), "regions."+r.ID+".reach", group, "reach", r.Reach),
			newParamView(paramOf(sim.ScopeRegion, "pull"), "regions."+r.ID+".pull", group, "pull", r.Pull),
		)
	}
	for _, l := range cfg.Links {
		group := "link " + l.ID()
		v.Params = append(v.Params,
			newParamView(paramOf(sim.ScopeLink, "friction"), "links."+l.ID()+".friction", group, "friction", l.Friction),
			newParamView(paramOf(sim.ScopeLink, "coupling"), "links."+l.ID()+".coupling", group, "coupling", l.Coupling),
		)
	}
	return v
}

// bandsView is each region's adoption share by step over some runs: the
// mean and its 95 % interval (output.Bands).
type bandsView struct {
	Runs int `json:"runs"`
	// Reached, while the runs go on, is by step the runs that have
	// computed it, finished or not: the curves' means are over those.
	Reached []int      `json:"reached,omitempty"`
	Steps   []int      `json:"steps"`
	Regions []bandView `json:"regions"`
}

type bandView struct {
	Region string `json:"region"`
	Mean   []num  `json:"mean"`
	Low    []num  `json:"low"`
	High   []num  `json:"high"`
}

// newBandsView returns the curves of runs of cfg, which may be some of its
// runs in any order (output.Bands orders them by replicate).
func newBandsView(cfg *sim.Config, runs []*sim.RunResult) *bandsView {
	bands := output.Bands(&sim.Result{Config: *cfg, Regions: cfg.RegionIDs(), Runs: runs})
	if bands == nil {
		return nil
	}
	v := &bandsView{Runs: len(runs), Steps: bands[0].Steps}
	for _, b := range bands {
		v.Regions = append(v.Regions, bandView{Region: b.Region, Mean: nums(b.Mean), Low: nums(b.Low), High: nums(b.High)})
	}
	return v
}

// resultView is a finished run as the page shows it.
type resultView struct {
	// Headline is output.Headline's table, as `triad run` prints it, and
	// Table the same figures with their intervals, for an HTML table.
	Headline string        `json:"headline"`
	Table    *headlineView `json:"table"`
	Bands    *bandsView    `json:"bands"`
	Pipeline struct {
		Steps          []int `json:"steps"`
		Discovered     []num `json:"discovered"`
		Commercialized []num `json:"commercialized"`
		Lost           []num `json:"lost"`
	} `json:"pipeline"`
	Transfer struct {
		Regions []string `json:"regions"`
		Mean    [][]num  `json:"mean"`
	} `json:"transfer"`
	// Flows[k][o][d] is the mean number of innovations from region o
	// commercialized in region d up to step FlowSteps[k], for the
	// animation.
	FlowSteps []int     `json:"flowSteps"`
	Flows     [][][]num `json:"flows"`
	// Cities is the city view's data (nil when the runner did not watch
	// the cities).
	Cities *citiesView `json:"cities,omitempty"`
	// Batch is a batch's figures by point; a batch has nothing else.
	Batch    *batchView   `json:"batch,omitempty"`
	Summary  []statView   `json:"summary"`
	Policies []policyView `json:"policies"`
}

type statView struct {
	Metric string `json:"metric"`
	Region string `json:"region"`
	N      int    `json:"n"`
	Mean   num    `json:"mean"`
	Low    num    `json:"low"`
	High   num    `json:"high"`
}

type policyView struct {
	At   int    `json:"at"`
	Name string `json:"name"`
}

// maxFrames is the most frames the animation of flows has.
const maxFrames = 240

// newResultView returns what the page shows of every run of cfg, given in
// replicate order with their innovation logs: the functions of output that
// triad run's tables and charts use, and the flows of the animation.
func newResultView(cfg *sim.Config, runs []*sim.RunResult) *resultView {
	res := &sim.Result{Config: *cfg, Regions: cfg.RegionIDs(), Runs: runs}
	v := &resultView{Bands: newBandsView(cfg, runs)}
	v.setTables(res)
	p := output.MeanPipeline(res)
	v.Pipeline.Steps = p.Discovered.Steps
	v.Pipeline.Discovered, v.Pipeline.Commercialized, v.Pipeline.Lost = nums(p.Discovered.Values), nums(p.Commercialized.Values), nums(p.Lost.Values)
	g := output.MeanTransfer(res)
	v.Transfer.Regions = g.Regions
	for _, row := range g.Mean {
		v.Transfer.Mean = append(v.Transfer.Mean, nums(row))
	}
	v.FlowSteps, v.Flows = flows(cfg, runs)
	return v
}

// setTables sets the headline table, the summary and the policies of
// res, whose runs may be slim (see slim): the tables need only their
// figures.
func (v *resultView) setTables(res *sim.Result) {
	s := output.Summarize(res.Regions, res.Runs)
	var b bytes.Buffer
	if err := output.Headline(&b, res, s); err == nil {
		v.Headline = b.String()
	}
	v.Table = newHeadlineView(res, s)
	for _, st := range s {
		v.Summary = append(v.Summary, statView{Metric: st.Metric, Region: st.Region, N: st.N, Mean: num(st.Mean), Low: num(st.CILow), High: num(st.CIHigh)})
	}
	for _, pol := range res.Config.Policies {
		v.Policies = append(v.Policies, policyView{At: pol.At, Name: pol.Name})
	}
}

// slim returns the figures of run without its rows by step, its lags and
// its innovation log: one row per region of the n (its discoveries,
// commercializations and losses summed over the steps, its adoption share
// and counts at the last step) and the median lag as the only lag. Its
// Metrics are run's, so that summaries and comparisons of slim runs are
// those of the runs, and it takes a few hundred bytes where the run may
// take megabytes.
func slim(run *sim.RunResult, n int) *sim.RunResult {
	s := &sim.RunResult{
		Point: run.Point, Replicate: run.Replicate, Seed: run.Seed,
		Rows:                  make([]sim.Row, n),
		T50:                   slices.Clone(run.T50),
		Reached50:             slices.Clone(run.Reached50),
		T50KM:                 slices.Clone(run.T50KM),
		CommercializationRate: run.CommercializationRate,
		Trials:                run.Trials,
	}
	for a := range run.AdoptionAt {
		s.AdoptionAt[a] = slices.Clone(run.AdoptionAt[a])
	}
	for _, row := range run.Transfer {
		s.Transfer = append(s.Transfer, slices.Clone(row))
	}
	if len(run.Lags) > 0 {
		// The median is one of the lags (gonum's empirical quantile).
		s.Lags = []int{int(run.MedianLag())}
	}
	for _, row := range run.Rows {
		r := &s.Rows[row.Region]
		d, c, l := r.Discovered+row.Discovered, r.Commercialized+row.Commercialized, r.Lost+row.Lost
		*r = row // the rows are in step order: the last step's stays
		r.Discovered, r.Commercialized, r.Lost = d, c, l
	}
	return s
}

// frameSteps returns the steps of the animation's frames: every step, or
// every few steps when there are more than maxFrames, and the last.
func frameSteps(n int) []int {
	stride := max(1, (n+maxFrames-1)/maxFrames)
	var steps []int
	for t := stride - 1; t < n; t += stride {
		steps = append(steps, t)
	}
	if len(steps) == 0 || steps[len(steps)-1] != n-1 {
		steps = append(steps, n-1)
	}
	return steps
}

// flows returns, at up to maxFrames steps, the mean number of innovations
// of each origin commercialized in each region up to that step, from the
// runs' innovation logs.
func flows(cfg *sim.Config, runs []*sim.RunResult) ([]int, [][][]num) {
	n := len(cfg.Regions)
	steps := frameSteps(cfg.Steps)
	// counts[k][o][d] over all runs.
	counts := make([][][]float64, len(steps))
	for k := range counts {
		counts[k] = make([][]float64, n)
		for o := range n {
			counts[k][o] = make([]float64, n)
		}
	}
	for _, run := range runs {
		for _, inn := range run.Innovations {
			if inn.Fate != sim.FateCommercialized || inn.Discovered < 0 || inn.Region < 0 {
				continue
			}
			for k, t := range steps {
				if inn.FateStep <= t {
					counts[k][inn.Origin][inn.Region]++
				}
			}
		}
	}
	out := make([][][]num, len(steps))
	for k := range steps {
		out[k] = make([][]num, n)
		for o := range n {
			out[k][o] = make([]num, n)
			for d := range n {
				out[k][o][d] = num(counts[k][o][d] / float64(max(1, len(runs))))
			}
		}
	}
	return steps, out
}

// compareView is output.Compare's outcome for two runs.
type compareView struct {
	Sets   []string         `json:"sets"`
	Paired bool             `json:"paired"`
	Why    string           `json:"why"`
	Rows   []compareRowView `json:"rows"`
}

type compareRowView struct {
	Metric string `json:"metric"`
	Region string `json:"region"`
	A      num    `json:"a"`
	B      num    `json:"b"`
	Diff   num    `json:"diff"`
	Low    num    `json:"low"`
	High   num    `json:"high"`
	Test   string `json:"test"`
	PAdj   num    `json:"pAdj"`
}

func newCompareView(c output.Comparison) compareView {
	v := compareView{Sets: c.Sets}
	if len(c.Pairing) > 0 {
		v.Paired, v.Why = c.Pairing[0].Paired, c.Pairing[0].Why
	}
	for _, r := range c.Rows {
		d := r.Diffs[0]
		v.Rows = append(v.Rows, compareRowView{Metric: r.Metric, Region: r.Region, A: num(r.Stats[0].Mean), B: num(r.Stats[1].Mean), Diff: num(d.Mean), Low: num(d.CILow), High: num(d.CIHigh), Test: d.Test, PAdj: num(d.PAdj)})
	}
	return v
}
