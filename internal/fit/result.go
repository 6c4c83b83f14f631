package fit

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/output/report"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

// Result is a finished fit: its last generation and how it got there.
type Result struct {
	Spec    *Spec
	res     *calibrate.Result
	densest int // the particle of the last generation where the posterior is densest
	// svgs are the posterior charts, for the report (Write makes them).
	svgs []report.Plot
}

// Generations are the records of the fit's generations.
func (r *Result) Generations() []Generation { return r.res.Generations }

// Posterior summarizes the posterior of parameter j.
func (r *Result) Posterior(j int) Summary { return r.res.Params[j] }

// Figure summarizes target i's figure over the posterior: the fit of the
// target.
func (r *Result) Figure(i int) Summary { return r.res.Figures[i] }

// Fitted is the value parameter j takes in the fitted scenario: its value
// in the particle where the posterior is densest, to three significant
// digits. The posterior mean would do on a round posterior; on a ridge
// (parameters that trade off) it can lie where no particle was accepted.
func (r *Result) Fitted(j int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(r.res.Particles[r.densest].Theta[j], 'g', 3, 64), 64)
	return v
}

// Identifiability is the posterior sd of parameter j over its prior's:
// near 1 the targets say little about it.
func (r *Result) Identifiability(j int) float64 {
	p := r.Spec.Params[j]
	return r.res.Params[j].SD / ((p.Hi - p.Lo) / math.Sqrt(12))
}

// Z is how many uncertainties the fitted mean of target i lies from the
// observed value.
func (r *Result) Z(i int) float64 {
	t := r.Spec.Targets[i]
	return (r.res.Figures[i].Mean - *t.Value) / *t.Uncertainty
}

func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (r *Result) method() string {
	s := r.Spec
	seeds := "common seeds"
	if s.Seeds == SeedsFresh {
		seeds = "seeds of its own"
	}
	return fmt.Sprintf("ABC-SMC, %d particles, %d generations, tolerance quantile %g, %d replications per particle on %s, seed %d",
		s.Particles, s.Generations, s.Quantile, s.Config.Replicates, seeds, s.Config.Seed)
}

// writers are the writers of the files at the top of a fit's folder, by
// name, but for fit.json (written last, see Write) and the state file
// (see Run). Write writes the names of runs.FitOutputNames, the one list
// of them, and a test checks that this map has a writer for every one.
func (r *Result) writers() map[string]func(io.Writer) error {
	return map[string]func(io.Writer) error{
		"fit.csv":         r.writeFitCSV,
		"targets.csv":     r.writeTargetsCSV,
		"posterior.csv":   r.writePosteriorCSV,
		"generations.csv": r.writeGenerationsCSV,
		"scenario.yaml":   r.writeScenario,
		runs.ReportName:   r.writeReport,
	}
}

// Write writes the fit's folder dir: a posterior chart per parameter in
// runs.PlotsDir (runs.FitChartName), the files of runs.FitOutputNames
// (report.html shows the charts), and fit.json last, which marks a
// complete fit and lists the other files with their hashes.
func (r *Result) Write(dir string) error {
	hashes := map[string]string{}
	if err := os.MkdirAll(filepath.Join(dir, runs.PlotsDir), 0o755); err != nil {
		return err
	}
	r.svgs = nil
	for j, p := range r.Spec.Params {
		for _, ext := range []string{"png", "svg"} {
			rel := filepath.Join(runs.PlotsDir, runs.FitChartName(p.Label)+"."+ext)
			path := filepath.Join(dir, rel)
			var b bytes.Buffer
			c, err := chart.PosteriorChart(r.posterior(j))
			if err != nil {
				return err
			}
			if err := chart.WritePlot(&b, ext, c, chart.ChartWidth, chart.ChartHeight); err != nil {
				return err
			}
			if ext == "svg" {
				r.svgs = append(r.svgs, report.Plot{Kind: report.Posterior, Name: runs.FitChartName(p.Label), Path: p.Label, SVG: b.Bytes()})
			}
			if err := runs.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(b.Bytes()); return err }); err != nil {
				return err
			}
			h, err := runs.HashFile(path)
			if err != nil {
				return err
			}
			hashes[filepath.ToSlash(rel)] = h
		}
	}
	writers := r.writers()
	for _, name := range runs.FitOutputNames {
		if name == runs.FitName || name == runs.FitStateName {
			continue
		}
		write, ok := writers[name]
		if !ok {
			return fmt.Errorf("fit: no writer of %s", name)
		}
		path := filepath.Join(dir, name)
		if err := runs.WriteFileAtomic(path, write); err != nil {
			return err
		}
		h, err := runs.HashFile(path)
		if err != nil {
			return err
		}
		hashes[name] = h
	}
	return runs.WriteFileAtomic(filepath.Join(dir, runs.FitName), func(w io.Writer) error { return r.writeJSON(w, hashes) })
}

