package sim

import (
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
