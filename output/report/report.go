package report

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// Data is what Write puts on the page, as typed values: the scenario, the
// summaries, the comparison and the charts of one output folder. Every
// field is optional; a section without its data is left out.
type Data struct {
	// Scenario is the resolved scenario of the runs (the manifest's), or
	// nil for a folder without one.
	Scenario *sim.Config
	// Version is the version of triad that made the results.
	Version string
	// output.Summary is the summary of a run without a sweep (nil for none).
	Summary output.Summary
	// Sweep is the summary of a sweep's points (nil for none).
	Sweep *Sweep
	// Compare is a comparison (nil for none).
	Compare *output.Comparison
	// Sensitivity is a global sensitivity analysis (nil for none).
	Sensitivity *output.SensitivityResult
	// Optimize is an optimization (nil for none).
	Optimize *Optimize
	// Fit is a calibration (nil for none; fit.go).
	Fit *Fit
	// Plots are the SVG charts, in the order to show them within their
	// section.
	Plots []Plot
}

// Sweep is the summary of a sweep: its swept paths and each point's
// summary.
type Sweep struct {
	Paths  []string
	Points []output.PointSummary
}

// Kind is what a chart shows, which chooses its section and caption.
type Kind int

// The kinds of chart an output folder holds.
const (
	// Other is a chart the report does not know: it goes with the run's
	// charts, titled by its name.
	Other Kind = iota
	Adoption
	Pipeline
	Transfer
	// PointAdoption is the adoption chart of one sweep point (Plot.Point).
	PointAdoption
	// SweepFigure is a figure (Plot.Metric, one of output.SweepFigures)
	// against a swept parameter (Plot.Path); with output.Metric "" a sweep chart
	// the report does not know.
	SweepFigure
	// CompareCurves, CompareDiff and CompareEffects are a comparison's
	// curves, difference over time and differences with their intervals.
	CompareCurves
	CompareDiff
	CompareEffects
	// SensitivityFigure is the chart of a sensitivity analysis for one
	// figure (Plot.Metric) of the whole scenario or of one region
	// (Plot.Region, "" for the whole scenario).
	SensitivityFigure
	// Posterior is the posterior of a fitted parameter (Plot.Path, its
	// label).
	Posterior
)

// Plot is one SVG chart of an output folder.
type Plot struct {
	Kind Kind
	// Name is the chart's file name without folder and extension, such
	// as "adoption": the anchor of its section on the page.
	Name string
	// Point is the sweep point of a PointAdoption chart; output.Metric and Path
	// the figure and swept path of a SweepFigure chart.
	Point        int
	Metric, Path string
	// Region is the region of a SensitivityFigure chart ("" for the whole
	// scenario).
	Region string
	// SVG is the chart as package output/chart writes it.
	SVG []byte
}

// maxReportPoints caps the rows of a sweep's points table; points.csv and
// summary.csv hold them all.
const maxReportPoints = 100

//go:embed report.html.tmpl
var reportSource string

// reportTemplate is the page. html/template escapes every value by its
// context, so no text from a scenario can add markup or script.
var reportTemplate = template.Must(template.New("report").Parse(reportSource))

// Write writes d as one self-contained HTML page (inline CSS and SVG,
// no scripts, no external resources): the scenario's name and description,
// the headline figures per region with their 95 % confidence intervals,
// every chart with a caption, the transfer matrix, the timed policies on a
// timeline and the parameters as tables; for a sweep the design and the
// figures of each point instead of the headline table; for a comparison
// its table. The page reads on a screen and prints to PDF with each
// section on a new page and no figure cut.
//
// The same Data gives the same bytes. It returns an error when a chart is
// not a plain SVG drawing (it refuses scripts, event handlers, foreign
// objects and external references). A figure that is not finite (NaN or
// ±Inf) is shown as missing, as the JSON files write it.
func Write(w io.Writer, d Data) error {
	v, err := newReportView(d)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, v); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// reportView is what the template reads: text and numbers formatted, the
// structure decided.
type reportView struct {
	Title       string
	Description string
	Facts       []string
	Version     string
	Nav         []navItem

	Headline *headlineView
	Plots    []plotView
	Transfer *matrixView
	Sweep    *sweepView
	Compare  *compareView
	Timeline *timelineView
	Params   *paramsView

	// Sensitivity is the sensitivity analysis (sensitivity.go).
	Sensitivity *sensitivityView
	// Optimize is the optimization (optimize.go).
	Optimize *optimizeView

	// U names the scenario's step in words ("month" and "months").
	U output.Units
	// Fit is the calibration (fit.go).
	Fit *fitView
}

type navItem struct{ ID, Label string }

// ciCell is a number with its 95 % confidence interval, formatted.
type ciCell struct {
	Mean string
	CI   string // "low–high", or "" when there is none
	Note string // such as "in 2 of 3 runs"
}

type regionRef struct {
	ID, Name, Role string
	Color          int // the region's colour class, c0 to c6, as in the charts
}

type headlineView struct {
	// Heads name the columns of output.HeadlineFigures, from the catalogue.
	Heads   []string
	Runs    int
	Rows    []headlineRow
	Total   headlineRow
	Lost    ciCell
	Lag     ciCell
	HasLost bool
	HasLag  bool
	// Posterior says, for a posterior predictive run, what the
	// replications drew their parameters from ("" otherwise).
	Posterior string
}

