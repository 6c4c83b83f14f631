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
	// Replicates is the number of independent runs with derived seeds.
	Replicates int `yaml:"replicates" json:"replicates"`

	Diffusion   Diffusion  `yaml:"diffusion" json:"diffusion"`
	Transfer    Transfer   `yaml:"transfer" json:"transfer"`
	DefaultLink LinkParams `yaml:"default_link" json:"default_link"`

	Regions  []Region  `yaml:"regions" json:"regions"`
	Links    []Link    `yaml:"links,omitempty" json:"links,omitempty"`
	Initial  []Initial `yaml:"initial,omitempty" json:"initial,omitempty"`
	Policies []Policy  `yaml:"policies,omitempty" json:"policies,omitempty"`
	Sweep    *Sweep    `yaml:"sweep,omitempty" json:"sweep,omitempty"`
}

// Mixing values.
const (
	// MixingFixed draws every firm's contacts once, when the model is built.
	MixingFixed = "fixed"
	// MixingWell redraws every contact at every step (the mean-field limit).
	MixingWell = "well-mixed"
)

// Diffusion holds the parameters of the adoption step.
type Diffusion struct {
	// Mixing is MixingFixed or MixingWell.
	Mixing string `yaml:"mixing" json:"mixing"`
	// K is the number of contacts per firm.
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
	// contacts and transfer partners are drawn.
	Coupling float64 `yaml:"coupling" json:"coupling"`
}

// Link is the tie between two regions, or a region with itself. Links are
// symmetric; a pair that no link names takes Config.DefaultLink.
type Link struct {
	Between    [2]string `yaml:"between" json:"between"`
	LinkParams `yaml:",inline" json:",inline"`
}

// ID is the link's name in parameter paths: "a-b".
func (l Link) ID() string { return l.Between[0] + "-" + l.Between[1] }

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
