package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Scope says where a parameter lives in a Config.
type Scope int

// Scopes of parameters.
const (
	ScopeScenario Scope = iota // one value for the scenario
	ScopeRegion                // one value per region: regions.<id>.<name>
	ScopeCity                  // one value per city: cities.<id>.<name>
	ScopeLink                  // one value per link: links.<a>-<b>.<name>
)

func (s Scope) String() string {
	switch s {
	case ScopeRegion:
		return "region"
	case ScopeCity:
		return "city"
	case ScopeLink:
		return "link"
	}
	return "scenario"
}

// Param describes one numeric parameter of the scenario format: where it is,
// its range and default, and whether a timed policy may change it. The same
// table drives validation, --set, policies and the generated reference in
// docs/SCENARIOS.md, so they cannot drift apart.
type Param struct {
	Scope Scope
	// Name is the parameter's path inside its scope, e.g. "p",
	// "capability.mean" or "diffusion.q".
	Name string
	// Int is true for whole numbers.
	Int bool
	// Lo and Hi bound the value; LoOpen and HiOpen exclude the bound.
	// Hi is +Inf for no upper bound.
	Lo, Hi         float64
	LoOpen, HiOpen bool
	// Default is the value used when the field is absent ("" when the
	// field is required).
	Default string
	// Policy is true when a timed policy may change the value mid-run.
	Policy bool
	// Doc says what the parameter means.
	Doc string

	ptr  func(c *Config, i, j int) *float64
	iptr func(c *Config, i, j int) *int
}

// Range renders the parameter's range in interval notation.
func (p Param) Range() string {
	lb, rb := "[", "]"
	if p.LoOpen {
		lb = "("
	}
	if p.HiOpen || math.IsInf(p.Hi, 1) {
		rb = ")"
	}
	hi := "∞"
	if !math.IsInf(p.Hi, 1) {
		hi = fmtNum(p.Hi)
	}
	return lb + fmtNum(p.Lo) + ", " + hi + rb
}