type headlineRow struct {
	Region         regionRef
	Discovered     ciCell
	Commercialized ciCell
	Share          ciCell
	Adoption24     ciCell // adoption at a product age of 24 steps, the headline diffusion figure
	T50            ciCell
	Reached50      ciCell // share of products that got to 50 %, beside t50
	T50KM          ciCell // Kaplan–Meier t50, which counts the products that did not get there
}

type plotView struct {
	plot    Plot
	ID      string
	Title   string
	Caption string
	SVG     template.HTML
}

type matrixView struct {
	Regions []regionRef
	Rows    []matrixRow
	ColSums []string
	Total   string
}

type matrixRow struct {
	Region regionRef
	Cells  []matrixCell
	Sum    string
}

type matrixCell struct {
	Value string
	Shade int // 0 (zero) to 5 (the largest)
	Diag  bool
}

type sweepView struct {
	// Seeds says how the points' runs are seeded, when the scenario is
	// known.
	Seeds      string
	Design     string
	Params     []sweepParamView
	Points     int
	Replicates string
	Regions    []regionRef
	Tables     []pointTable
	Hidden     int
	Plots      []plotView
	PointPlots []plotView
}

// pointTable is one figure per region at each sweep point.
type pointTable struct {
	Title string
	Rows  []pointRow
}

type sweepParamView struct{ Path, Values string }

type pointRow struct {
	Point  int
	Values []string
	Runs   int
	Cells  []string
}

type compareView struct {
	Sets  []compareSet
	Later []string // labels of the sets after the first
	Base  string
	// Why says for each later set which test compared it and why;
	// Adjustment how the p-values were adjusted.
	Why        []string
	Adjustment string
	Rows       []compareRowView
	Plots      []plotView
}

type compareSet struct {
	Label string
	Runs  int
}

type compareRowView struct {
	Figure string
	First  bool // the first row of its figure
	Region string
	Stats  []ciCell
	Diffs  []diffCell
}

type diffCell struct {
	Diff        ciCell
	Effect      string
	P, PAdj     string
	Significant bool // the adjusted p is below output.Significance
}

type timelineView struct {
	Steps    int
	Ticks    []timeTick
	Policies []policyView
}

type timeTick struct {
	Left  float64 // percent of the track
	Label string
}

type policyView struct {
	Name     string
	At       int
	Left     float64 // percent of the track
	Width    float64
	Settings []string
}

type paramsView struct {
	General []paramRow
	Regions []regionParams
	Cities  []cityParams
	Links   *linkMatrices
	Initial []string
	Sweep   []sweepParamView
	Design  string
}

type paramRow struct{ Name, Value, Meaning string }

type regionParams struct {
	Region              regionRef
	P, Q, Reach, Local  string
	Pull                string
	Cities, Labs, Firms int
	QDefault            bool
}

type cityParams struct {
	ID, Name            string
	Labs, Firms         int
	Research, Transform string
	Capability          string
	// Region is the city's region; FirstOfRegion marks the region's
	// first city, whose row carries the region's cell spanning
	// RegionCities rows.
	Region        regionRef
	FirstOfRegion bool
	RegionCities  int
}

type linkMatrices struct {
	Regions  []regionRef
	Friction [][]linkCell
	Coupling [][]linkCell
	// DefFric and DefCoup are the default link's friction and coupling.
	DefFric, DefCoup string
}

type linkCell struct {
	Value   string
	Default bool
}