// writeReport writes report.html: the fit's section (posteriors, the
// targets with their posterior predictive check, the generations and the
// charts) and the scenario's parameters as fitted from.
func (r *Result) writeReport(w io.Writer) error {
	s := r.Spec
	f := &report.Fit{Method: r.method(), TargetsFile: filepath.Base(s.TargetsFile)}
	for j, p := range s.Params {
		q := r.res.Params[j]
		f.Params = append(f.Params, report.FitParam{Label: p.Label, PriorLow: p.Lo, PriorHigh: p.Hi, Original: p.Original, Mean: q.Mean, SD: q.SD,
			CILow: q.Lo, CIHigh: q.Hi, SDRatio: r.Identifiability(j), Fitted: r.Fitted(j)})
	}
	for i, t := range s.Targets {
		q := r.res.Figures[i]
		pc := r.Check(i)
		f.Targets = append(f.Targets, report.FitTarget{Name: t.Name(), Source: strings.Join(strings.Fields(t.Source), " "), Observed: *t.Value, Uncertainty: *t.Uncertainty,
			Mean: q.Mean, CILow: q.Lo, CIHigh: q.Hi, Z: r.Z(i), PredictiveLow: pc.Lo, PredictiveHigh: pc.Hi, PredictiveP: pc.P})
	}
	for _, g := range r.res.Generations {
		f.Generations = append(f.Generations, report.FitGeneration{Tolerance: g.Tolerance, Proposals: g.Proposals, Simulated: g.Simulated, Accepted: g.Accepted, ESS: g.ESS})
	}
	cfg := s.Config
	return report.Write(w, report.Data{Scenario: &cfg, Version: s.Version, Fit: f, Plots: r.svgs})
}

// Check is the posterior predictive check of one target: the band where
// 95 % of observed figures would fall if the fitted model were true (the
// model's figure over the posterior plus the measurement error of the
// target's uncertainty, the fit's error model), and P, the predictive
// probability of a figure at or below the observed one.
type Check struct {
	Lo, Hi, P float64
	// Inside says whether the observed figure lies within [Lo, Hi].
	Inside bool
}

// checkDraws is the number of normal quantiles that stand for the
// measurement error around each particle's figure.
const checkDraws = 64

// Check returns the posterior predictive check of target i. The
// predictive distribution is a mixture, over the particles and their
// weights, of normals around each particle's figure; it is represented
// by checkDraws evenly spaced quantiles of each normal, the same numbers
// on every platform.
func (r *Result) Check(i int) Check {
	t := r.Spec.Targets[i]
	sd, obs := *t.Uncertainty, *t.Value
	n := len(r.res.Particles)
	x := make([]float64, 0, n*checkDraws)
	w := make([]float64, 0, n*checkDraws)
	z := make([]float64, checkDraws)
	for k := range z {
		z[k] = portable.NormalQuantile((float64(k) + 0.5) / checkDraws)
	}
	below := 0.0
	for _, q := range r.res.Particles {
		for _, zk := range z {
			v := float64(sd*zk) + q.Figures[i]
			x = append(x, v)
			w = append(w, q.Weight)
			if v <= obs {
				below += q.Weight
			}
		}
	}
	type pair struct{ x, w float64 }
	ps := make([]pair, len(x))
	for k := range x {
		ps[k] = pair{x[k], w[k]}
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return cmp.Compare(a.x, b.x) })
	for k, p := range ps {
		x[k], w[k] = p.x, p.w
	}
	c := Check{Lo: portable.Quantile(0.025, x, w), Hi: portable.Quantile(0.975, x, w), P: below / float64(checkDraws)}
	c.Inside = obs >= c.Lo && obs <= c.Hi
	return c
}

func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func (r *Result) writeFitCSV(w io.Writer) error {
	rows := [][]string{{"parameter", "prior_low", "prior_high", "original", "mean", "sd", "ci_low", "ci_high", "sd_over_prior_sd", "fitted"}}
	for j, p := range r.Spec.Params {
		s := r.res.Params[j]
		rows = append(rows, []string{p.Label, ff(p.Lo), ff(p.Hi), ff(p.Original), ff(s.Mean), ff(s.SD), ff(s.Lo), ff(s.Hi), ff(r.Identifiability(j)), ff(r.Fitted(j))})
	}
	return writeCSV(w, rows)
}

