package optimize

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/internal/share"
	"github.com/triad-sim/triad/scenarios"
)

// Job asks an Evaluator for the runs of one allocation: one per replicate
// index (replicate r's seed derives from the scenario's seed as a run's
// replicate r does, so every allocation asked for replicate r sees the
// same luck).
type Job struct {
	Alloc      Allocation
	Replicates []int
}

// Evaluator runs jobs: it returns, for each job, the objectives' figures
// of each of its replications, out[j][k][o] for job j's k-th replicate and
// objective o. A figure is NaN when the allocation cannot be run (the
// scenario refuses its values). The figures must depend on the allocation
// and replicate alone.
type Evaluator interface {
	Evaluate(ctx context.Context, jobs []Job) ([][][]float64, error)
}

// Settings are what a search is given.
type Settings struct {
	// Levers is the number of levers; Signs holds, per objective (one or
	// two), 1 to minimize it and −1 to maximize it.
	Levers int
	Signs  []float64
	// Evaluations is the most runs the search may use; Replications the
	// replications of a race's first round (each round doubles them).
	Evaluations, Replications int
	// Fresh is the replications of the honest re-run and Top how many of
	// the best candidates it re-runs.
	Fresh, Top int
	// Store, when set, keeps every run as it is evaluated and gives back
	// those it holds instead of running them again: processes that share
	// a Store split each batch of runs (a round's, the re-run's), and a
	// stopped search goes on mid-round. It never changes the result.
	Store Store
	// Shard and Shards (0 or 1: one process) say which share of each
	// batch of runs this process evaluates first: those whose index in the
	// batch is Shard modulo Shards. It then evaluates the batch's others
	// that the Store does not hold yet, from the last, so that a batch is
	// complete in every process that ends it, whatever the other processes
	// did. Workers is how many runs go to the Evaluator at once when a
	// Store is set. They never change the result.
	Shard, Shards, Workers int
}

// Store keeps the runs of a search by allocation key and replicate
// index: each run's figures, one per objective. Its methods are called
// from one goroutine at a time.
type Store interface {
	// Load returns the figures of allocation key's replicate rep and true
	// if the store holds them.
	Load(key string, rep int) ([]float64, bool, error)
	// Save keeps them.
	Save(key string, rep int, figures []float64) error
}

// FreshOffset is the replicate index of the honest re-run's first run:
// the search's replications count from 0 and never get near it, so the
// re-run's seeds are seeds the search never saw.
const FreshOffset = 1 << 30

// leaders is how many candidates a race ends with, and around which the
// lattice is refined.
const leaders = 3

// maxCoarseGrid and maxGrid bound the lattice: shares of at least 1/12 at
// the start, and refinement stops before shares finer than 1 % of the
// budget, finer than any budget is decided.
const (
	maxCoarseGrid = 12
	maxGrid       = 100
)

// maxFront is the most points of a Pareto front that are re-run.
const maxFront = 10

// ErrBudget is returned (wrapped) when the evaluations cannot pay for
// one race over the coarsest lattice.
var ErrBudget = errors.New("too few evaluations")

// Memo holds every figure a search has computed: per allocation key, per
// replicate index, the objectives' figures (NaN as nil in JSON). A search
// given the memo of an interrupted one replays it without running again
// what the memo holds, and so continues it to the same answer.
type Memo map[string]map[int][]float64

// Candidate is one allocation the search evaluated.
type Candidate struct {
	// ID is its place in the order of first evaluation.
	ID    int
	Alloc Allocation
	// Level is the refinement level at which it was first evaluated (0:
	// the coarsest lattice); First and Last the first and last round it
	// took part in.
	Level, First, Last int
	// Figures holds its figures on replications 0, 1, ...: Figures[r][o].
	Figures [][]float64
}

// Round is one round of a race: its candidates, ranked best first, with
// their means over the round's replications (0 to Replicates−1).
type Round struct {
	Index, Level, Grid, Replicates int
	Ranked                         []int
	Means                          [][]float64
	// Runs is the search's runs once the round was done.
	Runs int
}

// Estimate is a mean with its 95 % t interval over N runs (NaN bounds
// below two).
type Estimate struct {
	Mean, Lo, Hi float64
	N            int
}