func newReportView(r Data) (*reportView, error) {
	v := &reportView{Version: r.Version, U: output.StepUnits}
	cfg := r.Scenario
	if cfg != nil {
		v.U = output.UnitsOf(cfg)
	} else if r.Compare != nil {
		v.U = r.Compare.Units
	}
	var regions []regionRef
	if cfg != nil {
		v.Title = cfg.Name
		v.Description = cfg.Description
		for i, reg := range cfg.Regions {
			regions = append(regions, regionRef{ID: reg.ID, Name: otherName(reg.Name, reg.ID), Role: reg.Role, Color: i % len(output.RegionColors)})
		}
		v.Facts = scenarioFacts(cfg)
	}
	if v.Title == "" {
		v.Title = "scenario"
	}

	plots := map[string][]plotView{}
	var pointNames map[int]string
	if r.Sweep != nil {
		pointNames = map[int]string{}
		for _, p := range r.Sweep.Points {
			pointNames[p.Point.Index] = pointLabel(r.Sweep.Paths, p.Point)
		}
	}
	for _, p := range r.Plots {
		svg, err := inlineSVG(p.SVG)
		if err != nil {
			return nil, fmt.Errorf("plot %s: %w", p.Name, err)
		}
		group, title, caption := plotText(p, cfg, pointNames)
		plots[group] = append(plots[group], plotView{plot: p, ID: "plot-" + slugID(p.Name), Title: title, Caption: caption, SVG: svg})
	}
	v.Plots = orderPlots(plots["main"])
	slices.SortStableFunc(plots["sweep"], func(a, b plotView) int { return cmpSweepPlots(a.plot, b.plot) })

	if r.Summary != nil {
		s := finiteSummary(r.Summary)
		v.Headline = newHeadline(s, cfg, regions)
		if cfg != nil && cfg.Posterior != nil {
			v.Headline.Posterior = posteriorNote(cfg.Posterior)
		}
		v.Transfer = newMatrix(s, regions)
	}
	if r.Sweep != nil {
		v.Sweep = newSweepView(r.Sweep, cfg, regions)
	}
	if v.Sweep == nil && (len(plots["sweep"]) > 0 || len(plots["point"]) > 0) {
		v.Sweep = &sweepView{}
	}
	if v.Sweep != nil {
		v.Sweep.Plots = plots["sweep"]
		v.Sweep.PointPlots = plots["point"]
	}
	if r.Sensitivity != nil {
		v.Sensitivity = newSensitivityView(r.Sensitivity, cfg, plots["sensitivity"])
	} else {
		v.Plots = append(v.Plots, plots["sensitivity"]...)
	}
	if r.Optimize != nil {
		v.Optimize = &optimizeView{Optimize: r.Optimize}
		v.Plots = slices.DeleteFunc(v.Plots, func(p plotView) bool {
			if strings.HasPrefix(p.plot.Name, "optimize-") {
				p.Title, p.Caption = optimizePlotText(p.plot.Name)
				v.Optimize.Plots = append(v.Optimize.Plots, p)
				return true
			}
			return false
		})
	}
	if r.Fit != nil {
		v.Fit = newFitView(r.Fit, plots["fit"])
	} else {
		v.Plots = append(v.Plots, plots["fit"]...)
	}
	if r.Compare != nil {
		c, err := newCompareView(r.Compare)
		if err != nil {
			return nil, fmt.Errorf("comparison: %w", err)
		}
		c.Plots = plots["compare"]
		v.Compare = c
		if cfg == nil {
			v.Title = "comparison"
			v.Description = "Comparing " + strings.Join(setLabels(c.Sets), ", ") + "."
		}
	} else if len(plots["compare"]) > 0 {
		v.Plots = append(v.Plots, plots["compare"]...)
	}
	if cfg != nil {
		v.Timeline = newTimeline(cfg)
		v.Params = newParams(cfg, regions)
	}

	if v.Optimize != nil {
		v.Nav = append(v.Nav, navItem{"optimize", "Optimization"})
	}
	if v.Fit != nil {
		v.Nav = append(v.Nav, navItem{"fit", "Fit"})
	}
	if v.Compare != nil {
		v.Nav = append(v.Nav, navItem{"comparison", "Comparison"})
	}
	if v.Headline != nil {
		v.Nav = append(v.Nav, navItem{"results", "Results"})
	}
	if v.Sensitivity != nil {
		v.Nav = append(v.Nav, navItem{"sensitivity", "Sensitivity"})
	}
	if v.Sweep != nil {
		v.Nav = append(v.Nav, navItem{"sweep", "Sweep"})
	}
	if v.Timeline != nil {
		v.Nav = append(v.Nav, navItem{"policies", "Policies"})
	}
	if len(v.Plots) > 0 {
		v.Nav = append(v.Nav, navItem{"plots", "Charts"})
	}
	if v.Transfer != nil {
		v.Nav = append(v.Nav, navItem{"transfer", "Transfers"})
	}
	if v.Params != nil {
		v.Nav = append(v.Nav, navItem{"parameters", "Parameters"})
	}
	return v, nil
}

// otherName returns name, or "" when it only repeats id.
func otherName(name, id string) string {
	if strings.EqualFold(name, id) {
		return ""
	}
	return name
}

// scenarioFacts returns the scenario's size and set-up in a few phrases.
func scenarioFacts(cfg *sim.Config) []string {
	cities, labs, firms := 0, 0, 0
	for _, r := range cfg.Regions {
		cities += len(r.Cities)
		for _, c := range r.Cities {
			labs += c.Labs
			firms += c.Firms
		}
	}
	facts := []string{
		countNoun(len(cfg.Regions), "region", "regions") + ", " + countNoun(cities, "city", "cities"),
		countNoun(labs, "lab", "labs") + ", " + countNoun(firms, "firm", "firms"),
		countNoun(cfg.Steps, output.UnitsOf(cfg).One, output.UnitsOf(cfg).Many),
		countNoun(cfg.Replicates, "replication", "replications"),
		"seed " + strconv.FormatUint(cfg.Seed, 10),
	}
	if n := len(cfg.Policies); n > 0 {
		facts = append(facts, countNoun(n, "timed policy", "timed policies"))
	}
	if cfg.Sweep != nil {
		facts = append(facts, countNoun(len(cfg.Points()), "sweep point", "sweep points"))
	}
	if cfg.Posterior != nil {
		facts = append(facts, "parameters drawn from a fit's posterior")
	}
	return facts
}

