package sim

import (
	"context"
	"errors"
	"math"
	"testing"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(c *Config)
		field  string
	}{
		{"adoption influence above one", func(c *Config) { c.Regions[0].P = 1.5 }, "regions[0].p"},
		{"negative reach", func(c *Config) { c.Regions[2].Reach = -0.1 }, "regions[2].reach"},
		{"friction of one", func(c *Config) { c.Links[0].Friction = 1 }, "links[0].friction"},
		{"not a number", func(c *Config) { c.Regions[1].Cities[0].Transform = math.NaN() }, "regions[1].cities[0].transform"},
		{"infinite pull", func(c *Config) { c.Regions[1].Pull = math.Inf(1) }, "regions[1].pull"},
		{"negative firms", func(c *Config) { c.Regions[0].Cities[1].Firms = -3 }, "regions[0].cities[1].firms"},
		{"zero steps", func(c *Config) { c.Steps = 0 }, "steps"},
		{"missing adoption influence", func(c *Config) { c.Regions[3].P = missing }, "regions[3].p"},
		{"spread as large as the mean", func(c *Config) { c.Regions[0].Cities[0].Capability.Spread = 0.5 }, "regions[0].cities[0].capability.spread"},
		{"capability above one", func(c *Config) { c.Regions[1].Cities[0].Capability = Capability{0.9, 0.2} }, "regions[1].cities[0].capability.spread"},
		{"duplicate id", func(c *Config) { c.Regions[1].Cities[0].ID = "lab1" }, "regions[1].cities[0].id"},
		{"region id reused by a city", func(c *Config) { c.Regions[1].Cities[0].ID = "src" }, "regions[1].cities[0].id"},
		{"id not a slug", func(c *Config) { c.Regions[0].ID = "Big Hub" }, "regions[0].id"},
		{"region without city", func(c *Config) { c.Regions[4].Cities = nil }, "regions[4].cities"},
		{"link to a missing region", func(c *Config) { c.Links[1].Between[1] = "north" }, "links[1].between[1]"},
		{"duplicate link", func(c *Config) { c.Links[3].Between = [2]string{"east", "con"} }, "links[3].between"},
		{"unknown mixing", func(c *Config) { c.Diffusion.Mixing = "random" }, "diffusion.mixing"},
		{"more contacts than firms", func(c *Config) { c.Diffusion.K = 5000 }, "diffusion.k"},
		{"initial in a missing city", func(c *Config) { c.Initial = []Initial{{City: "atlantis", Share: 0.1}} }, "initial[0].city"},
		{"initial share zero", func(c *Config) { c.Initial = []Initial{{City: "hub", Share: 0}} }, "initial[0].share"},
		{"policy after the end", func(c *Config) {
			c.Policies = []Policy{{At: 40, Name: "late", Set: map[string]float64{"diffusion.q": 0.1}}}
		}, "policies[0].at"},
		{"policy on a fixed field", func(c *Config) {
			c.Policies = []Policy{{At: 1, Name: "grow", Set: map[string]float64{"cities.hub.firms": 10}}}
		}, "policies[0].set.cities.hub.firms"},
		{"policy on a missing path", func(c *Config) {
			c.Policies = []Policy{{At: 1, Name: "x", Set: map[string]float64{"regions.nope.p": 0.1}}}
		}, "policies[0].set.regions.nope.p"},
		{"policy value out of range", func(c *Config) {
			c.Policies = []Policy{{At: 1, Name: "x", Set: map[string]float64{"regions.acc.p": 2}}}
		}, "policies[0].set.regions.acc.p"},
		{"too many firms", func(c *Config) { c.Regions[0].Cities[0].Firms = MaxFirms }, "regions"},
		{"a policy that leaves the spread above the mean", func(c *Config) {
			c.Policies = []Policy{{At: 1, Name: "x", Set: map[string]float64{"cities.fast.capability.mean": 0.05}}}
		}, "policies[0].set.cities.fast.capability.mean"},
		{"a later policy that leaves mean + spread above one", func(c *Config) {
			c.Policies = []Policy{
				{At: 5, Name: "late", Set: map[string]float64{"cities.hub.capability.spread": 0.35}},
				{At: 1, Name: "early", Set: map[string]float64{"cities.hub.capability.mean": 0.7}},
			}
		}, "policies[0].set.cities.hub.capability.spread"},
		{"a control character in a role", func(c *Config) { c.Regions[2].Role = "conn\x1b[2Jector" }, "regions[2].role"},
		{"a newline in a region's name", func(c *Config) { c.Regions[1].Name = "Bay\nArea" }, "regions[1].name"},
		{"a right-to-left override in a city's name", func(c *Config) { c.Regions[0].Cities[1].Name = "lab\u202e2" }, "regions[0].cities[1].name"},
		{"a control character in a policy's name", func(c *Config) {
			c.Policies = []Policy{{At: 1, Name: "ok\rALL CHECKS PASSED", Set: map[string]float64{"diffusion.q": 0.1}}}
		}, "policies[0].name"},
		{"a bell in the description", func(c *Config) { c.Description = "line one\nline two\a" }, "description"},
		{"pulls whose partner-search weights overflow", func(c *Config) {
			c.Regions[3].Pull, c.Regions[4].Pull = 1.7e308, 1.7e308
		}, "regions[3].pull"},
		{"two couplings that overflow", func(c *Config) {
			c.Links[2].Coupling, c.Links[3].Coupling = 1.7e308, 1.7e308
		}, "links[2].coupling"},
		{"a policy whose pull overflows the partner search", func(c *Config) {
			c.Regions[1].Pull = 8e307 // in the file, acc's weights add up to 1.6e308 + 4.5
			c.Policies = []Policy{{At: 3, Name: "x", Set: map[string]float64{"regions.acc.pull": 1e308}}}
		}, "policies[0].set.regions.acc.pull"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := toyConfig()
			c.change(&cfg)
			err := cfg.Validate()
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("got %v, want Errors", err)
			}
			for _, e := range es {
				if e.Field == c.field {
					return
				}
			}
			t.Errorf("got %v, want a problem with %s", err, c.field)
		})
	}
	t.Run("a valid config passes", func(t *testing.T) {
		cfg := toyConfig()
		if err := cfg.Validate(); err != nil {
			t.Errorf("got %v, want no error", err)
		}
	})
}