// Fresh is a candidate's honest re-run on the fresh replications.
type Fresh struct {
	// ID is the candidate's (−1 for none: the baseline).
	ID      int
	Figures [][]float64
	// Value is each objective's figure; Effect the paired difference to
	// the baseline on the same fresh replications.
	Value, Effect []Estimate
	// EquallyGood is set when its effect's interval on the first
	// objective overlaps the best's.
	EquallyGood bool
}

// Result is a finished search and its honest re-run.
type Result struct {
	Settings   Settings
	Candidates []*Candidate
	Rounds     []Round
	// Best is the search's choice: the winner of its last round. Top
	// lists the candidates re-run (Best first, then by their last ranking)
	// and Front, with two objectives, the Pareto front of the search's
	// estimates, by the first objective.
	Best       int
	Top, Front []int
	// SearchRuns is the runs of the search, the baseline's on the best's
	// replications among them; SearchBaseline the baseline's figures on
	// those replications.
	SearchRuns     int
	SearchBaseline [][]float64
	// Fresh holds the re-run of every candidate in Top and Front, and
	// FreshBaseline the baseline's on the same replications.
	Fresh         []Fresh
	FreshBaseline [][]float64
	// Curse is the winner's curse on the first objective: how much the
	// search's own estimate of the best's improvement on the baseline
	// (its figures less the baseline's on the search's replications, in the
	// objective's good direction) exceeds the fresh estimate.
	Curse float64
}

// runner evaluates through a memo (and a store, when the settings have
// one) and counts the runs.
type runner struct {
	ev    Evaluator
	memo  Memo
	runs  int
	nObj  int
	after func(Memo) error
	s     Settings
}

// figures returns the figures of a on the replications reps, running those
// the memo does not hold; each replicate counts as a run either way.
func (r *runner) figures(ctx context.Context, allocs []Allocation, reps [][]int) ([][][]float64, error) {
	var jobs []Job
	for i, a := range allocs {
		var missing []int
		for _, rep := range reps[i] {
			if _, ok := r.memo[a.Key()][rep]; !ok {
				missing = append(missing, rep)
			}
		}
		if len(missing) > 0 {
			jobs = append(jobs, Job{Alloc: a, Replicates: missing})
		}
	}
	if len(jobs) > 0 && r.s.Store != nil {
		if err := r.shared(ctx, jobs); err != nil {
			return nil, err
		}
	} else if len(jobs) > 0 {
		if err := r.evaluate(ctx, jobs, false); err != nil {
			return nil, err
		}
	}
	res := make([][][]float64, len(allocs))
	for i, a := range allocs {
		for _, rep := range reps[i] {
			res[i] = append(res[i], r.memo[a.Key()][rep])
		}
		r.runs += len(reps[i])
	}
	return res, nil
}

// evaluate runs jobs and keeps their figures in the memo, and in the
// store when save is set.
func (r *runner) evaluate(ctx context.Context, jobs []Job, save bool) error {
	out, err := r.ev.Evaluate(ctx, jobs)
	if err != nil {
		return err
	}
	for j, job := range jobs {
		if len(out[j]) != len(job.Replicates) {
			return fmt.Errorf("optimize: the evaluator returned %d runs for %d replicates", len(out[j]), len(job.Replicates))
		}
		key := job.Alloc.Key()
		for k, rep := range job.Replicates {
			if len(out[j][k]) != r.nObj {
				return fmt.Errorf("optimize: the evaluator returned %d figures for %d objectives", len(out[j][k]), r.nObj)
			}
			if save {
				if err := r.s.Store.Save(key, rep, out[j][k]); err != nil {
					return err
				}
			}
			r.keep(key, rep, out[j][k])
		}
	}
	return nil
}

// keep puts figures in the memo.
func (r *runner) keep(key string, rep int, figs []float64) {
	if r.memo[key] == nil {
		r.memo[key] = map[int][]float64{}
	}
	r.memo[key][rep] = figs
}