// posteriorNote says what the replications of a posterior predictive run
// drew their parameters from.
func posteriorNote(p *sim.Posterior) string {
	var names []string
	for _, q := range p.Params {
		names = append(names, strings.Join(q.Paths, " and "))
	}
	return fmt.Sprintf("A posterior predictive run: each run drew %s from the %s weighted particles of the fit %s, so the intervals carry what the fit left uncertain as well as the model's chance.",
		strings.Join(names, ", "), strconv.Itoa(len(p.Weights)), p.Fit)
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// finite returns st with its figures that are not finite (±Inf) made
// NaN: the report shows them as missing, as the JSON files write them.
func finite(st output.Stat) output.Stat {
	for _, v := range []*float64{&st.Mean, &st.SD, &st.Median, &st.CILow, &st.CIHigh} {
		*v = finiteOr(*v)
	}
	return st
}

// finiteOr returns v, or NaN when v is ±Inf.
func finiteOr(v float64) float64 {
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}

// finiteSummary is s with every output.Stat made finite.
func finiteSummary(s output.Summary) output.Summary {
	out := make(output.Summary, len(s))
	for i, st := range s {
		out[i] = finite(st)
	}
	return out
}

// regionsOf returns the scenario's regions, or those the summary names in
// its order when there is no scenario.
func regionsOf(s output.Summary, regions []regionRef) []regionRef {
	if regions != nil {
		return regions
	}
	var out []regionRef
	for _, st := range s {
		if st.Region != "" && !slices.ContainsFunc(out, func(r regionRef) bool { return r.ID == st.Region }) {
			out = append(out, regionRef{ID: st.Region, Color: len(out) % len(output.RegionColors)})
		}
	}
	return out
}

// numFormat formats a figure's numbers: scale multiplies them (100 for a
// percentage) and suffix follows them.
type numFormat struct {
	verb   string
	scale  float64
	suffix string
	// share marks a figure in [0, 1].
	share bool
}

var (
	countFormat   = numFormat{"%.1f", 1, "", false}
	stepsFormat   = numFormat{"%.1f", 1, "", false}
	percentFormat = numFormat{"%.1f", 100, " %", true}
)

func (f numFormat) format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := fmt.Sprintf(f.verb, v*f.scale)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.0"
	}
	return strings.Replace(s, "-", "−", 1) + f.suffix
}

// cellOf formats a output.Stat as its mean and interval.
func cellOf(st output.Stat, f numFormat) ciCell {
	c := ciCell{Mean: f.format(st.Mean)}
	lo, hi := st.CILow, st.CIHigh
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return c
	}
	if f.share {
		// A share lies in [0, 1], whatever the normal approximation
		// says (as in the sweep charts).
		lo, hi = output.Clip01(lo), output.Clip01(hi)
	}
	g := f
	g.suffix = ""
	sep := "–"
	if lo < 0 {
		sep = " to "
	}
	c.CI = g.format(lo) + sep + f.format(hi)
	return c
}

// fmtMeanPM formats a output.Stat as "mean ± half-width" for the compact tables.
func fmtMeanPM(st output.Stat, f numFormat) string {
	s := f.format(st.Mean)
	if h := st.HalfWidth(); !math.IsNaN(h) && !math.IsNaN(st.Mean) {
		g := f
		g.suffix = ""
		s = g.format(st.Mean) + " ± " + f.format(h)
	}
	return s
}

func newHeadline(s output.Summary, cfg *sim.Config, regions []regionRef) *headlineView {
	regions = regionsOf(s, regions)
	h := &headlineView{}
	u := output.StepUnits
	if cfg != nil {
		u = output.UnitsOf(cfg)
	}
	for _, m := range output.HeadlineFigures {
		h.Heads = append(h.Heads, output.Metric(m).In(u).HeadingLabel())
	}
	for _, st := range s {
		h.Runs = max(h.Runs, st.N)
	}
	if cfg != nil {
		h.Runs = cfg.Replicates
	}
	get := func(m, region string) output.Stat {
		st, ok := s.Get(m, region)
		if !ok {
			nan := math.NaN()
			return output.Stat{Metric: m, Region: region, Mean: nan, SD: nan, Median: nan, CILow: nan, CIHigh: nan}
		}
		return st
	}
	cell := func(m, region string) ciCell { return cellOf(get(m, region), formatOf(m)) }
	for _, r := range regions {
		row := headlineRow{
			Region:         r,
			Discovered:     cell(sim.MetricDiscovered, r.ID),
			Commercialized: cell(sim.MetricCommercialized, r.ID),
			Share:          cell(sim.MetricCommercialShare, r.ID),
			Adoption24:     cell(sim.MetricAdoptionAt24, r.ID),
			Reached50:      cell(sim.MetricReached50, r.ID),
			T50KM:          cell(sim.MetricT50KM, r.ID),
		}
		t50 := get(sim.MetricT50, r.ID)
		row.T50 = cellOf(t50, formatOf(sim.MetricT50))
		if t50.N < h.Runs {
			row.T50.Note = fmt.Sprintf("in %d of %d runs", t50.N, h.Runs)
		}
		h.Rows = append(h.Rows, row)
	}
	h.Total = headlineRow{
		Discovered:     cell(sim.MetricDiscovered, ""),
		Commercialized: cell(sim.MetricCommercialized, ""),
	}
	if st, ok := s.Get(sim.MetricLost, ""); ok {
		h.Lost, h.HasLost = cellOf(st, formatOf(sim.MetricLost)), true
	}
	if st, ok := s.Get(sim.MetricLagMedian, ""); ok {
		h.Lag, h.HasLag = cellOf(st, formatOf(sim.MetricLagMedian)), true
	}
	return h
}