func (p Param) inRange(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	if v < p.Lo || (p.LoOpen && v == p.Lo) {
		return false
	}
	if v > p.Hi || (p.HiOpen && v == p.Hi) {
		return false
	}
	if p.Int && v != math.Trunc(v) {
		return false
	}
	return true
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

var inf = math.Inf(1)

// Limits that follow from how the model stores its agents (32-bit firm
// indices and contact offsets). The scenarios package sets lower caps that
// guard against typos.
const (
	MaxFirms      = 200_000_000
	MaxLabs       = 1_000_000
	MaxSteps      = 100_000
	MaxReplicates = 100_000
	MaxK          = 1_000
)

// Params lists every numeric parameter of the scenario format.
var Params = []Param{
	{Scope: ScopeScenario, Name: "steps", Int: true, Lo: 1, Hi: MaxSteps, Doc: "number of time steps in every run (a month in the built-in scenarios)",
		iptr: func(c *Config, _, _ int) *int { return &c.Steps }},
	{Scope: ScopeScenario, Name: "replications", Int: true, Lo: 1, Hi: MaxReplicates, Default: "10", Doc: "independent runs, each with its own seed derived from seed",
		iptr: func(c *Config, _, _ int) *int { return &c.Replicates }},
	{Scope: ScopeScenario, Name: "diffusion.k", Int: true, Lo: 1, Hi: MaxK, Default: "8", Doc: "contacts each firm draws (with reciprocal ties a firm also has those drawn to it, 2k on average)",
		iptr: func(c *Config, _, _ int) *int { return &c.Diffusion.K }},
	{Scope: ScopeScenario, Name: "diffusion.q", Lo: 0, Hi: 1, Default: "0.3", Policy: true, Doc: "imitation: each adopted tie adds q/2k to a firm's chance to adopt (q/k with directed ties), so a firm with the mean number of ties, all adopted, has p + q",
		ptr: func(c *Config, _, _ int) *float64 { return &c.Diffusion.Q }},
	{Scope: ScopeScenario, Name: "transfer.attempts", Int: true, Lo: 0, Hi: 1000, Default: "1", Policy: true, Doc: "partner searches per pending innovation and step",
		iptr: func(c *Config, _, _ int) *int { return &c.Transfer.Attempts }},
	{Scope: ScopeScenario, Name: "transfer.max_pending", Int: true, Lo: 1, Hi: MaxSteps, Default: "36", Policy: true, Doc: "steps after which an innovation no firm took up is lost (the valley of death)",
		iptr: func(c *Config, _, _ int) *int { return &c.Transfer.MaxPending }},
	{Scope: ScopeScenario, Name: "default_link.friction", Lo: 0, Hi: 1, HiOpen: true, Default: "0", Policy: true, Doc: "friction of every region pair that no link names",
		ptr: func(c *Config, _, _ int) *float64 { return &c.DefaultLink.Friction }},
	{Scope: ScopeScenario, Name: "default_link.coupling", Lo: 0, Hi: inf, Default: "1", Policy: true, Doc: "coupling of every region pair that no link names",
		ptr: func(c *Config, _, _ int) *float64 { return &c.DefaultLink.Coupling }},

	{Scope: ScopeRegion, Name: "p", Lo: 0, Hi: 1, Policy: true, Doc: "external adoption influence per step (Bass p): media, fairs, policy push",
		ptr: func(c *Config, i, _ int) *float64 { return &c.Regions[i].P }},
	{Scope: ScopeRegion, Name: "q", Lo: 0, Hi: 1, Default: "diffusion.q", Policy: true, Doc: "imitation weight for this region's firms, overriding diffusion.q",
		ptr: func(c *Config, i, _ int) *float64 {
			if c.Regions[i].Q == nil {
				c.Regions[i].Q = new(float64)
				*c.Regions[i].Q = c.Diffusion.Q
			}
			return c.Regions[i].Q
		}},
	{Scope: ScopeRegion, Name: "reach", Lo: 0, Hi: 1, Default: "0.1", Policy: true, Doc: "share of the contacts the region's firms draw in other regions; with reciprocal ties those firms also carry the region's products to the firms they tie to",
		ptr: func(c *Config, i, _ int) *float64 { return &c.Regions[i].Reach }},
	{Scope: ScopeRegion, Name: "local", Lo: 0, Hi: 1, Default: "0.5", Policy: true, Doc: "share of in-region contacts that stay in the firm's own city",
		ptr: func(c *Config, i, _ int) *float64 { return &c.Regions[i].Local }},
	{Scope: ScopeRegion, Name: "pull", Lo: 0, Hi: inf, Default: "1", Policy: true, Doc: "how strongly the region attracts commercialization (finance, markets)",
		ptr: func(c *Config, i, _ int) *float64 { return &c.Regions[i].Pull }},

	{Scope: ScopeCity, Name: "labs", Int: true, Lo: 0, Hi: MaxLabs, Default: "0", Doc: "number of labs (research agents)",
		iptr: func(c *Config, i, j int) *int { return &c.Regions[i].Cities[j].Labs }},
	{Scope: ScopeCity, Name: "firms", Int: true, Lo: 1, Hi: MaxFirms, Doc: "number of firms (adopting agents)",
		iptr: func(c *Config, i, j int) *int { return &c.Regions[i].Cities[j].Firms }},
	{Scope: ScopeCity, Name: "research", Lo: 0, Hi: 1, Default: "0", Policy: true, Doc: "chance per lab and step of a breakthrough",
		ptr: func(c *Config, i, j int) *float64 { return &c.Regions[i].Cities[j].Research }},
	{Scope: ScopeCity, Name: "transform", Lo: 0, Hi: 1, Default: "0.1", Policy: true, Doc: "chance that one of the city's firms turns a breakthrough into a product, per attempt, before capability, quality and friction",
		ptr: func(c *Config, i, j int) *float64 { return &c.Regions[i].Cities[j].Transform }},
	{Scope: ScopeCity, Name: "capability.mean", Lo: 0, Hi: 1, LoOpen: true, Default: "1", Policy: true, Doc: "mean capability of the city's firms; scales both transfer and adoption",
		ptr: func(c *Config, i, j int) *float64 { return &c.Regions[i].Cities[j].Capability.Mean }},
	{Scope: ScopeCity, Name: "capability.spread", Lo: 0, Hi: 1, HiOpen: true, Default: "0", Policy: true, Doc: "half-width of the uniform capability distribution; must stay below the mean and mean+spread ≤ 1",
		ptr: func(c *Config, i, j int) *float64 { return &c.Regions[i].Cities[j].Capability.Spread }},

	{Scope: ScopeLink, Name: "friction", Lo: 0, Hi: 1, HiOpen: true, Policy: true, Doc: "institutional friction (customs, standards); damps transfers and adoption signals across the link",
		ptr: func(c *Config, i, _ int) *float64 { return &c.Links[i].Friction }},
	{Scope: ScopeLink, Name: "coupling", Lo: 0, Hi: inf, Policy: true, Doc: "weight of transport and digital ties: where the firms of the first region draw contacts (and, without search, transfer partners)",
		ptr: func(c *Config, i, _ int) *float64 { return &c.Links[i].Coupling }},
	{Scope: ScopeLink, Name: "search", Lo: 0, Hi: inf, Default: "coupling", Policy: true, Doc: "weight of the pair in the partner search of the transfer step (technology markets, licensing, capital), when it differs from coupling",
		ptr: func(c *Config, i, _ int) *float64 {
			if c.Links[i].Search == nil {
				c.Links[i].Search = new(float64)
				*c.Links[i].Search = c.Links[i].Coupling
			}
			return c.Links[i].Search
		}},
}

// target is one parameter at one place in a Config.
type target struct {
	param *Param
	i, j  int
	field string // validation path, e.g. regions[1].p
}

func (t target) get(c *Config) float64 {
	if t.param.Int {
		return float64(*t.param.iptr(c, t.i, t.j))
	}
	if t.param.Scope == ScopeRegion && t.param.Name == "q" && c.Regions[t.i].Q == nil {
		return c.Diffusion.Q
	}
	return *t.param.ptr(c, t.i, t.j)
}

func (t target) set(c *Config, v float64) {
	if t.param.Int {
		*t.param.iptr(c, t.i, t.j) = int(v)
		return
	}
	*t.param.ptr(c, t.i, t.j) = v
}

// targets lists every parameter at every place of c, in file order.
func (c *Config) targets() []target {
	var ts []target
	for k := range Params {
		p := &Params[k]
		switch p.Scope {
		case ScopeScenario:
			ts = append(ts, target{p, 0, 0, p.Name})
		}
	}
	for i, r := range c.Regions {
		for k := range Params {
			p := &Params[k]
			if p.Scope != ScopeRegion || (p.Name == "q" && r.Q == nil) {
				continue
			}
			ts = append(ts, target{p, i, 0, fmt.Sprintf("regions[%d].%s", i, p.Name)})
		}
		for j := range r.Cities {
			for k := range Params {
				p := &Params[k]
				if p.Scope == ScopeCity {
					ts = append(ts, target{p, i, j, fmt.Sprintf("regions[%d].cities[%d].%s", i, j, p.Name)})
				}
			}
		}
	}
	for i, l := range c.Links {
		for k := range Params {
			p := &Params[k]
			if p.Scope == ScopeLink && !(p.Name == "search" && l.Search == nil) {
				ts = append(ts, target{p, i, 0, fmt.Sprintf("links[%d].%s", i, p.Name)})
			}
		}
	}
	return ts
}

// resolve finds the parameter a path such as "regions.gba.p",
// "cities.shenzhen.capability.mean", "links.bth-gba.friction" or
// "diffusion.q" names. An unknown path's error suggests the closest
// known one, if one is close.
func (c *Config) resolve(path string) (target, error) {
	t, err := c.find(path)
	if err != nil {
		return t, fmt.Errorf("%w%s", err, c.didYouMean(path))
	}
	return t, nil
}

// find is resolve without the suggestion.
func (c *Config) find(path string) (target, error) {
	scope, rest, _ := strings.Cut(path, ".")
	find := func(s Scope, name string) *Param {
		for k := range Params {
			if Params[k].Scope == s && Params[k].Name == name {
				return &Params[k]
			}
		}
		return nil
	}
	split := func() (id, name string, err error) {
		id, name, ok := strings.Cut(rest, ".")
		if !ok || id == "" || name == "" {
			return "", "", fmt.Errorf("%s: want %s.<id>.<parameter>", path, scope)
		}
		return id, name, nil
	}
	switch scope {
	case "regions":
		id, name, err := split()
		if err != nil {
			return target{}, err
		}
		p := find(ScopeRegion, name)
		if p == nil {
			return target{}, fmt.Errorf("%s: regions have no parameter %q (one of %s)", path, name, names(ScopeRegion))
		}
		for i, r := range c.Regions {
			if r.ID == id {
				return target{p, i, 0, fmt.Sprintf("regions[%d].%s", i, name)}, nil
			}
		}
		return target{}, fmt.Errorf("%s: no region has id %q", path, id)
	case "cities":
		id, name, err := split()
		if err != nil {
			return target{}, err
		}
		p := find(ScopeCity, name)
		if p == nil {
			return target{}, fmt.Errorf("%s: cities have no parameter %q (one of %s)", path, name, names(ScopeCity))
		}
		for i, r := range c.Regions {
			for j, ct := range r.Cities {
				if ct.ID == id {
					return target{p, i, j, fmt.Sprintf("regions[%d].cities[%d].%s", i, j, name)}, nil
				}
			}
		}
		return target{}, fmt.Errorf("%s: no city has id %q", path, id)
	case "links":
		dot := strings.LastIndex(rest, ".")
		if dot <= 0 {
			return target{}, fmt.Errorf("%s: want links.<region>-<region>.<parameter>", path)
		}
		id, name := rest[:dot], rest[dot+1:]
		p := find(ScopeLink, name)
		if p == nil {
			return target{}, fmt.Errorf("%s: links have no parameter %q (one of %s)", path, name, names(ScopeLink))
		}
		for i, l := range c.Links {
			if l.ID() == id || (!l.Directed() && l.Between[1]+"-"+l.Between[0] == id) {
				return target{p, i, 0, fmt.Sprintf("links[%d].%s", i, name)}, nil
			}
		}
		if from, to, ok := strings.Cut(id, "->"); ok {
			for _, l := range c.Links {
				if a, b := l.Ends(); !l.Directed() && ((a == from && b == to) || (a == to && b == from)) {
					return target{}, fmt.Errorf("%s: links.%s sets both directions of %s and %s; to change one, write the pair in the scenario as two links with from and to", path, l.ID(), from, to)
				}
			}
		}
		return target{}, fmt.Errorf("%s: no link %q (links are named <region>-<region>, or <from>-><to> when directed; add the link to the scenario to change it)", path, id)
	}
	p := find(ScopeScenario, path)
	if p == nil {
		return target{}, fmt.Errorf("%s: no such parameter (scenario parameters are %s; others start with regions., cities. or links.)", path, names(ScopeScenario))
	}
	return target{p, 0, 0, path}, nil
}

func names(s Scope) string {
	var ns []string
	for _, p := range Params {
		if p.Scope == s {
			ns = append(ns, p.Name)
		}
	}
	return strings.Join(ns, ", ")
}

// Set changes the parameter at path to value, as `triad run --set` does.
// Besides the numeric parameters of Params it accepts "diffusion.mixing",
// "diffusion.ties",
// "seed", "name" and "description". It checks the value's range but not
// the rules that tie fields together; call Validate afterwards.
func (c *Config) Set(path, value string) error {
	switch path {
	case "diffusion.mixing":
		if value != MixingFixed && value != MixingWell {
			return fmt.Errorf("%s: %q is not %q or %q", path, value, MixingFixed, MixingWell)
		}
		c.Diffusion.Mixing = value
		return nil
	case "diffusion.ties":
		if value != TiesReciprocal && value != TiesDirected {
			return fmt.Errorf("%s: %q is not %q or %q", path, value, TiesReciprocal, TiesDirected)
		}
		c.Diffusion.Ties = value
		return nil
	case "seed":
		v, err := strconv.ParseUint(value, 10, 64)
		if err != nil {
			return fmt.Errorf("%s: %q is not a whole number ≥ 0", path, value)
		}
		c.Seed = v
		return nil
	case "name":
		c.Name = value
		return nil
	case "description":
		c.Description = value
		return nil
	}
	t, err := c.resolve(path)
	if err != nil {
		return err
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil {
		return fmt.Errorf("%s: %q is not a number", path, value)
	}
	if !t.param.inRange(v) {
		return fmt.Errorf("%s: %s is outside %s%s", path, value, t.param.Range(), wholeNote(t.param))
	}
	t.set(c, v)
	return nil
}

func wholeNote(p *Param) string {
	if p.Int {
		return " (a whole number)"
	}
	return ""
}