// shared evaluates jobs through the store, one run at a time in the
// order shareFirst gives, Workers runs at once: a run the store holds is
// taken from it, any other is run and saved.
func (r *runner) shared(ctx context.Context, jobs []Job) error {
	type item struct {
		alloc Allocation
		rep   int
	}
	var items []item
	for _, job := range jobs {
		for _, rep := range job.Replicates {
			items = append(items, item{job.Alloc, rep})
		}
	}
	var batch []Job
	flush := func() error {
		err := r.evaluate(ctx, batch, true)
		batch = batch[:0]
		return err
	}
	for _, i := range share.Order(len(items), r.s.Shard, r.s.Shards) {
		if err := ctx.Err(); err != nil {
			return err
		}
		it := items[i]
		figs, ok, err := r.s.Store.Load(it.alloc.Key(), it.rep)
		switch {
		case err != nil:
			return err
		case ok && len(figs) != r.nObj:
			return fmt.Errorf("optimize: the stored run %d of %s holds %d figures, not %d: it is not this optimization's", it.rep, it.alloc.Key(), len(figs), r.nObj)
		case ok:
			r.keep(it.alloc.Key(), it.rep, figs)
			continue
		}
		batch = append(batch, Job{Alloc: it.alloc, Replicates: []int{it.rep}})
		if len(batch) >= max(1, r.s.Workers) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		return flush()
	}
	return nil
}

// raceCost is the most runs a race of n candidates starting at
// replications reps can take.
func raceCost(n, reps int) int {
	cost := 0
	for {
		cost += n * reps
		next := survivors(n)
		if next == n {
			return cost
		}
		n, reps = next, 2*reps
	}
}

// survivors is how many of n candidates go on to the next round: the
// best third, but never fewer than the leaders a race ends with.
func survivors(n int) int {
	return max((n+2)/3, min(n, leaders))
}

// Search runs the search and its honest re-run. memo may hold the
// figures of an interrupted search of the same settings and evaluator
// (or be empty); after, when set, is called with the memo after every
// round and after the re-run, for a checkpoint. It stops with ctx's error
// once ctx is done.
func Search(ctx context.Context, ev Evaluator, s Settings, memo Memo, after func(Memo) error) (*Result, error) {
	switch {
	case s.Levers < 1 || len(s.Signs) < 1 || len(s.Signs) > 2:
		return nil, fmt.Errorf("optimize: %d levers and %d objectives", s.Levers, len(s.Signs))
	case s.Replications < 2 || s.Fresh < 2 || s.Top < 1:
		return nil, fmt.Errorf("optimize: replications %d and fresh %d must be at least 2, top %d at least 1", s.Replications, s.Fresh, s.Top)
	}
	if memo == nil {
		memo = Memo{}
	}
	r := &runner{ev: ev, memo: memo, nObj: len(s.Signs), after: after, s: s}
	res := &Result{Settings: s}
	// The coarsest lattice is the finest whose race takes at most half
	// the evaluations, leaving the rest for refinement.
	grid := 1
	if err := CheckBudget(s); err != nil {
		return nil, err
	}
	for grid < maxCoarseGrid && raceCost(latticeSize(s.Levers, grid+1), s.Replications) <= s.Evaluations/2 {
		grid++
	}
	byKey := map[string]*Candidate{}
	candidate := func(a Allocation, level int) *Candidate {
		if c, ok := byKey[a.Key()]; ok {
			return c
		}
		c := &Candidate{ID: len(res.Candidates), Alloc: a, Level: level, First: len(res.Rounds)}
		res.Candidates = append(res.Candidates, c)
		byKey[a.Key()] = c
		return c
	}
	var field []*Candidate
	for _, a := range lattice(s.Levers, grid) {
		field = append(field, candidate(a, 0))
	}
	for level := 0; ; level++ {
		if level > 0 {
			// Refine around the last race's leaders, if the budget can
			// pay for the whole race and the finer lattice has new points.
			last := res.Rounds[len(res.Rounds)-1]
			grid *= 2
			seen := map[string]bool{}
			var next []Allocation
			fresh := false
			for _, id := range last.Ranked {
				for _, a := range neighbours(res.Candidates[id].Alloc.at(grid / 2)) {
					if !seen[a.Key()] {
						seen[a.Key()] = true
						next = append(next, a)
						if byKey[a.Key()] == nil {
							fresh = true
						}
					}
				}
			}
			if !fresh || grid > maxGrid || r.runs+raceCost(len(next), s.Replications) > s.Evaluations {
				break
			}
			field = field[:0]
			for _, a := range next {
				field = append(field, candidate(a, level))
			}
		}
		if err := race(ctx, r, res, field, level, grid); err != nil {
			return nil, err
		}
	}
	last := res.Rounds[len(res.Rounds)-1]
	res.Best = last.Ranked[0]
	res.Top = topCandidates(res, s.Top)
	if len(s.Signs) == 2 {
		res.Front = front(res)
	}
	// The baseline on the best's replications, for the search's own
	// estimate of its effect.
	best := res.Candidates[res.Best]
	figs, err := r.figures(ctx, []Allocation{Baseline(s.Levers)}, [][]int{upTo(0, len(best.Figures))})
	if err != nil {
		return nil, err
	}
	res.SearchBaseline = figs[0]
	res.SearchRuns = r.runs
	if err := honest(ctx, r, res); err != nil {
		return nil, err
	}
	return res, nil
}

