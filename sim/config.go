package sim

// Config is a complete, checked description of one experiment: the regions,
// their cities and links, the scenario-wide parameters, the timed policies and
// the seed. The same Config always gives the same Result.
//
// The YAML tags define the scenario file format; the scenarios package decodes
// files straight into this type and then calls Validate.
type Config struct {
	// Name is a short slug that names the scenario in reports.
	Name string `yaml:"name" json:"name"`
	// Description says in a sentence or two what the scenario is about.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Seed makes the run reproducible: same Config and Seed, same numbers.
	Seed uint64 `yaml:"seed" json:"seed"`
	// Steps is the number of time steps of every run (a step is a month in
	// the built-in scenarios).
	Steps int `yaml:"steps" json:"steps"`
	// StepUnit names a step in words, in the singular ("month"), for the
	// tables, charts and reports; "" is "step". It is a label: the model
	// never reads it.
	StepUnit string `yaml:"step_unit,omitempty" json:"step_unit,omitempty"`
	// Replicates is the number of independent runs with derived seeds.
	Replicates int `yaml:"replications" json:"replicates"`

	Diffusion   Diffusion  `yaml:"diffusion" json:"diffusion"`
	Transfer    Transfer   `yaml:"transfer" json:"transfer"`
	DefaultLink LinkParams `yaml:"default_link" json:"default_link"`

	Regions  []Region  `yaml:"regions" json:"regions"`
	Links    []Link    `yaml:"links,omitempty" json:"links,omitempty"`
	Initial  []Initial `yaml:"initial,omitempty" json:"initial,omitempty"`
	Policies []Policy  `yaml:"policies,omitempty" json:"policies,omitempty"`
	Sweep    *Sweep    `yaml:"sweep,omitempty" json:"sweep,omitempty"`
	// Sensitivity describes a global sensitivity analysis, run by `triad
	// sensitivity` (see Sensitivity).
	Sensitivity *Sensitivity `yaml:"sensitivity,omitempty" json:"sensitivity,omitempty"`
	// Posterior, when set, draws some parameters' values for each
	// replicate from a weighted sample, a fit's final population (see
	// Posterior).
	Posterior *Posterior `yaml:"posterior,omitempty" json:"posterior,omitempty"`
}

// Units returns the words for one step and for several: "step" and
// "steps" unless StepUnit names the step ("month" and "months").
func (c *Config) Units() (one, many string) {
	if c == nil || c.StepUnit == "" {
		return "step", "steps"
	}
	return c.StepUnit, c.StepUnit + "s"
}

// Mixing values.
const (
	// MixingFixed draws every firm's contacts once, when the model is built.
	MixingFixed = "fixed"
	// MixingWell redraws every contact at every step (the mean-field limit).
	MixingWell = "well-mixed"
)

// Ties values: how a drawn contact is used.
const (
	// TiesReciprocal makes every drawn contact a tie both firms learn
	// through: a firm hears from the contacts it drew and from the firms
	// that drew it. A region's reach then works both ways: its firms'
	// ties abroad also carry its products to the firms they tie to.
	TiesReciprocal = "reciprocal"
	// TiesDirected makes a firm learn only from the contacts it drew
	// (a listen-to network, as in directed multi-region Bass models).
	TiesDirected = "directed"
)

// Diffusion holds the parameters of the adoption step.
type Diffusion struct {
	// Mixing is MixingFixed or MixingWell.
	Mixing string `yaml:"mixing" json:"mixing"`
	// Ties is TiesReciprocal (the default) or TiesDirected.
	Ties string `yaml:"ties" json:"ties"`
	// K is the number of contacts each firm draws. With reciprocal ties a
	// firm also has the ties other firms drew to it: 2K on average.
	K int `yaml:"k" json:"k"`
	// Q is the imitation weight: how strongly adopted contacts pull a firm.
	Q float64 `yaml:"q" json:"q"`
}

// Transfer holds the parameters of the commercialization step.
type Transfer struct {
	// Attempts is the number of partner searches per pending innovation and
	// step.
	Attempts int `yaml:"attempts" json:"attempts"`
	// MaxPending is the number of steps after which an innovation that no
	// firm took up is lost (the valley of death).
	MaxPending int `yaml:"max_pending" json:"max_pending"`
}

// Region is a hub or the periphery: a set of cities with common behaviour.
type Region struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Role is a label for reports (source, accelerator, connector,
	// periphery or anything else); behaviour comes from the numbers only.
	Role string `yaml:"role,omitempty" json:"role,omitempty"`
	// P is the external (non-imitative) adoption influence per step.
	P float64 `yaml:"p" json:"p"`
	// Q overrides Diffusion.Q for the region's firms when set.
	Q *float64 `yaml:"q,omitempty" json:"q,omitempty"`
	// Reach is the share of the region's firms' contacts in other regions.
	Reach float64 `yaml:"reach" json:"reach"`
	// Local is the share of in-region contacts in the firm's own city.
	Local float64 `yaml:"local" json:"local"`
	// Pull is how strongly the region attracts commercialization.
	Pull   float64 `yaml:"pull" json:"pull"`
	Cities []City  `yaml:"cities" json:"cities"`
}