// TestValidateKeepsDescriptionsMultiline holds that a description may
// span lines: only names must be one line.
func TestValidateKeepsDescriptionsMultiline(t *testing.T) {
	cfg := toyConfig()
	cfg.Description = "line one\n\tline two, indented"
	if err := cfg.Validate(); err != nil {
		t.Errorf("got %v, want no error", err)
	}
}

// TestExtremeWeightsWithinTheirRangeGiveFiniteResults runs a scenario
// whose pull and couplings are as large as Validate lets them be, and
// holds every figure of its runs finite or, where a figure may be
// undefined (no product reached 50 %), NaN.
func TestExtremeWeightsWithinTheirRangeGiveFiniteResults(t *testing.T) {
	cfg := toyConfig()
	cfg.Replicates = 1
	cfg.Regions[1].Pull = 1e307
	cfg.Links[2].Coupling = 1e307
	cfg = mustValid(t, cfg)
	res, err := Run(context.Background(), cfg, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range res.Runs {
		moved := 0
		for _, row := range run.Transfer {
			for _, n := range row {
				moved += n
			}
		}
		if moved == 0 {
			t.Error("no breakthrough was commercialized: the partner search found no partner")
		}
		for _, row := range run.Rows {
			for _, v := range []float64{row.AdoptionShare} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("step %d, region %d: adoption share %v, want a number", row.Step, row.Region, v)
				}
			}
		}
	}
}
