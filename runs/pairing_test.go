package runs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

func TestPairingPairsScenariosWithTheFirstInput(t *testing.T) {
	scenario := func(name string, seed uint64, reps int, regions ...string) sim.Config {
		cfg := sim.Config{Name: name, Seed: seed, Replicates: reps}
		for _, r := range regions {
			cfg.Regions = append(cfg.Regions, sim.Region{ID: r})
		}
		return cfg
	}
	type add struct {
		source string
		cfg    sim.Config
	}
	tests := []struct {
		name      string
		adds      []add
		wantSeeds []uint64
		wantReps  []int
		regions   string // in SameRegions' error, "" for none
	}{
		{"the first sets seed and replications", []add{{"a.yaml", scenario("a", 7, 3, "x", "y")}, {"b.yaml", scenario("b", 1, 10, "x", "y")}, {"c.yaml", scenario("c", 2, 20, "x", "y")}},
			[]uint64{7, 7, 7}, []int{3, 3, 3}, ""},
		{"one scenario keeps its own", []add{{"a.yaml", scenario("a", 5, 4, "x")}}, []uint64{5}, []int{4}, ""},
		{"other regions", []add{{"a.yaml", scenario("a", 7, 3, "x", "y")}, {"b.yaml", scenario("b", 1, 10, "x", "z")}},
			[]uint64{7, 7}, []int{3, 3}, "(only a.yaml has y; only b.yaml has z)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Pairing
			for _, a := range tt.adds {
				cfg := a.cfg
				p.Pair(&cfg)
				if err := p.AddScenario(a.source, []byte(a.source), cfg); err != nil {
					t.Fatal(err)
				}
			}
			for i, in := range p.Inputs {
				sum := sha256.Sum256([]byte(tt.adds[i].source))
				if in.Set.Config.Seed != tt.wantSeeds[i] || in.Set.Config.Replicates != tt.wantReps[i] || in.Folder ||
					in.Source != tt.adds[i].source || in.Set.Label != tt.adds[i].cfg.Name || in.FileSHA256 != hex.EncodeToString(sum[:]) {
					t.Errorf("input %d: %+v, want seed %d, %d replications", i, in, tt.wantSeeds[i], tt.wantReps[i])
				}
			}
			err := p.SameRegions()
			if tt.regions == "" && err != nil || tt.regions != "" && (err == nil || !strings.Contains(err.Error(), tt.regions)) {
				t.Errorf("SameRegions: %v, want %q", err, tt.regions)
			}
		})
	}
}

func TestPairingRefusesSweeps(t *testing.T) {
	var p Pairing
	cfg := sim.Config{Name: "s", Sweep: &sim.Sweep{}}
	err := p.AddScenario("s.yaml", nil, cfg)
	if !errors.Is(err, ErrSweep) || err.Error() != "s.yaml has a sweep: compare takes single scenarios (use the sweep's summary.csv instead)" || len(p.Inputs) != 0 {
		t.Errorf("a sweep: %v, %d inputs", err, len(p.Inputs))
	}
}

func TestPairingPairsWithAFolder(t *testing.T) {
	cfg := toy(t)
	cfg.Sweep = nil
	dir := filepath.Join(t.TempDir(), "done")
	man := startFolder(t, dir, cfg, nil)
	if _, _, err := runAndFinish(context.Background(), dir, man, 1, Progress{}, fixed); err != nil {
		t.Fatal(err)
	}
	var p Pairing
	if err := p.AddFolder(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	other := sim.Config{Name: "b", Seed: 99, Replicates: 9}
	p.Pair(&other)
	if other.Seed != cfg.Seed || other.Replicates != cfg.Replicates || !p.Inputs[0].Folder || len(p.Inputs[0].Set.Runs) != cfg.Replicates {
		t.Errorf("paired with the folder: seed %d, %d replications; want %d, %d", other.Seed, other.Replicates, cfg.Seed, cfg.Replicates)
	}
	if err := p.AddFolder(context.Background(), filepath.Join(dir, "none")); err == nil || len(p.Inputs) != 1 {
		t.Errorf("a missing folder: %v, %d inputs", err, len(p.Inputs))
	}
}

func TestPairingRunRunsTheScenariosOnly(t *testing.T) {
	p := Pairing{Inputs: []CompareInput{
		{Source: "out/a", Folder: true, Set: output.RunSet{Label: "a", Regions: []string{"kept"}}},
		{Source: "b.yaml", Set: output.RunSet{Label: "b", Config: sim.Config{Name: "b", Seed: 1}}},
		{Source: "c.yaml", Set: output.RunSet{Label: "c", Config: sim.Config{Name: "c", Seed: 2}}},
	}}
	var ran []string
	run := func(cfg sim.Config) (*sim.Result, error) {
		ran = append(ran, cfg.Name)
		if cfg.Name == "c" && cfg.Seed == 3 {
			return nil, errors.New("stopped")
		}
		return &sim.Result{Regions: []string{cfg.Name + "-region"}, Runs: []*sim.RunResult{{}}}, nil
	}
	if err := p.Run(run); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ran, []string{"b", "c"}) || !slices.Equal(p.Inputs[0].Set.Regions, []string{"kept"}) ||
		!slices.Equal(p.Inputs[2].Set.Regions, []string{"c-region"}) || len(p.Inputs[1].Set.Runs) != 1 {
		t.Errorf("ran %v; inputs %+v", ran, p.Inputs)
	}
	p.Inputs[2].Set.Config.Seed = 3
	if err := p.Run(run); err == nil || err.Error() != "stopped" {
		t.Errorf("a failing run: %v", err)
	}
}