func newMatrix(s output.Summary, regions []regionRef) *matrixView {
	transfer := map[[2]string]float64{}
	for _, st := range s {
		if to, ok := strings.CutPrefix(st.Metric, sim.MetricTransferToPrefix); ok {
			transfer[[2]string{st.Region, to}] = st.Mean
		}
	}
	if len(transfer) == 0 {
		return nil
	}
	if regions == nil {
		regions = regionsOf(s, nil)
	}
	m := &matrixView{Regions: regions}
	top := 0.0
	val := func(o, d string) float64 {
		if v, ok := transfer[[2]string{o, d}]; ok {
			return v
		}
		return math.NaN()
	}
	for _, o := range regions {
		for _, d := range regions {
			if v := val(o.ID, d.ID); !math.IsNaN(v) {
				top = math.Max(top, v)
			}
		}
	}
	f := countFormat
	if top >= 100 {
		f.verb = "%.0f"
	}
	cols := make([]float64, len(regions))
	total := 0.0
	for _, o := range regions {
		row := matrixRow{Region: o}
		rs := 0.0
		for j, d := range regions {
			v := val(o.ID, d.ID)
			c := matrixCell{Value: f.format(v), Diag: o.ID == d.ID}
			if !math.IsNaN(v) {
				rs += v
				cols[j] += v
				if top > 0 && v > 0 {
					c.Shade = 1 + int(math.Min(4, math.Floor(5*v/top)))
				}
			}
			row.Cells = append(row.Cells, c)
		}
		row.Sum = f.format(rs)
		total += rs
		m.Rows = append(m.Rows, row)
	}
	for _, c := range cols {
		m.ColSums = append(m.ColSums, f.format(c))
	}
	m.Total = f.format(total)
	return m
}

// pointFigures are the figures of the tables of a sweep's points, in order.
var pointFigures = []string{sim.MetricAdoptionAt24, sim.MetricT50, sim.MetricReached50, sim.MetricCommercialShare}

func newSweepView(sw *Sweep, cfg *sim.Config, regions []regionRef) *sweepView {
	sv := &sweepView{Points: len(sw.Points)}
	if len(sw.Points) > 0 {
		regions = regionsOf(sw.Points[0].Summary, regions)
	}
	sv.Regions = regions
	if cfg != nil && cfg.Sweep != nil {
		sv.Design = designName(cfg.Sweep)
		sv.Params = sweepParams(cfg.Sweep)
		sv.Seeds = "Replicate r of every point runs on the same seed (common random numbers), so the points differ only by the swept values, and sweep-diff.csv beside this report holds each point's paired difference to point 0 per headline figure, with its 95 % interval, effect size and Benjamini–Hochberg adjusted p."
		if len(sw.Points) < 2 {
			sv.Seeds = ""
		} else if cfg.Sweep.Seeds == sim.SeedsIndependent {
			sv.Seeds = "Every run has its own seed (seeds: independent): sweep-diff.csv compares each point with point 0 by Welch's t-test, with Benjamini–Hochberg adjusted p."
		}
	} else {
		for _, p := range sw.Paths {
			sv.Params = append(sv.Params, sweepParamView{Path: p})
		}
	}
	type figure struct {
		metric string
		f      numFormat
	}
	var figures []figure
	for _, m := range pointFigures {
		f := formatOf(m)
		f.suffix = "" // the table's title gives the unit
		figures = append(figures, figure{m, f})
		sv.Tables = append(sv.Tables, pointTable{Title: output.Metric(m).In(output.UnitsOf(cfg)).PointsTitle})
	}
	lo, hi := math.MaxInt, 0
	for k, p := range sw.Points {
		lo, hi = min(lo, p.Runs), max(hi, p.Runs)
		if k >= maxReportPoints {
			sv.Hidden++
			continue
		}
		s := finiteSummary(p.Summary)
		var values []string
		for d := range sw.Paths {
			values = append(values, paramNum(p.Point.Values[d]))
		}
		for i, fig := range figures {
			row := pointRow{Point: p.Point.Index, Values: values, Runs: p.Runs}
			for _, r := range regions {
				st, ok := s.Get(fig.metric, r.ID)
				c := "–"
				if ok && st.N > 0 {
					c = fmtMeanPM(st, fig.f)
				}
				if ok && st.N > 0 && st.N < p.Runs {
					c += fmt.Sprintf(" (%d/%d)", st.N, p.Runs)
				}
				row.Cells = append(row.Cells, c)
			}
			sv.Tables[i].Rows = append(sv.Tables[i].Rows, row)
		}
	}
	switch {
	case hi == 0:
		sv.Replicates = "0"
	case lo == hi:
		sv.Replicates = strconv.Itoa(hi)
	default:
		sv.Replicates = fmt.Sprintf("%d–%d", lo, hi)
	}
	return sv
}

func designName(sw *sim.Sweep) string {
	if sw.Design == sim.DesignLatinHypercube {
		return "Latin hypercube of " + countNoun(sw.Points, "point", "points")
	}
	if sw.IsSensitivity() {
		return sensitivityDesignName(sw)
	}
	return "grid: every combination of the values"
}

func sweepParams(sw *sim.Sweep) []sweepParamView {
	var out []sweepParamView
	for _, p := range sw.Params {
		pv := sweepParamView{Path: p.Path}
		switch {
		case len(p.Values) > 0:
			vs := make([]string, len(p.Values))
			for i, v := range p.Values {
				vs[i] = paramValue(&v)
			}
			pv.Values = strings.Join(vs, ", ")
		case p.From != nil && p.To != nil:
			pv.Values = "from " + paramValue(p.From) + " to " + paramValue(p.To)
			if p.Step != nil {
				pv.Values += " in steps of " + paramValue(p.Step)
			}
		}
		out = append(out, pv)
	}
	return out
}