// CheckBudget returns an error wrapping ErrBudget when s's evaluations
// cannot pay for one race over the coarsest lattice (all the budget on
// one lever).
func CheckBudget(s Settings) error {
	if need := raceCost(latticeSize(s.Levers, 1), s.Replications); need > s.Evaluations {
		return fmt.Errorf("%w: one race over the %d single-lever allocations with %d replications takes up to %d evaluations, %d given",
			ErrBudget, s.Levers, s.Replications, need, s.Evaluations)
	}
	return nil
}

// Limits of an optimization that hold even with the caps lifted.
const (
	maxReplications = 1_000
	maxTop          = 50
)

// Check returns the first of s's Replications, Fresh, Top and Evaluations
// (in that order) that is out of its range, or nil when all are in range.
func (s Settings) Check() *scenarios.SettingError {
	switch {
	case s.Replications < 2 || s.Replications > maxReplications:
		return &scenarios.SettingError{Setting: "replications", Want: fmt.Sprintf("must be from 2 to %d, got %d", maxReplications, s.Replications)}
	case s.Fresh < 2 || s.Fresh > maxReplications:
		return &scenarios.SettingError{Setting: "fresh", Want: fmt.Sprintf("must be from 2 to %d, got %d", maxReplications, s.Fresh)}
	case s.Top < 1 || s.Top > maxTop:
		return &scenarios.SettingError{Setting: "top", Want: fmt.Sprintf("must be from 1 to %d, got %d", maxTop, s.Top)}
	case s.Evaluations < 1:
		return &scenarios.SettingError{Setting: "evaluations", Want: fmt.Sprintf("must be at least 1, got %d", s.Evaluations)}
	}
	return nil
}

// CheckRuns returns an error when the runs s may use exceed limit (0: no
// limit), the cap on runs that guards against typos: the search's
// evaluations, the baseline's on its best's replications and the honest
// re-run of at most Top, a front of maxFront and the baseline.
func (s Settings) CheckRuns(limit int) error {
	reruns := s.Top + maxFront + 1
	if n := float64(s.Evaluations) + float64(float64(s.Fresh)*float64(reruns)) + float64(float64(s.Replications)*64); limit > 0 && n > float64(limit) {
		return fmt.Errorf("%d evaluations and %d fresh runs of up to %d allocations are up to %.0f runs, more than the cap of %d, which guards against typos; %s lifts it",
			s.Evaluations, s.Fresh, reruns, n, limit, scenarios.CapFlag)
	}
	return nil
}

// upTo lists the replicate indices from, from+1, ..., from+n−1.
func upTo(from, n int) []int {
	reps := make([]int, n)
	for i := range reps {
		reps[i] = from + i
	}
	return reps
}