func (r *Result) writeTargetsCSV(w io.Writer) error {
	rows := [][]string{{"target", "metric", "region", "observed", "uncertainty", "fitted_mean", "fitted_sd", "ci_low", "ci_high", "z",
		"predictive_low", "predictive_high", "predictive_p", "source"}}
	for i, t := range r.Spec.Targets {
		s := r.res.Figures[i]
		c := r.Check(i)
		rows = append(rows, []string{t.Name(), t.Metric, strings.Join(t.RegionList(), "+"), ff(*t.Value), ff(*t.Uncertainty), ff(s.Mean), ff(s.SD), ff(s.Lo), ff(s.Hi), ff(r.Z(i)),
			ff(c.Lo), ff(c.Hi), ff(c.P), t.Source})
	}
	return writeCSV(w, rows)
}

func (r *Result) writePosteriorCSV(w io.Writer) error {
	head := []string{"particle", "weight", "distance"}
	for _, p := range r.Spec.Params {
		head = append(head, p.Label)
	}
	for _, t := range r.Spec.Targets {
		head = append(head, t.Name())
	}
	rows := [][]string{head}
	for i, q := range r.res.Particles {
		row := []string{strconv.Itoa(i), ff(q.Weight), ff(q.Distance)}
		for _, v := range q.Theta {
			row = append(row, ff(v))
		}
		for _, v := range q.Figures {
			row = append(row, ff(v))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows)
}

func (r *Result) writeGenerationsCSV(w io.Writer) error {
	rows := [][]string{{"generation", "tolerance", "proposals", "simulated", "accepted", "acceptance", "ess"}}
	for g, gen := range r.res.Generations {
		rows = append(rows, []string{strconv.Itoa(g + 1), ff(gen.Tolerance), strconv.Itoa(gen.Proposals), strconv.Itoa(gen.Simulated), strconv.Itoa(gen.Accepted),
			ff(Acceptance(gen)), ff(gen.ESS)})
	}
	return writeCSV(w, rows)
}

// Acceptance is the share of a generation's proposals it accepted.
func Acceptance(g Generation) float64 { return float64(g.Accepted) / float64(max(1, g.Proposals)) }

// jsonNum is a number that JSON can hold: null for NaN and ±Inf.
func jsonNum(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func (r *Result) writeJSON(w io.Writer, hashes map[string]string) error {
	type param struct {
		Parameter string    `json:"parameter"`
		Paths     []string  `json:"paths"`
		PriorLow  float64   `json:"prior_low"`
		PriorHigh float64   `json:"prior_high"`
		Original  float64   `json:"original"`
		Mean      *float64  `json:"mean"`
		SD        *float64  `json:"sd"`
		CI        []float64 `json:"ci95"`
		// SDRatio is the posterior sd over the prior's: near 1 the
		// targets say little about the parameter.
		SDRatio *float64 `json:"sd_over_prior_sd"`
		Fitted  float64  `json:"fitted"`
	}
	type target struct {
		Target      string    `json:"target"`
		Observed    float64   `json:"observed"`
		Uncertainty float64   `json:"uncertainty"`
		Mean        *float64  `json:"fitted_mean"`
		CI          []float64 `json:"fitted_ci95"`
		Z           *float64  `json:"z"`
		// Predictive is the posterior predictive 95 % band of the
		// observed figure and PredictiveP the predictive probability of
		// a figure at or below it (see Check).
		Predictive  []float64 `json:"predictive95"`
		PredictiveP *float64  `json:"predictive_p"`
		Source      string    `json:"source"`
	}
	type generation struct {
		Tolerance *float64 `json:"tolerance"`
		Proposals int      `json:"proposals"`
		Simulated int      `json:"simulated"`
		Accepted  int      `json:"accepted"`
		// Acceptance is Accepted over Proposals.
		Acceptance float64 `json:"acceptance"`
		ESS        float64 `json:"ess"`
	}
	s := r.Spec
	v := struct {
		SchemaVersion int               `json:"schema_version"`
		Version       string            `json:"version"`
		Command       []string          `json:"command"`
		Date          string            `json:"date"`
		Scenario      string            `json:"scenario"`
		TargetsFile   string            `json:"targets_file"`
		Method        string            `json:"method"`
		Particles     int               `json:"particles"`
		Generations   int               `json:"generations"`
		Quantile      float64           `json:"quantile"`
		Replicates    int               `json:"replicates"`
		Seeds         string            `json:"seeds"`
		Seed          uint64            `json:"seed"`
		Params        []param           `json:"parameters"`
		Targets       []target          `json:"targets"`
		Schedule      []generation      `json:"generations_detail"`
		Files         map[string]string `json:"files"`
	}{
		SchemaVersion: s.Schema, Version: s.Version, Command: append([]string{"triad"}, s.Command...), Date: s.Date,
		Scenario: s.Config.Name, TargetsFile: filepath.Base(s.TargetsFile), Method: "ABC-SMC",
		Particles: s.Particles, Generations: s.Generations, Quantile: s.Quantile,
		Replicates: s.Config.Replicates, Seeds: s.Seeds, Seed: s.Config.Seed, Files: hashes,
	}
	for j, p := range s.Params {
		q := r.res.Params[j]
		v.Params = append(v.Params, param{p.Label, p.Paths, p.Lo, p.Hi, p.Original, jsonNum(q.Mean), jsonNum(q.SD), []float64{q.Lo, q.Hi}, jsonNum(r.Identifiability(j)), r.Fitted(j)})
	}
	for i, t := range s.Targets {
		q := r.res.Figures[i]
		c := r.Check(i)
		v.Targets = append(v.Targets, target{t.Name(), *t.Value, *t.Uncertainty, jsonNum(q.Mean), []float64{q.Lo, q.Hi}, jsonNum(r.Z(i)), []float64{c.Lo, c.Hi}, jsonNum(c.P), t.Source})
	}
	for _, g := range r.res.Generations {
		v.Schedule = append(v.Schedule, generation{jsonNum(g.Tolerance), g.Proposals, g.Simulated, g.Accepted, Acceptance(g), g.ESS})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeScenario writes the fitted scenario: the original file with the
// fitted values set, a header citing the targets and the fit, and a
// comment on every fitted value with its posterior.
func (r *Result) writeScenario(w io.Writer) error {
	s := r.Spec
	h := []string{
		fmt.Sprintf("%s-fitted: %s with %d parameter(s) fitted by triad fit on %s.", s.Config.Name, s.Config.Name, len(s.Params), s.Date),
		"",
		"Method: " + r.method() + ".",
		fmt.Sprintf("Targets (%s), each observed value ± its uncertainty (sd), then the fitted model's mean [95 %% interval]:", filepath.Base(s.TargetsFile)),
	}
	for i, t := range s.Targets {
		q := r.res.Figures[i]
		h = append(h, fmt.Sprintf("- %s = %s ± %s; model %.3g [%.3g, %.3g], z %+.2f. Source: %s",
			t.Name(), ff(*t.Value), ff(*t.Uncertainty), q.Mean, q.Lo, q.Hi, r.Z(i), strings.Join(strings.Fields(t.Source), " ")))
	}
	h = append(h, "Fitted parameters, prior range, then posterior mean ± sd [95 % interval], how much the targets identify it (posterior sd over prior sd:",
		"near 1 they say little), and the value the file takes: the accepted particle where the posterior is densest, to 3 digits:")
	for j, p := range s.Params {
		q := r.res.Params[j]
		h = append(h, fmt.Sprintf("- %s in [%s, %s]: %.3g ± %.2g [%.3g, %.3g], sd ratio %.2f; file %s (was %s)",
			p.Label, ff(p.Lo), ff(p.Hi), q.Mean, q.SD, q.Lo, q.Hi, r.Identifiability(j), ff(r.Fitted(j)), ff(p.Original)))
	}
	h = append(h, "Everything else, and every comment below but those marked fitted, is the original's.")
	var edits []scenarios.Edit
	for j, p := range s.Params {
		q := r.res.Params[j]
		for _, path := range p.Paths {
			edits = append(edits, scenarios.Edit{Path: path, Value: r.Fitted(j),
				Comment: fmt.Sprintf("fitted: densest posterior point; mean %.3g, sd %.2g (%.2f of the prior's), 95 %% interval [%.3g, %.3g], prior [%s, %s] (triad fit, %s)",
					q.Mean, q.SD, r.Identifiability(j), q.Lo, q.Hi, ff(p.Lo), ff(p.Hi), s.Date)})
		}
	}
	desc := fmt.Sprintf("%s with %d parameter(s) fitted by ABC-SMC to %d observed figures; the header names them, with the figures' sources.", s.Config.Name, len(s.Params), len(s.Targets))
	out, err := scenarios.Rewrite(s.Scenario, s.Src, h, s.Config.Name+"-fitted", desc, edits)
	if err != nil {
		return fmt.Errorf("the fitted scenario: %w", err)
	}
	_, err = w.Write(out)
	return err
}

// posterior is parameter j's last generation, for its chart.
func (r *Result) posterior(j int) chart.Posterior {
	s := r.res.Params[j]
	p := r.Spec.Params[j]
	post := chart.Posterior{Label: p.Label, Lo: p.Lo, Hi: p.Hi, Mean: s.Mean, CILo: s.Lo, CIHi: s.Hi}
	for _, q := range r.res.Particles {
		post.Values = append(post.Values, q.Theta[j])
		post.Weights = append(post.Weights, q.Weight)
	}
	return post
}