// paramValue formats a parameter as typed: the shortest decimal that reads
// back exactly, without an exponent.
func paramValue(p *float64) string {
	if p == nil {
		return "–"
	}
	return paramNum(*p)
}

func paramNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// pointLabel names a sweep point by its values.
func pointLabel(paths []string, p sim.Point) string {
	parts := make([]string, len(paths))
	for i, path := range paths {
		parts[i] = path + " = " + paramNum(p.Values[i])
	}
	return fmt.Sprintf("point %d: %s", p.Index, strings.Join(parts, ", "))
}

func newCompareView(cmp *output.Comparison) (*compareView, error) {
	if len(cmp.Sets) == 0 {
		return nil, errors.New("no sets")
	}
	c := &compareView{Base: cmp.Sets[0], Adjustment: cmp.Adjustment()}
	for i, label := range cmp.Sets {
		c.Sets = append(c.Sets, compareSet{Label: label, Runs: cmp.Runs[i]})
		if i > 0 {
			c.Later = append(c.Later, label)
			if why := cmp.Pairing[i-1].Why; why != "" {
				c.Why = append(c.Why, label+" vs "+c.Base+": "+why)
			}
		}
	}
	prev := ""
	for _, m := range cmp.Rows {
		f := formatOf(m.Metric)
		row := compareRowView{Figure: output.Metric(m.Metric).In(cmp.Units).HeadingLabel(), First: m.Metric != prev, Region: m.Region}
		prev = m.Metric
		if row.Region == "" {
			row.Region = "all"
		}
		for i, st := range m.Stats {
			st = finite(st)
			cl := cellOf(st, f)
			if i < len(cmp.Sets) && st.N < cmp.Runs[i] {
				cl.Note = fmt.Sprintf("in %d of %d runs", st.N, cmp.Runs[i])
			}
			row.Stats = append(row.Stats, cl)
			if i == 0 {
				continue
			}
			diff := m.Diffs[i-1]
			d := diffCell{Diff: ciCell{Mean: "–"}, Effect: "–", P: "–", PAdj: "–"}
			st := output.Stat{Mean: finiteOr(diff.Mean), CILow: finiteOr(diff.CILow), CIHigh: finiteOr(diff.CIHigh)}
			df := f
			df.share = false // a difference of shares lies in [-1, 1]
			d.Diff = cellOf(st, df)
			if !math.IsNaN(st.Mean) && st.Mean > 0 {
				d.Diff.Mean = "+" + d.Diff.Mean
			}
			if e := finiteOr(diff.Effect); !math.IsNaN(e) {
				d.Effect = diff.EffectName() + " " + output.FormatEffect(e)
			}
			if p := finiteOr(diff.P); !math.IsNaN(p) {
				d.P = output.FormatP(p, false)
			}
			if p := finiteOr(diff.PAdj); !math.IsNaN(p) {
				d.PAdj = output.FormatP(p, true)
				d.Significant = p < output.Significance
			}
			row.Diffs = append(row.Diffs, d)
		}
		c.Rows = append(c.Rows, row)
	}
	return c, nil
}

func setLabels(sets []compareSet) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		out[i] = s.Label
	}
	return out
}

// formatOf is the number format of a figure, from its kind: shares as
// percentages, counts and steps with one decimal.
func formatOf(m string) numFormat {
	switch output.Metric(m).Kind {
	case output.KindShare:
		return percentFormat
	case output.KindSteps:
		return stepsFormat
	}
	return countFormat
}

func newTimeline(cfg *sim.Config) *timelineView {
	t := &timelineView{Steps: cfg.Steps}
	span := float64(max(cfg.Steps, 1))
	pos := func(step int) float64 {
		return math.Round(1000*math.Min(100, math.Max(0, 100*float64(step)/span))) / 1000
	}
	every := niceStep(cfg.Steps)
	for s := 0; s <= cfg.Steps; s += every {
		t.Ticks = append(t.Ticks, timeTick{Left: pos(s), Label: strconv.Itoa(s)})
	}
	if last := t.Ticks[len(t.Ticks)-1]; last.Label != strconv.Itoa(cfg.Steps) && 100-last.Left > 6 {
		t.Ticks = append(t.Ticks, timeTick{Left: 100, Label: strconv.Itoa(cfg.Steps)})
	}
	ps := slices.Clone(cfg.Policies)
	slices.SortStableFunc(ps, func(a, b sim.Policy) int { return a.At - b.At })
	for _, p := range ps {
		pv := policyView{Name: p.Name, At: p.At, Left: pos(p.At)}
		pv.Width = math.Round(1000*(100-pv.Left)) / 1000
		for _, path := range slices.Sorted(maps.Keys(p.Set)) {
			pv.Settings = append(pv.Settings, path+" → "+paramNum(p.Set[path]))
		}
		t.Policies = append(t.Policies, pv)
	}
	return t
}

// niceStep returns a timeTick interval of 1, 2 or 5 times a power of ten that
// puts at most ten ticks on an axis of n steps.
func niceStep(n int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if n/(m*p) <= 10 {
				return m * p
			}
		}
	}
}

