package runs

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// TestCheckRunTakesEveryBuiltin runs every built-in scenario (one run of
// its first and last sweep point, fewer steps with -short) and checks
// that checkRun takes each run as it is, after a trip through a run file:
// the checks must never refuse a run the model made.
func TestCheckRunTakesEveryBuiltin(t *testing.T) {
	for _, in := range scenarios.List() {
		t.Run(in.Name, func(t *testing.T) {
			cfg, err := scenarios.Builtin(in.Name)
			if err != nil {
				t.Fatal(err)
			}
			if testing.Short() {
				cfg.Steps = min(cfg.Steps, 48)
			}
			last := len(cfg.Points()) - 1
			tasks := []sim.Task{{Point: 0, Replicate: 0}, {Point: last, Replicate: 0}}
			rs, err := sim.RunTasks(context.Background(), cfg, tasks, sim.Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, run := range rs {
				var buf bytes.Buffer
				if err := WriteRun(&buf, "s", run); err != nil {
					t.Fatal(err)
				}
				back, err := ReadRun(&buf, RunHeader{Scenario: "s", Point: run.Point, Replicate: run.Replicate, Seed: run.Seed})
				if err != nil {
					t.Fatal(err)
				}
				if err := checkRun(&cfg, back); err != nil {
					t.Errorf("point %d: a run of the model is refused: %v", run.Point, err)
				}
				if n := int64(buf.Len()); n > RunFileCap(&cfg) {
					t.Errorf("point %d: a run file of %d bytes is over the cap %d", run.Point, n, RunFileCap(&cfg))
				}
			}
		})
	}
}

// TestCheckRunRefusesInconsistentRuns changes a run of the toy scenario in
// every way its figures could be inconsistent (as a file rewritten with a
// valid checksum could be): each change is refused by checkRun with a
// message, and Store.Load refuses the file with ErrRunCorrupt, naming
// it, without a panic.
func TestCheckRunRefusesInconsistentRuns(t *testing.T) {
	cfg := toy(t)
	// Long enough, with enough research and little patience, to have
	// breakthroughs commercialized and lost.
	cfg.Sweep, cfg.Steps, cfg.Transfer.MaxPending = nil, 40, 3
	for i := range cfg.Regions {
		cfg.Regions[i].Cities[0].Research = 0.3
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rs, err := sim.RunTasks(context.Background(), cfg, []sim.Task{{}}, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	good := rs[0]
	if err := checkRun(&cfg, good); err != nil {
		t.Fatalf("the run as made is refused: %v", err)
	}
	// The edits need a run with something in every part.
	first := slices.IndexFunc(good.Innovations, func(in sim.Innovation) bool {
		return in.Fate == sim.FateCommercialized && in.Discovered >= 0
	})
	lostAt := slices.IndexFunc(good.Innovations, func(in sim.Innovation) bool { return in.Fate == sim.FateLost })
	if first < 0 || lostAt < 0 || len(good.Lags) == 0 {
		t.Fatalf("the toy run commercializes %d and loses %d: the test needs both", len(good.Lags), lostAt+1)
	}
	commRow := good.Innovations[first].FateStep*len(cfg.Regions) + good.Innovations[first].Region
	cases := []struct {
		name string
		edit func(r *sim.RunResult)
	}{
		{"a row missing", func(r *sim.RunResult) { r.Rows = r.Rows[:len(r.Rows)-1] }},
		{"no rows", func(r *sim.RunResult) { r.Rows = nil }},
		{"two rows swapped", func(r *sim.RunResult) { r.Rows[0], r.Rows[1] = r.Rows[1], r.Rows[0] }},
		{"a region out of range", func(r *sim.RunResult) { r.Rows[1].Region = 7 }},
		{"negative discoveries", func(r *sim.RunResult) { r.Rows[0].Discovered = -270_000_000_000 }},
		{"more discoveries than the log", func(r *sim.RunResult) { r.Rows[0].Discovered++ }},
		{"a commercialization too many", func(r *sim.RunResult) { r.Rows[commRow].Commercialized++ }},
		{"an adoption share above one", func(r *sim.RunResult) { r.Rows[len(r.Rows)-1].AdoptionShare = 1.5 }},
		{"an adoption share of NaN", func(r *sim.RunResult) { r.Rows[3].AdoptionShare = math.NaN() }},
		{"more products past 90 % than past 50 %", func(r *sim.RunResult) { r.Rows[len(r.Rows)-1].Reached90 = r.Rows[len(r.Rows)-1].Reached50 + 1 }},
		{"more products past 10 % than exist", func(r *sim.RunResult) { r.Rows[0].Reached10 = 1_000 }},
		{"a short transfer matrix", func(r *sim.RunResult) { r.Transfer = r.Transfer[:1] }},
		{"a transfer row too short", func(r *sim.RunResult) { r.Transfer[1] = r.Transfer[1][:1] }},
		{"a negative transfer", func(r *sim.RunResult) { r.Transfer[0][0] = -1 }},
		{"transfers that are not the rows'", func(r *sim.RunResult) { r.Transfer[0][0]++ }},
		{"a lag missing", func(r *sim.RunResult) { r.Lags = r.Lags[1:] }},
		{"a negative lag", func(r *sim.RunResult) { r.Lags[0] = -3 }},
		{"a lag that is not the log's", func(r *sim.RunResult) { r.Lags[0] += 1 }},
		{"t50 of one region only", func(r *sim.RunResult) { r.T50 = r.T50[:1] }},
		{"t50 beyond the run", func(r *sim.RunResult) { r.T50[0] = 1e9 }},
		{"a share reaching 50 % above one", func(r *sim.RunResult) { r.Reached50[1] = 2 }},
		{"no Kaplan–Meier t50", func(r *sim.RunResult) { r.T50KM = nil }},
		{"adoption at 24 of one region", func(r *sim.RunResult) { r.AdoptionAt[0] = r.AdoptionAt[0][:1] }},
		{"adoption at 60 below zero", func(r *sim.RunResult) { r.AdoptionAt[1][0] = -0.5 }},
		{"a commercialization rate of infinity", func(r *sim.RunResult) { r.CommercializationRate = math.Inf(1) }},
		{"negative trials", func(r *sim.RunResult) { r.Trials = -1 }},
		{"an innovation of a region that is not there", func(r *sim.RunResult) { r.Innovations[first].Origin = 9 }},
		{"an innovation of another region's city", func(r *sim.RunResult) {
			in := &r.Innovations[first]
			in.OriginCity = 1 - in.OriginCity
		}},
		{"an innovation commercialized in no region", func(r *sim.RunResult) { r.Innovations[first].Region = -1 }},
		{"an innovation commercialized before its discovery", func(r *sim.RunResult) {
			in := &r.Innovations[first]
			in.FateStep = in.Discovered - 1
		}},
		{"an innovation of an unknown fate", func(r *sim.RunResult) { r.Innovations[first].Fate = "sold" }},
		{"an innovation dropped from the log", func(r *sim.RunResult) { r.Innovations = slices.Delete(r.Innovations, lostAt, lostAt+1) }},
		{"a lost innovation said to be pending", func(r *sim.RunResult) {
			in := &r.Innovations[lostAt]
			in.Fate, in.FateStep = sim.FatePending, -1
		}},
		{"an innovation with the regions of another scenario", func(r *sim.RunResult) { r.Innovations[first].Reached[1] = []int{-1} }},
		{"an innovation reaching a region after the run", func(r *sim.RunResult) { r.Innovations[first].Reached[0][0] = cfg.Steps }},
		{"an innovation's adoption at an age above one", func(r *sim.RunResult) { r.Innovations[first].AtAge[0][0] = 3 }},
		{"an initial product the scenario does not have", func(r *sim.RunResult) {
			r.Innovations = append(r.Innovations, sim.Innovation{Origin: 0, OriginCity: 0, Discovered: -1, Fate: sim.FateCommercialized, FateStep: -1,
				Reached: [3][]int{{-1, -1}, {-1, -1}, {-1, -1}}, AtAge: [2][]float64{{math.NaN(), math.NaN()}, {math.NaN(), math.NaN()}}})
		}},
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, RunsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	st := NewStore(dir, &cfg)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cloneRun(t, good)
			c.edit(r)
			err := checkRun(&cfg, r)
			if err == nil {
				t.Fatal("checkRun took it")
			}
			if err := st.Save(r); err != nil {
				t.Fatal(err)
			}
			_, err = st.Load(sim.Task{})
			a, advised := errors.AsType[*Advice](err)
			if !errors.Is(err, ErrRunCorrupt) || !strings.Contains(err.Error(), st.Path(sim.Task{})) || !advised || a.Fix != FixRemoveRun {
				t.Errorf("Load: got %v, want ErrRunCorrupt naming the file and what to do", err)
			}
		})
	}
}

// cloneRun is a deep copy of r, through a run file.
func cloneRun(t *testing.T, r *sim.RunResult) *sim.RunResult {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteRun(&buf, "x", r); err != nil {
		t.Fatal(err)
	}
	c, err := ReadRun(&buf, RunHeader{Scenario: "x", Point: r.Point, Replicate: r.Replicate, Seed: r.Seed})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