// City is where labs and firms are.
type City struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Labs and Firms are agent counts.
	Labs  int `yaml:"labs" json:"labs"`
	Firms int `yaml:"firms" json:"firms"`
	// Research is the chance per lab and step of a breakthrough.
	Research float64 `yaml:"research" json:"research"`
	// Transform is the chance that one of the city's firms turns a
	// breakthrough into a product, per attempt, before the other factors.
	Transform  float64    `yaml:"transform" json:"transform"`
	Capability Capability `yaml:"capability" json:"capability"`
}

// Capability describes the firms' capabilities: uniform on
// [Mean-Spread, Mean+Spread], inside (0, 1].
type Capability struct {
	Mean   float64 `yaml:"mean" json:"mean"`
	Spread float64 `yaml:"spread" json:"spread"`
}

// LinkParams are the weights of the tie between two regions.
type LinkParams struct {
	// Friction in [0,1) damps transfers and adoption signals across the tie
	// (customs, standards, distance). A region's tie with itself is the
	// friction between its own cities.
	Friction float64 `yaml:"friction" json:"friction"`
	// Coupling is the weight of transport and digital ties, used when
	// contacts are drawn (and transfer partners, unless a link sets
	// Search).
	Coupling float64 `yaml:"coupling" json:"coupling"`
}

// Link is the tie between two regions, or a region with itself. A link
// written with Between is symmetric: it holds in both directions. One
// written with From and To holds only from region From to region To
// (the coupling of From's firms' contacts in To, the friction on signals
// and transfers from From to To), so trade and attention can be
// asymmetric. A pair that no link names takes Config.DefaultLink.
type Link struct {
	Between    [2]string `yaml:"between,omitempty" json:"between,omitempty"`
	From       string    `yaml:"from,omitempty" json:"from,omitempty"`
	To         string    `yaml:"to,omitempty" json:"to,omitempty"`
	LinkParams `yaml:",inline" json:",inline"`
	// Search, when set, is the weight of the pair in the partner search
	// of the transfer step instead of Coupling: searching for a firm to
	// commercialize a breakthrough (technology markets, licensing,
	// venture capital) is another channel than the business ties
	// through which firms learn of products.
	Search *float64 `yaml:"search,omitempty" json:"search,omitempty"`
}

// Directed reports whether the link holds in one direction only.
func (l Link) Directed() bool { return l.From != "" || l.To != "" }

// Ends returns the link's two region ids: From and To, or Between.
func (l Link) Ends() (a, b string) {
	if l.Directed() {
		return l.From, l.To
	}
	return l.Between[0], l.Between[1]
}

// ID is the link's name in parameter paths: "a-b" for a symmetric link,
// "a->b" for a directed one.
func (l Link) ID() string {
	if l.Directed() {
		return l.From + "->" + l.To
	}
	return l.Between[0] + "-" + l.Between[1]
}

// LinkTables are the link parameters of every ordered pair of regions,
// indexed [from*n+to] for n regions.
type LinkTables struct {
	Friction, Coupling, Search []float64
	// Named is true where a link of the scenario (not DefaultLink) sets
	// the pair.
	Named []bool
}

// LinkTables resolves the links of c into tables over ordered region
// pairs: a directed link sets its one direction, a symmetric link both,
// every other pair takes DefaultLink. Validate refuses two links that set
// the same direction.
func (c *Config) LinkTables() LinkTables {
	n := len(c.Regions)
	idx := make(map[string]int, n)
	for i, r := range c.Regions {
		idx[r.ID] = i
	}
	t := LinkTables{make([]float64, n*n), make([]float64, n*n), make([]float64, n*n), make([]bool, n*n)}
	for k := range n * n {
		t.Friction[k], t.Coupling[k], t.Search[k] = c.DefaultLink.Friction, c.DefaultLink.Coupling, c.DefaultLink.Coupling
	}
	put := func(a, b int, l Link) {
		k := a*n + b
		t.Friction[k], t.Coupling[k], t.Search[k], t.Named[k] = l.Friction, l.Coupling, l.Coupling, true
		if l.Search != nil {
			t.Search[k] = *l.Search
		}
	}
	for _, l := range c.Links {
		ea, eb := l.Ends()
		a, okA := idx[ea]
		b, okB := idx[eb]
		if !okA || !okB {
			continue
		}
		put(a, b, l)
		if !l.Directed() {
			put(b, a, l)
		}
	}
	return t
}

// Initial seeds an already commercialized innovation at step 0, adopted by a
// share of one city's firms (the pure-diffusion set-up).
type Initial struct {
	City  string  `yaml:"city" json:"city"`
	Share float64 `yaml:"share" json:"share"`
}

// Policy changes parameters at the start of a step.
type Policy struct {
	At   int    `yaml:"at" json:"at"`
	Name string `yaml:"name" json:"name"`
	// Set maps parameter paths (as for Config.Set) to new values. They are
	// applied in sorted path order.
	Set map[string]float64 `yaml:"set" json:"set"`
}
