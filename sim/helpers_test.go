package sim

import "testing"

// bassConfig is the pure-diffusion validation case: one region, one city,
// well-mixed contacts, capability 1, no friction, one innovation seeded in a
// share of the firms.
func bassConfig(firms, steps, reps int, p, q, share float64) Config {
	c := NewConfig()
	c.Name = "bass"
	c.Seed = 7
	c.Steps = steps
	c.Replicates = reps
	c.Diffusion.Mixing = MixingWell
	c.Diffusion.Q = q
	reg := NewRegion()
	reg.ID, reg.P = "all", p
	city := NewCity()
	city.ID, city.Firms = "town", firms
	reg.Cities = []City{city}
	c.Regions = []Region{reg}
	c.Initial = []Initial{{City: "town", Share: share}}
	return c
}

// toyConfig is a small five-region scenario with labs, friction and every
// step of the model at work.
func toyConfig() Config {
	c := NewConfig()
	c.Name = "toy"
	c.Seed = 11
	c.Steps = 40
	c.Replicates = 3
	c.Diffusion.Q = 0.4
	c.Transfer.Attempts = 2
	c.Transfer.MaxPending = 12
	c.DefaultLink = LinkParams{Friction: 0.3, Coupling: 0.5}
	mk := func(id, role string, p, reach, pull float64, cities ...City) Region {
		r := NewRegion()
		r.ID, r.Role, r.P, r.Reach, r.Pull, r.Cities = id, role, p, reach, pull, cities
		return r
	}
	ct := func(id string, labs, firms int, research, transform, cap float64) City {
		c := NewCity()
		c.ID, c.Labs, c.Firms, c.Research, c.Transform = id, labs, firms, research, transform
		c.Capability = Capability{Mean: cap, Spread: min(cap, 1-cap) / 2}
		return c
	}
	c.Regions = []Region{
		mk("src", "source", 0.002, 0.1, 1, ct("lab1", 20, 300, 0.05, 0.2, 0.5), ct("lab2", 5, 200, 0.05, 0.2, 0.5)),
		mk("acc", "accelerator", 0.003, 0.15, 3, ct("fast", 2, 400, 0.02, 0.6, 0.8)),
		mk("con", "connector", 0.002, 0.5, 1.5, ct("hub", 3, 300, 0.02, 0.3, 0.6), ct("port", 0, 150, 0, 0.3, 0.6)),
		mk("east", "periphery", 0.001, 0.1, 0.5, ct("e1", 1, 300, 0.01, 0.1, 0.4)),
		mk("west", "periphery", 0.001, 0.1, 0.5, ct("w1", 1, 300, 0.01, 0.1, 0.4)),
	}
	c.Links = []Link{
		{Between: [2]string{"src", "src"}, LinkParams: LinkParams{Friction: 0.1, Coupling: 2}},
		{Between: [2]string{"acc", "acc"}, LinkParams: LinkParams{Friction: 0.05, Coupling: 2}},
		{Between: [2]string{"con", "east"}, LinkParams: LinkParams{Friction: 0.1, Coupling: 2}},
		{Between: [2]string{"con", "west"}, LinkParams: LinkParams{Friction: 0.1, Coupling: 2}},
	}
	return c
}

func mustValid(t testing.TB, c Config) Config {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatalf("config does not validate:\n%v", err)
	}
	return c
}
