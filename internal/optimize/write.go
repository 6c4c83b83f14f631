package optimize

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/output/report"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// The names of an optimization's folder.
const (
	// Name marks a finished optimization's folder: every candidate and
	// the honest re-run, as JSON.
	Name = "optimize.json"
	// StateName holds an unfinished optimization's figures so far (see
	// Memo); it goes when the optimization is done.
	StateName = "optimize-state.json"
)

// outputNames are the files an optimization writes at the top of its
// folder, beside its charts.
var outputNames = []string{"optimize.csv", Name, "fresh.csv", "rounds.csv", runs.ReportName, runs.ManifestName, StateName}

// chartNames are the charts an optimization writes in plots/, without
// their extension.
var chartNames = []string{"optimize-progress", "optimize-allocation", "optimize-front"}

// Report is a finished optimization with what its folder records.
type Report struct {
	Program runs.Program
	// Scenario is the scenario as it is (the baseline), with the seed
	// the runs derive from; ScenarioSHA256 is its file's hash, empty for
	// a built-in.
	Scenario       sim.Config
	ScenarioSHA256 string
	// LeversFile is the levers file as given and LeversSHA256 its hash.
	LeversFile, LeversSHA256 string
	Levers                   scenarios.Levers
	Objectives               []scenarios.Objective
	Result                   *Result
	Workers                  int
	// Key is the optimization's (Settings.Key), which the manifest
	// records so that a shard tells its own finished optimization from
	// another.
	Key string
}

// Manifest is the manifest.json of an optimization's folder: which triad
// made it, from which scenario and levers, and the SHA-256 of every file.
type Manifest struct {
	// Kind is runs.KindOptimization: it tells the folder from a run's.
	Kind string `json:"kind,omitempty"`
	runs.Program
	Scenario           sim.Config        `json:"scenario"`
	ScenarioFileSHA256 string            `json:"scenario_sha256,omitempty"`
	LeversFile         string            `json:"levers_file"`
	LeversSHA256       string            `json:"levers_sha256"`
	Seed               uint64            `json:"seed"`
	Workers            int               `json:"workers"`
	Key                string            `json:"key,omitempty"`
	Files              map[string]string `json:"files"`
}