func newParams(cfg *sim.Config, regions []regionRef) *paramsView {
	pv := &paramsView{}
	q := paramNum(cfg.Diffusion.Q)
	pv.General = []paramRow{
		{"steps", strconv.Itoa(cfg.Steps), "time steps of every run"},
		{"replications", strconv.Itoa(cfg.Replicates), "independent runs behind every mean and interval"},
		{"seed", strconv.FormatUint(cfg.Seed, 10), "makes the runs reproducible: same scenario and seed, same numbers"},
		{"diffusion.mixing", cfg.Diffusion.Mixing, mixingMeaning(cfg.Diffusion.Mixing)},
		{"diffusion.k", strconv.Itoa(cfg.Diffusion.K), "business contacts per firm"},
		{"diffusion.q", q, "imitation: how strongly adopted contacts pull a firm to adopt"},
		{"transfer.attempts", strconv.Itoa(cfg.Transfer.Attempts), "partner searches per pending breakthrough and step"},
		{"transfer.max_pending", strconv.Itoa(cfg.Transfer.MaxPending), "steps after which a breakthrough no firm took up is lost"},
	}
	for i, r := range cfg.Regions {
		rp := regionParams{
			Region: regions[i],
			P:      paramNum(r.P), Reach: paramNum(r.Reach), Local: paramNum(r.Local), Pull: paramNum(r.Pull),
			Cities: len(r.Cities),
		}
		if r.Q != nil {
			rp.Q = paramNum(*r.Q)
		} else {
			rp.Q, rp.QDefault = q, true
		}
		for k, c := range r.Cities {
			rp.Labs += c.Labs
			rp.Firms += c.Firms
			pv.Cities = append(pv.Cities, cityParams{
				ID: c.ID, Name: otherName(c.Name, c.ID), Labs: c.Labs, Firms: c.Firms,
				Research: paramNum(c.Research), Transform: paramNum(c.Transform),
				Capability:    paramNum(c.Capability.Mean) + " ± " + paramNum(c.Capability.Spread),
				Region:        regions[i],
				FirstOfRegion: k == 0,
				RegionCities:  len(r.Cities),
			})
		}
		pv.Regions = append(pv.Regions, rp)
	}
	pv.Links = newLinks(cfg, regions)
	for _, in := range cfg.Initial {
		pv.Initial = append(pv.Initial, fmt.Sprintf("%s: %s of its firms", in.City, percentFormat.format(in.Share)))
	}
	if cfg.Sweep != nil {
		pv.Design = designName(cfg.Sweep)
		pv.Sweep = sweepParams(cfg.Sweep)
	}
	return pv
}

func mixingMeaning(m string) string {
	if m == sim.MixingWell {
		return "contacts are redrawn at every step"
	}
	return "contacts are drawn once: firms keep their partners"
}

func newLinks(cfg *sim.Config, regions []regionRef) *linkMatrices {
	n := len(cfg.Regions)
	lm := &linkMatrices{Regions: regions,
		DefFric: paramNum(cfg.DefaultLink.Friction), DefCoup: paramNum(cfg.DefaultLink.Coupling)}
	idx := map[string]int{}
	for i, r := range cfg.Regions {
		idx[r.ID] = i
	}
	set := make([][]*sim.LinkParams, n)
	for i := range set {
		set[i] = make([]*sim.LinkParams, n)
	}
	for _, l := range cfg.Links {
		a, okA := idx[l.Between[0]]
		b, okB := idx[l.Between[1]]
		if !okA || !okB {
			continue
		}
		p := l.LinkParams
		set[a][b], set[b][a] = &p, &p
	}
	for i := range n {
		var fr, co []linkCell
		for j := range n {
			p, def := set[i][j], set[i][j] == nil
			if def {
				p = &cfg.DefaultLink
			}
			fr = append(fr, linkCell{Value: paramNum(p.Friction), Default: def})
			co = append(co, linkCell{Value: paramNum(p.Coupling), Default: def})
		}
		lm.Friction = append(lm.Friction, fr)
		lm.Coupling = append(lm.Coupling, co)
	}
	return lm
}

// plotText returns the section a chart goes in ("main", "sweep", "point"
// or "compare"), its title and its caption.
func plotText(p Plot, cfg *sim.Config, points map[int]string) (group, title, caption string) {
	group, title, caption = plotWords(p, cfg, points)
	if cfg != nil {
		u := output.UnitsOf(cfg)
		caption = strings.NewReplacer("step by step", u.One+" by "+u.One, "per step", "per "+u.One).Replace(caption)
	}
	return group, title, caption
}