// race runs the rounds of one race among field, from s.Replications
// replications, until leaders are left.
func race(ctx context.Context, r *runner, res *Result, field []*Candidate, level, grid int) error {
	reps := res.Settings.Replications
	for {
		allocs := make([]Allocation, len(field))
		need := make([][]int, len(field))
		for i, c := range field {
			allocs[i] = c.Alloc
			need[i] = upTo(len(c.Figures), max(0, reps-len(c.Figures)))
		}
		figs, err := r.figures(ctx, allocs, need)
		if err != nil {
			return err
		}
		round := Round{Index: len(res.Rounds), Level: level, Grid: grid, Replicates: reps}
		for i, c := range field {
			c.Figures = append(c.Figures, figs[i]...)
			c.Last = round.Index
		}
		ranked, means := rank(field, reps, res.Settings.Signs)
		for _, i := range ranked {
			round.Ranked = append(round.Ranked, field[i].ID)
			round.Means = append(round.Means, means[i])
		}
		round.Runs = r.runs
		res.Rounds = append(res.Rounds, round)
		if r.after != nil {
			if err := r.after(r.memo); err != nil {
				return err
			}
		}
		n := survivors(len(field))
		if n == len(field) {
			return nil
		}
		next := make([]*Candidate, n)
		for k := range next {
			next[k] = field[ranked[k]]
		}
		field, reps = next, 2*reps
	}
}

// means is each objective's mean of figs (NaN when a figure is NaN).
func means(figs [][]float64, nObj int) []float64 {
	m := make([]float64, nObj)
	col := make([]float64, len(figs))
	for o := range m {
		for k, f := range figs {
			col[k] = f[o]
		}
		m[o] = portable.Mean(col)
	}
	return m
}

// score is a mean in the direction the search minimizes, NaN as +Inf.
func score(mean, sign float64) float64 {
	if math.IsNaN(mean) {
		return math.Inf(1)
	}
	return sign * mean
}

// dominates reports whether scores a are no worse than b's in every
// objective and better in one.
func dominates(a, b []float64) bool {
	better := false
	for o := range a {
		if a[o] > b[o] {
			return false
		}
		better = better || a[o] < b[o]
	}
	return better
}

// rank orders field by its means over replications 0 to reps−1: by how
// many others dominate it (with two objectives), then by the first
// objective, then by ID. It returns the order (indices of field) and every
// candidate's means.
func rank(field []*Candidate, reps int, signs []float64) ([]int, [][]float64) {
	ms := make([][]float64, len(field))
	sc := make([][]float64, len(field))
	for i, c := range field {
		ms[i] = means(c.Figures[:reps], len(signs))
		sc[i] = make([]float64, len(signs))
		for o, sg := range signs {
			sc[i][o] = score(ms[i][o], sg)
		}
	}
	dominated := make([]int, len(field))
	if len(signs) > 1 {
		for i := range field {
			for j := range field {
				if dominates(sc[j], sc[i]) {
					dominated[i]++
				}
			}
		}
	}
	order := make([]int, len(field))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(dominated[a], dominated[b]), cmp.Compare(sc[a][0], sc[b][0]), cmp.Compare(field[a].ID, field[b].ID))
	})
	return order, ms
}

// topCandidates is the best and the next best up to k: the last round's
// ranking, then each earlier round's, newest first.
func topCandidates(res *Result, k int) []int {
	var top []int
	for i := len(res.Rounds) - 1; i >= 0 && len(top) < k; i-- {
		for _, id := range res.Rounds[i].Ranked {
			if len(top) < k && !slices.Contains(top, id) {
				top = append(top, id)
			}
		}
	}
	return top
}

// front is the Pareto front of every candidate's means over all its
// replications, by the first objective, at most maxFront of them spread
// evenly along it.
func front(res *Result) []int {
	signs := res.Settings.Signs
	sc := make([][]float64, len(res.Candidates))
	for i, c := range res.Candidates {
		m := means(c.Figures, len(signs))
		sc[i] = []float64{score(m[0], signs[0]), score(m[1], signs[1])}
	}
	var f []int
	for i := range res.Candidates {
		if math.IsInf(sc[i][0], 1) || math.IsInf(sc[i][1], 1) {
			continue
		}
		dominated := false
		for j := range res.Candidates {
			if dominates(sc[j], sc[i]) {
				dominated = true
				break
			}
		}
		if !dominated {
			f = append(f, i)
		}
	}
	slices.SortFunc(f, func(a, b int) int { return cmp.Or(cmp.Compare(sc[a][0], sc[b][0]), cmp.Compare(a, b)) })
	if len(f) <= maxFront {
		return f
	}
	out := make([]int, maxFront)
	for k := range out {
		out[k] = f[k*(len(f)-1)/(maxFront-1)]
	}
	return out
}