// Prepare makes sure dir can take an optimization: it must not exist, be
// empty, or be an optimization's folder (it holds optimize.json or
// optimize-state.json, and nothing but what an optimization writes,
// its runs in EvaluationsDir, hidden files, job logs in runs.LogsDir
// and the user's charts in plots/), replaced only with
// force; replacing removes what triad wrote and keeps the rest. Any
// other folder gives an error wrapping runs.ErrNotOurFolder, one of ours
// without force runs.ErrExists.
func Prepare(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("output folder: %w: %w", err, runs.ErrInaccessible)
	case !slices.ContainsFunc(entries, func(e os.DirEntry) bool { return !strings.HasPrefix(e.Name(), ".") && !jobLogs(dir, e) }):
		// Empty but for hidden files (the user's, or the state another
		// shard is writing) and the job logs of shards on a cluster.
		return nil
	}
	finished, unfinished := runs.IsFile(filepath.Join(dir, Name)), runs.IsFile(filepath.Join(dir, StateName))
	if !finished && !unfinished {
		return fmt.Errorf("output folder %s exists and holds no %s: triad will not replace it: %w; choose another with --out", dir, Name, runs.ErrNotOurFolder)
	}
	var ours []string
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."), jobLogs(dir, e):
		case e.Type().IsRegular() && slices.Contains(outputNames, name):
			ours = append(ours, name)
		case e.IsDir() && name == runs.PlotsDir:
			inner, err := os.ReadDir(filepath.Join(dir, name))
			if err != nil {
				return fmt.Errorf("output folder: %w: %w", err, runs.ErrInaccessible)
			}
			for _, f := range inner {
				base := strings.TrimSuffix(f.Name(), filepath.Ext(f.Name()))
				ext := filepath.Ext(f.Name())
				if f.Type().IsRegular() && slices.Contains(chartNames, base) && (ext == ".png" || ext == ".svg") {
					ours = append(ours, filepath.Join(name, f.Name()))
				} else if !strings.HasPrefix(f.Name(), ".") && ext != ".png" && ext != ".svg" {
					foreign = append(foreign, filepath.Join(name, f.Name()))
				}
			}
		case e.IsDir() && name == EvaluationsDir:
			inner, err := os.ReadDir(filepath.Join(dir, name))
			if err != nil {
				return fmt.Errorf("output folder: %w: %w", err, runs.ErrInaccessible)
			}
			for _, f := range inner {
				if f.Type().IsRegular() && isEvaluationName(f.Name()) {
					ours = append(ours, filepath.Join(name, f.Name()))
				} else {
					foreign = append(foreign, filepath.Join(name, f.Name()))
				}
			}
			ours = append(ours, name) // after its files, so that it is empty when removed
		default:
			foreign = append(foreign, name)
		}
	}
	switch {
	case len(foreign) > 0:
		return fmt.Errorf("output folder %s holds files that triad did not write (%s): triad will not replace it: %w; choose another with --out", dir, strings.Join(foreign, ", "), runs.ErrNotOurFolder)
	case !force && !finished:
		return fmt.Errorf("output folder %s holds an unfinished optimization; continue it with triad optimize --resume %s, add --force to start again or choose another with --out: %w", dir, dir, runs.ErrExists)
	case !force:
		return fmt.Errorf("output folder %s exists; add --force to replace it or choose another with --out: %w", dir, runs.ErrExists)
	}
	for _, rel := range ours {
		if err := os.Remove(filepath.Join(dir, rel)); err != nil {
			return fmt.Errorf("replace %s: %w", dir, err)
		}
	}
	return nil
}

// jobLogs reports whether e, an entry of dir, is the folder of job logs
// that the cluster scripts write (runs.LogsDir, holding only logs): it is
// kept, and the folder counts as empty without it.
func jobLogs(dir string, e os.DirEntry) bool {
	if !e.IsDir() || e.Name() != runs.LogsDir {
		return false
	}
	inner, err := os.ReadDir(filepath.Join(dir, e.Name()))
	return err == nil && !slices.ContainsFunc(inner, func(f os.DirEntry) bool { return !f.Type().IsRegular() || !runs.IsLogName(f.Name()) })
}