// plotWords is plotText in steps.
func plotWords(p Plot, cfg *sim.Config, points map[int]string) (group, title, caption string) {
	policies := ""
	if cfg != nil && len(cfg.Policies) > 0 {
		policies = " Dashed vertical lines mark the timed policies."
	}
	switch {
	case p.Kind == Adoption:
		return "main", "Adoption over time",
			"The share of each region's firms that adopted the products commercialized so far (averaged over the products), step by step. " +
				"The line is the mean over the runs, the shaded band its 95 % confidence interval." + policies
	case p.Kind == Pipeline:
		return "main", "The lab-to-market pipeline",
			"Breakthroughs per step in all regions: discovered by labs, commercialized by firms, and lost because no firm took them up in time. Mean over the runs." + policies
	case p.Kind == Transfer:
		return "main", "Where breakthroughs are commercialized",
			"Rows are the region whose labs made a breakthrough, columns the region whose firm turned it into a product; each cell is the mean count per run. " +
				"Large cells off the diagonal mean that one region's research becomes another region's products."
	case p.Kind == CompareDiff:
		return "compare", "The difference over time",
			"For each region, the adoption share of each set minus that of the first set, step by step: the mean difference as a line and its 95 % confidence interval as a shaded band " +
				"(of the per-replicate differences when the runs are paired, Welch's otherwise). Where the band leaves the zero line, the runs show a difference." + policies
	case p.Kind == CompareEffects:
		return "compare", "Every difference with its interval",
			"Each row is one figure of the table above: the difference to the first set in per cent of the first set's mean, with its 95 % confidence interval. " +
				"A filled dot marks a Benjamini–Hochberg adjusted p below 0.05; a whisker that crosses zero is a difference the runs do not show."
	case p.Kind == CompareCurves:
		return "compare", "Adoption in the compared runs",
			"The adoption curves of every set, overlaid: the mean over each set's runs with its 95 % confidence band."
	case p.Kind == SensitivityFigure:
		// The section titles its charts (newSensitivityView).
		return "sensitivity", p.Name, ""
	case p.Kind == Posterior:
		// The section titles its charts (newFitView).
		return "fit", "Posterior of " + p.Path, ""
	case p.Kind == SweepFigure:
		return "sweep", sweepTitle(p, cfg),
			"Each marker is the mean over one sweep point's runs, with its 95 % confidence interval as an error bar. " +
				"Read it as: how does the figure change when the parameter on the horizontal axis changes?"
	}
	if p.Kind == PointAdoption {
		label := fmt.Sprintf("point %d", p.Point)
		if l, ok := points[p.Point]; ok {
			label = l
		}
		return "point", "Adoption at " + label,
			"The share of each region's firms that adopted, step by step, at this sweep point: mean over its runs with the 95 % confidence band." + policies
	}
	return "main", p.Name, ""
}

// sweepTitle names a sweep chart by its figure's title and swept path.
func sweepTitle(p Plot, cfg *sim.Config) string {
	u := output.StepUnits
	if cfg != nil {
		u = output.UnitsOf(cfg)
	}
	if t := output.Metric(p.Metric).In(u).Title; p.Metric != "" && t != "" {
		return t + " against " + p.Path
	}
	return strings.TrimPrefix(p.Name, "sweep-")
}

// cmpSweepPlots orders sweep charts as SweepCharts makes them: by swept
// path, then figure.
func cmpSweepPlots(a, b Plot) int {
	key := func(p Plot) (string, int) {
		if i := slices.Index(output.SweepFigures, p.Metric); p.Metric != "" && i >= 0 {
			return p.Path, i
		}
		return strings.TrimPrefix(p.Name, "sweep-"), len(output.SweepFigures)
	}
	pa, ia := key(a)
	pb, ib := key(b)
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	return ia - ib
}

// orderPlots puts the run's charts in reading order: adoption, pipeline,
// transfer, then any others as given.
func orderPlots(ps []plotView) []plotView {
	rank := func(p plotView) int {
		switch p.plot.Kind {
		case Adoption:
			return 0
		case Pipeline:
			return 1
		case Transfer:
			return 2
		}
		return 3
	}
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b plotView) int { return rank(a) - rank(b) })
	return out
}

// slugID turns a chart name into an HTML id.
func slugID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// svgElements are the elements a chart may use: those gonum/plot draws
// with, and their plain relatives.
var svgElements = map[string]bool{
	"svg": true, "g": true, "path": true, "text": true, "tspan": true, "rect": true,
	"line": true, "polyline": true, "polygon": true, "circle": true, "ellipse": true,
	"defs": true, "clipPath": true, "title": true, "desc": true, "image": true,
}

// inlineSVG checks that b is a plain SVG drawing and returns it for the
// page, without the XML declaration and comments before the <svg> element.
// It refuses other elements (such as script or foreignObject), event
// handler attributes and references to anything but the chart itself or
// an embedded image.
func inlineSVG(b []byte) (template.HTML, error) {
	i := bytes.Index(b, []byte("<svg"))
	if i < 0 {
		return "", errors.New("not an svg file")
	}
	b = b[i:]
	d := xml.NewDecoder(bytes.NewReader(b))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("not a well-formed svg file: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if !svgElements[t.Name.Local] {
				return "", fmt.Errorf("svg holds a <%s> element", t.Name.Local)
			}
			for _, a := range t.Attr {
				name, val := strings.ToLower(a.Name.Local), strings.ToLower(strings.TrimSpace(a.Value))
				switch {
				case strings.HasPrefix(name, "on"):
					return "", fmt.Errorf("svg holds an event handler (%s)", a.Name.Local)
				case name == "href" && !strings.HasPrefix(val, "#") && !strings.HasPrefix(val, "data:image/png") && !strings.HasPrefix(val, "data:image/jpeg"):
					return "", errors.New("svg refers to an outside resource")
				case strings.Contains(val, "url(") && !strings.Contains(val, "url(#"):
					return "", errors.New("svg refers to an outside resource")
				}
			}
		case xml.EndElement:
			depth--
			if depth == 0 {
				end := d.InputOffset()
				return template.HTML(b[:end]), nil
			}
		case xml.ProcInst, xml.Directive:
			return "", errors.New("svg holds a processing instruction or directive")
		}
	}
	return "", errors.New("svg file ends early")
}
