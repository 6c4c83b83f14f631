package output

import (
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestBaselineMatch(t *testing.T) {
	cfg := sim.NewConfig()
	cfg.Name, cfg.Seed, cfg.Steps, cfg.Replicates = "toy", 1, 40, 3
	other := cfg
	other.Diffusion.Q = cfg.Diffusion.Q + 0.1
	made := Baseline{Scenario: "toy", ConfigSHA256: ConfigHash(cfg), Seed: 1, Replicates: 3,
		Metrics: []BaselineMetric{{Metric: sim.MetricT50, N: 3, Mean: 30, SD: 2}}}
	legacy := made
	legacy.ConfigSHA256 = ""
	seeded := func(c sim.Config, seed uint64, reps int) sim.Config { c.Seed, c.Replicates = seed, reps; return c }
	short := cfg
	short.Steps = 20
	tests := []struct {
		name    string
		b       Baseline
		cfg     sim.Config
		want    BaselineMatch
		wantErr bool
	}{
		{"the same scenario", made, cfg, BaselineMatch{ConfigSHA256: made.ConfigSHA256}, false},
		{"more replications", made, seeded(cfg, 1, 10), BaselineMatch{ConfigSHA256: made.ConfigSHA256}, false},
		{"another seed", made, seeded(cfg, 2, 3), BaselineMatch{ConfigSHA256: made.ConfigSHA256, OtherSeed: true}, false},
		{"another scenario", made, other, BaselineMatch{Differs: true, ConfigSHA256: ConfigHash(other)}, false},
		{"a baseline without the hash", legacy, other, BaselineMatch{Unhashed: true, ConfigSHA256: ConfigHash(other)}, false},
		{"runs too short", made, short, BaselineMatch{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.b.Match(tt.cfg)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Match = %+v, %v; want %+v, an error: %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
