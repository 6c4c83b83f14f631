package sim

import "strconv"

// defaultValue returns the default of p, or the missing marker.
func defaultValue(p *Param) float64 {
	if p.Default == "" {
		if p.Int {
			return float64(missingInt)
		}
		return missing
	}
	v, err := strconv.ParseFloat(p.Default, 64)
	if err != nil {
		panic("sim: bad default for " + p.Name)
	}
	return v
}

func applyDefaults(c *Config, s Scope, i, j int) {
	for k := range Params {
		p := &Params[k]
		if p.Scope != s || (s == ScopeRegion && p.Name == "q") || (s == ScopeLink && p.Name == "search") {
			continue
		}
		t := target{p, i, j, ""}
		if p.Int {
			if p.Default == "" {
				*p.iptr(c, i, j) = missingInt
				continue
			}
		}
		t.set(c, defaultValue(p))
	}
}

// NewConfig returns a Config holding the defaults of the scenario-wide
// fields; required fields hold a marker that Validate reports as missing.
func NewConfig() Config {
	c := Config{Diffusion: Diffusion{Mixing: MixingFixed, Ties: TiesReciprocal}}
	applyDefaults(&c, ScopeScenario, 0, 0)
	return c
}

// NewRegion returns a Region holding the defaults.
func NewRegion() Region {
	c := Config{Regions: []Region{{}}}
	applyDefaults(&c, ScopeRegion, 0, 0)
	return c.Regions[0]
}

// NewCity returns a City holding the defaults.
func NewCity() City {
	c := Config{Regions: []Region{{Cities: []City{{}}}}}
	applyDefaults(&c, ScopeCity, 0, 0)
	return c.Regions[0].Cities[0]
}

// NewLink returns a Link holding the defaults.
func NewLink() Link {
	c := Config{Links: []Link{{}}}
	applyDefaults(&c, ScopeLink, 0, 0)
	return c.Links[0]
}