// Write writes the optimization's folder dir (which Prepare made ready):
// its tables, JSON, charts and report, and last its manifest.
func (r *Report) Write(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, runs.PlotsDir), 0o755); err != nil {
		return err
	}
	files := []struct {
		rel   string
		write func(io.Writer) error
	}{
		{"optimize.csv", r.writeCandidatesCSV},
		{"fresh.csv", r.writeFreshCSV},
		{"rounds.csv", r.writeRoundsCSV},
		{Name, r.writeJSON},
	}
	for _, d := range r.drawings() {
		for _, ext := range []string{"png", "svg"} {
			files = append(files, struct {
				rel   string
				write func(io.Writer) error
			}{filepath.Join(runs.PlotsDir, d.Name+"."+ext), func(w io.Writer) error { return d.Write(w, ext) }})
		}
	}
	hashes := map[string]string{}
	for _, f := range files {
		path := filepath.Join(dir, f.rel)
		if err := runs.WriteFileAtomic(path, f.write); err != nil {
			return err
		}
		h, err := runs.HashFile(path)
		if err != nil {
			return err
		}
		hashes[filepath.ToSlash(f.rel)] = h
	}
	cfg := r.Scenario
	if err := runs.WriteReport(dir, report.Data{Version: r.Program.Version, Scenario: &cfg, Optimize: r.document().reportData()}, hashes); err != nil {
		return err
	}
	m := Manifest{Kind: runs.KindOptimization, Program: r.Program, Scenario: r.Scenario, ScenarioFileSHA256: r.ScenarioSHA256, LeversFile: filepath.Base(r.LeversFile),
		LeversSHA256: r.LeversSHA256, Seed: r.Scenario.Seed, Workers: r.Workers, Key: r.Key, Files: hashes}
	if err := writeManifest(dir, m); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, StateName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func ff(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// objectiveLabels are the column prefixes of the objectives: "objective"
// and "second".
var objectiveLabels = []string{"objective", "second"}

// leverColumns are the columns of an allocation: each lever's share,
// spend and value, then the money spent and left unspent.
func (r *Report) leverColumns() []string {
	var h []string
	for _, l := range r.Levers.Levers {
		h = append(h, "share_"+l.Name, "spend_"+l.Name, "value_"+l.Name)
	}
	return append(h, "cost", "unspent")
}

// leverCells are a's cells under leverColumns.
func (r *Report) leverCells(a Allocation) []string {
	var row []string
	spent := 0.0
	for i, l := range r.Levers.Levers {
		s := Spend(&r.Levers, a, i)
		row = append(row, ff(a.Share(i)), ff(l.Spent(s)), ff(l.Value(s)))
		spent += l.Spent(s)
	}
	unspent := 0.0
	if !a.IsBaseline() {
		unspent = *r.Levers.Budget - spent
	}
	return append(row, ff(spent), ff(max(0, unspent)))
}

func estimateCells(e Estimate) []string {
	return []string{ff(e.Mean), ff(e.Lo), ff(e.Hi), strconv.Itoa(e.N)}
}

func (r *Report) writeCandidatesCSV(w io.Writer) error {
	h := []string{"candidate", "allocation", "level", "grid", "first_round", "last_round"}
	h = append(h, r.leverColumns()...)
	for o := range r.Objectives {
		p := objectiveLabels[o]
		h = append(h, p+"_mean", p+"_ci_low", p+"_ci_high", p+"_n")
	}
	rows := [][]string{h}
	for _, c := range r.Result.Candidates {
		row := []string{strconv.Itoa(c.ID), c.Alloc.Key(), strconv.Itoa(c.Level), strconv.Itoa(c.Alloc.Grid), strconv.Itoa(c.First), strconv.Itoa(c.Last)}
		row = append(row, r.leverCells(c.Alloc)...)
		for o := range r.Objectives {
			row = append(row, estimateCells(c.Estimate(o))...)
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows)
}

func (r *Report) writeFreshCSV(w io.Writer) error {
	h := []string{"candidate", "allocation", "role", "equally_good"}
	h = append(h, r.leverColumns()...)
	for o := range r.Objectives {
		p := objectiveLabels[o]
		h = append(h, p+"_mean", p+"_ci_low", p+"_ci_high", p+"_n", p+"_effect", p+"_effect_ci_low", p+"_effect_ci_high")
	}
	res := r.Result
	base := Fresh{ID: -1, Figures: res.FreshBaseline}
	for o := range r.Objectives {
		base.Value = append(base.Value, estimate(column(res.FreshBaseline, o)))
		base.Effect = append(base.Effect, Estimate{Mean: 0, Lo: 0, Hi: 0, N: len(res.FreshBaseline)})
	}
	rows := [][]string{h}
	for _, f := range append([]Fresh{base}, res.Fresh...) {
		a, id, role := Baseline(len(r.Levers.Levers)), "", "baseline"
		if f.ID >= 0 {
			a, id, role = res.Candidates[f.ID].Alloc, strconv.Itoa(f.ID), r.role(f.ID)
		}
		row := []string{id, a.Key(), role, strconv.FormatBool(f.EquallyGood)}
		row = append(row, r.leverCells(a)...)
		for o := range r.Objectives {
			e := f.Effect[o]
			row = append(row, estimateCells(f.Value[o])...)
			row = append(row, ff(e.Mean), ff(e.Lo), ff(e.Hi))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows)
}

// role says why candidate id was re-run: best, top or front.
func (r *Report) role(id int) string {
	switch {
	case id == r.Result.Best:
		return "best"
	case slices.Contains(r.Result.Top, id) && slices.Contains(r.Result.Front, id):
		return "top,front"
	case slices.Contains(r.Result.Top, id):
		return "top"
	}
	return "front"
}

func (r *Report) writeRoundsCSV(w io.Writer) error {
	h := []string{"round", "level", "grid", "replications", "candidates", "runs", "best", "best_allocation"}
	for o := range r.Objectives {
		h = append(h, "best_"+objectiveLabels[o])
	}
	rows := [][]string{h}
	for _, rd := range r.Result.Rounds {
		b := r.Result.Candidates[rd.Ranked[0]]
		row := []string{strconv.Itoa(rd.Index), strconv.Itoa(rd.Level), strconv.Itoa(rd.Grid), strconv.Itoa(rd.Replicates), strconv.Itoa(len(rd.Ranked)),
			strconv.Itoa(rd.Runs), strconv.Itoa(b.ID), b.Alloc.Key()}
		for o := range r.Objectives {
			row = append(row, ff(rd.Means[0][o]))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows)
}

// jsonNum is a number JSON can hold: null for NaN and ±Inf.
func jsonNum(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

type jsonEstimate struct {
	Mean *float64   `json:"mean"`
	CI   []*float64 `json:"ci95"`
	N    int        `json:"n"`
}

func toJSON(e Estimate) jsonEstimate {
	return jsonEstimate{jsonNum(e.Mean), []*float64{jsonNum(e.Lo), jsonNum(e.Hi)}, e.N}
}

type jsonLever struct {
	Lever  string  `json:"lever"`
	Share  float64 `json:"share"`
	Spend  float64 `json:"spend"`
	Spent  float64 `json:"spent"`
	Value  float64 `json:"value"`
	Scenar float64 `json:"scenario_value"`
}

type jsonAllocation struct {
	Key     string      `json:"allocation"`
	Levers  []jsonLever `json:"levers"`
	Cost    float64     `json:"cost"`
	Unspent float64     `json:"unspent"`
}

func (r *Report) allocationJSON(a Allocation) jsonAllocation {
	j := jsonAllocation{Key: a.Key()}
	for i, l := range r.Levers.Levers {
		s := Spend(&r.Levers, a, i)
		j.Levers = append(j.Levers, jsonLever{l.Name, a.Share(i), s, l.Spent(s), l.Value(s), l.From})
		j.Cost += l.Spent(s)
	}
	if !a.IsBaseline() {
		j.Unspent = max(0, *r.Levers.Budget-j.Cost)
	}
	return j
}

type jsonFresh struct {
	Candidate *int   `json:"candidate"`
	Role      string `json:"role"`
	jsonAllocation
	EquallyGood bool           `json:"equally_good"`
	Value       []jsonEstimate `json:"value"`
	Effect      []jsonEstimate `json:"effect"`
}

// summaryJSON is what --json prints and optimize.json begins with.
type summaryJSON struct {
	SchemaVersion int         `json:"schema_version"`
	Folder        string      `json:"folder,omitempty"`
	Scenario      string      `json:"scenario"`
	Budget        float64     `json:"budget"`
	Objectives    []string    `json:"objectives"`
	Goals         []string    `json:"goals"`
	Best          jsonFresh   `json:"best"`
	EquallyGood   []jsonFresh `json:"equally_good"`
	// WinnersCurse is how much the search's own estimate of the best's
	// improvement exceeded the fresh runs' estimate.
	WinnersCurse *float64 `json:"winners_curse"`
	SearchRuns   int      `json:"search_runs"`
	FreshRuns    int      `json:"fresh_runs"`
}

// schemaVersion is the version of optimize.json's layout.
const schemaVersion = 1

func (r *Report) freshJSON(f Fresh) jsonFresh {
	id := f.ID
	j := jsonFresh{Candidate: &id, Role: r.role(f.ID), jsonAllocation: r.allocationJSON(r.Result.Candidates[f.ID].Alloc), EquallyGood: f.EquallyGood}
	for o := range r.Objectives {
		j.Value = append(j.Value, toJSON(f.Value[o]))
		j.Effect = append(j.Effect, toJSON(f.Effect[o]))
	}
	return j
}

func (r *Report) summary(folder string) summaryJSON {
	res := r.Result
	s := summaryJSON{SchemaVersion: schemaVersion, Folder: folder, Scenario: r.Scenario.Name, Budget: *r.Levers.Budget,
		Best: r.freshJSON(res.Fresh[0]), EquallyGood: []jsonFresh{}, WinnersCurse: jsonNum(res.Curse), SearchRuns: res.SearchRuns,
		FreshRuns: len(res.FreshBaseline) * (len(res.Fresh) + 1)}
	for _, o := range r.Objectives {
		s.Objectives = append(s.Objectives, o.Name())
		s.Goals = append(s.Goals, o.Goal)
	}
	for _, f := range res.Fresh[1:] {
		if f.EquallyGood {
			s.EquallyGood = append(s.EquallyGood, r.freshJSON(f))
		}
	}
	return s
}

// WriteSummaryJSON writes the summary that `triad optimize --json`
// prints: the best allocation with its fresh effect, those as good, the
// winner's curse and the runs, and the folder.
func (r *Report) WriteSummaryJSON(w io.Writer, folder string) error {
	return output.WriteJSON(w, r.summary(folder))
}

// docLever, docCandidate, docRound and document are optimize.json's
// layout: what Write writes and what RebuildReport reads back.
type docLever struct {
	Name        string   `json:"name"`
	Paths       []string `json:"paths"`
	From        float64  `json:"from"`
	To          float64  `json:"to"`
	CostPerUnit float64  `json:"cost_per_unit"`
	Exponent    *float64 `json:"exponent,omitempty"`
	FullCost    float64  `json:"full_cost"`
}

type docCandidate struct {
	ID int `json:"candidate"`
	jsonAllocation
	Level     int            `json:"level"`
	First     int            `json:"first_round"`
	Last      int            `json:"last_round"`
	Objective []jsonEstimate `json:"objective"`
}

type docRound struct {
	Index      int          `json:"round"`
	Level      int          `json:"level"`
	Grid       int          `json:"grid"`
	Replicates int          `json:"replications"`
	Runs       int          `json:"runs"`
	Ranked     []int        `json:"ranked"`
	Means      [][]*float64 `json:"means"`
}

type document struct {
	summaryJSON
	Method       string         `json:"method"`
	Seed         uint64         `json:"seed"`
	Evaluations  int            `json:"evaluations"`
	Replications int            `json:"replications"`
	Fresh        int            `json:"fresh"`
	Top          int            `json:"top"`
	Levers       []docLever     `json:"levers"`
	Baseline     jsonFresh      `json:"baseline"`
	Reruns       []jsonFresh    `json:"fresh_runs_detail"`
	Front        []int          `json:"front"`
	Candidates   []docCandidate `json:"candidates"`
	Rounds       []docRound     `json:"rounds"`
}

// document is optimize.json's content.
func (r *Report) document() *document {
	res := r.Result
	v := &document{summaryJSON: r.summary(""), Method: "successive halving over a lattice on the budget simplex, refined around the leaders; common random numbers; the best and top re-run on fresh seeds",
		Seed: r.Scenario.Seed, Evaluations: res.Settings.Evaluations, Replications: res.Settings.Replications, Fresh: res.Settings.Fresh, Top: res.Settings.Top,
		Front: res.Front, Candidates: []docCandidate{}}
	if v.Front == nil {
		v.Front = []int{}
	}
	for _, l := range r.Levers.Levers {
		v.Levers = append(v.Levers, docLever{l.Name, l.Paths(), l.From, *l.To, *l.CostPerUnit, l.Exponent, l.FullCost()})
	}
	v.Baseline = jsonFresh{Role: "baseline", jsonAllocation: r.allocationJSON(Baseline(len(r.Levers.Levers)))}
	for o := range r.Objectives {
		v.Baseline.Value = append(v.Baseline.Value, toJSON(estimate(column(res.FreshBaseline, o))))
	}
	for _, f := range res.Fresh {
		v.Reruns = append(v.Reruns, r.freshJSON(f))
	}
	for _, c := range res.Candidates {
		cj := docCandidate{ID: c.ID, jsonAllocation: r.allocationJSON(c.Alloc), Level: c.Level, First: c.First, Last: c.Last}
		for o := range r.Objectives {
			cj.Objective = append(cj.Objective, toJSON(c.Estimate(o)))
		}
		v.Candidates = append(v.Candidates, cj)
	}
	for _, rd := range res.Rounds {
		rj := docRound{rd.Index, rd.Level, rd.Grid, rd.Replicates, rd.Runs, rd.Ranked, nil}
		for _, m := range rd.Means {
			var row []*float64
			for _, x := range m {
				row = append(row, jsonNum(x))
			}
			rj.Means = append(rj.Means, row)
		}
		v.Rounds = append(v.Rounds, rj)
	}
	return v
}

func (r *Report) writeJSON(w io.Writer) error {
	return output.WriteJSON(w, r.document())
}

// label names candidate id in charts and tables: "#id".
func label(id int) string { return "#" + strconv.Itoa(id) }

// drawings are the optimization's charts: the search's progress, the
// allocations re-run, and with two objectives the front.
func (r *Report) drawings() []chart.Drawing {
	res := r.Result
	var rounds []chart.OptimizeRound
	for _, rd := range res.Rounds {
		cr := chart.OptimizeRound{Runs: float64(rd.Runs), Best: rd.Means[0][0]}
		for _, m := range rd.Means {
			cr.Means = append(cr.Means, m[0])
		}
		rounds = append(rounds, cr)
	}
	var names []string
	for _, l := range r.Levers.Levers {
		names = append(names, l.Name)
	}
	var allocs []chart.OptimizeAllocation
	for _, f := range res.Fresh {
		a := res.Candidates[f.ID].Alloc
		ca := chart.OptimizeAllocation{Label: label(f.ID)}
		for i := range names {
			ca.Shares = append(ca.Shares, a.Share(i))
		}
		allocs = append(allocs, ca)
	}
	ds := []chart.Drawing{
		chart.OptimizeProgressDrawing(chartNames[0], r.Objectives[0].Name(), rounds),
		chart.OptimizeAllocationDrawing(chartNames[1], names, allocs),
	}
	if len(res.Front) > 0 {
		point := func(l string, v []Estimate) chart.OptimizePoint {
			return chart.OptimizePoint{Label: l, X: v[0].Mean, XLo: v[0].Lo, XHi: v[0].Hi, Y: v[1].Mean, YLo: v[1].Lo, YHi: v[1].Hi}
		}
		var pts []chart.OptimizePoint
		for _, id := range res.Front {
			for _, f := range res.Fresh {
				if f.ID == id {
					pts = append(pts, point(label(id), f.Value))
				}
			}
		}
		base := []Estimate{estimate(column(res.FreshBaseline, 0)), estimate(column(res.FreshBaseline, 1))}
		ds = append(ds, chart.OptimizeFrontDrawing(chartNames[2], r.Objectives[0].Name(), r.Objectives[1].Name(), pts, point("as it is", base)))
	}
	return ds
}
