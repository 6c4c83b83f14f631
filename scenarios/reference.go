package scenarios

import (
	"fmt"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// field documents a field that sim.Params does not cover (text, lists and
// blocks), in the reference's tables.
type field struct {
	name, typ, rng, def, doc string
}

// SeedDoc says what a scenario's seed means, in the reference and on the
// page of triad serve.
const SeedDoc = "makes runs reproducible"

// Reference returns docs/SCENARIOS.md: every field of the scenario format
// with its type, range, default and meaning. The numeric fields come from
// sim.Params, the table the validator itself uses, so the reference cannot
// drift from what is checked; a test compares the file with this text.
func Reference() string {
	var b strings.Builder
	b.WriteString(referenceIntro)
	section := func(title, intro string, scope sim.Scope, extra []field, after []field) {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n", title, intro)
		b.WriteString("| field | type | range | default | policy | meaning |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
		for _, f := range extra {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | no | %s |\n", f.name, f.typ, f.rng, f.def, f.doc)
		}
		for _, p := range sim.Params {
			if p.Scope != scope {
				continue
			}
			typ := "number"
			if p.Int {
				typ = "whole number"
			}
			def := p.Default
			switch {
			case def == "":
				def = "required"
			case p.Name == "q" && scope == sim.ScopeRegion:
				def = "`diffusion.q`"
			case p.Name == "search" && scope == sim.ScopeLink:
				def = "`coupling`"
			}
			pol := "no"
			if p.Policy {
				pol = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", p.Name, typ, p.Range(), def, pol, p.Doc)
		}
		for _, f := range after {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | no | %s |\n", f.name, f.typ, f.rng, f.def, f.doc)
		}
	}
	section("The scenario", "Top-level fields. Paths for `--set` are the field names as written here (`diffusion.q`).",
		sim.ScopeScenario, []field{
			{"name", "slug", "lower-case letters, digits, `-` and `_`, starting with a letter", "the file's name", "names the scenario in reports and its output folder (`out/NAME`)"},
			{"description", "text", "", "empty", "one or two sentences for `triad list` and the report"},
			{"seed", "whole number", "[0, 2⁶⁴)", "0", SeedDoc + "; `--seed` overrides it"},
			{"diffusion.mixing", "text", "`fixed` or `well-mixed`", "`fixed`", "fixed: contacts drawn once; well-mixed: redrawn at every step (the mean-field limit, for validation and teaching)"},
			{"diffusion.ties", "text", "`reciprocal` or `directed`", "`reciprocal`", "reciprocal: a drawn contact is a tie both firms learn through, so a region's reach carries its products out as well as bringing others' in; directed: a firm learns only from the contacts it drew (listen-to ties, as in directed multi-region Bass models)"},
		}, []field{
			{"regions", "list", "at least one", "required", "the regions (next section)"},
			{"links", "list", "", "none", "ties between regions (below)"},
			{"initial", "list", "", "none", "innovations already commercialized at step 0 (below)"},
			{"policies", "list", "", "none", "timed parameter changes (below)"},
			{"sweep", "block", "", "none", "parameters varied across runs (below)"},
		})
	section("Regions", "Each entry of `regions`. Paths for `--set` and policies: `regions.<id>.<field>`, e.g. `regions.gba.p`.",
		sim.ScopeRegion, []field{
			{"id", "slug", "unique among regions and cities", "required", "names the region in paths, links and reports"},
			{"name", "text", "", "empty", "the region's name in legends"},
			{"role", "text", "any", "empty", "a label for reports (source, accelerator, connector, periphery, ...); behaviour comes only from the numbers"},
		}, []field{
			{"cities", "list", "at least one", "required", "the region's cities (next section)"},
		})
	section("Cities", "Each entry of a region's `cities`. Paths: `cities.<id>.<field>`, e.g. `cities.shenzhen.transform` or `cities.shenzhen.capability.mean`.",
		sim.ScopeCity, []field{
			{"id", "slug", "unique among regions and cities", "required", "names the city in paths and in `initial`"},
			{"name", "text", "", "empty", "the city's name"},
		}, nil)
	section("Links", "Each entry of `links`: the tie between two regions, or a region and itself (`between: [gba, gba]` is the friction between the GBA's own cities and its home weight in partner search). A link written with `between` is symmetric: it sets both directions. One written with `from` and `to` sets one direction only: the coupling with which the firms of `from` draw contacts in `to`, the friction on adoption signals and transfers from `from` to `to`, and the partner-search weight of breakthroughs from `from`. Each direction of each pair may be set once; a pair no link names takes `default_link`. Paths: `links.<a>-<b>.<field>` for a symmetric link (either order), `links.<from>-><to>.<field>` for a directed one (quote it in a shell: `--set 'links.gba->yrd.coupling=2'`).",
		sim.ScopeLink, []field{
			{"between", "two region ids", "existing regions", "this or from and to", "the two regions a symmetric link joins"},
			{"from", "region id", "an existing region", "this and to, or between", "the region a directed link starts from"},
			{"to", "region id", "an existing region", "this and from, or between", "the region a directed link goes to"},
		}, nil)
	b.WriteString(referenceTail)
	return b.String()
}

const referenceIntro = `# Scenario reference

<!-- Generated by scenarios.Reference from the table the validator uses;
     do not edit by hand: run go test ./scenarios -update. -->

A scenario is a YAML file. Every field below has a type, a range and a
default; a value outside its range, an unknown field or a wrong type is an
error that names the file, the line, the column and the field, for example

    my.yaml:12:8: regions[0].p: 1.5 is outside [0, 1]

Ranges are written as intervals: [0, 1] includes both ends, [0, 1) excludes
1, (0, 1] excludes 0. "policy: yes" means a timed policy (and a sweep) may
change the value; every value can be changed with ` + "`--set PATH=VALUE`" + ` and
swept with ` + "`--sweep PATH=V1,V2,...`" + `.

Besides the ranges, a scenario must satisfy: at least two firms in all;
` + "`diffusion.k`" + ` below the number of firms; ` + "`capability.spread`" + ` below
` + "`capability.mean`" + ` and mean + spread ≤ 1; ids unique; links only between
existing regions, each direction of each pair once; and, unless ` + "`--allow-large`" + ` is given,
at most 2,000,000 firms, 100,000 labs, 10,000 steps, 10,000 replicates and
100,000 runs in a sweep (caps that guard against typos).
`

const referenceTail = `
## Initial innovations

Each entry of ` + "`initial`" + ` is an innovation that is already commercialized
before step 0 and adopted by a share of one city's firms (chosen at random,
at least one). With one region, well-mixed contacts, capability 1 and no
friction this is the Bass validation case (built-in scenario ` + "`bass`" + `).

| field | type | range | default | meaning |
| --- | --- | --- | --- | --- |
| ` + "`city`" + ` | city id | an existing city | required | where the first adopters are |
| ` + "`share`" + ` | number | (0, 1] | required | share of that city's firms that have adopted at step 0 |

## Policies

Each entry of ` + "`policies`" + ` changes parameters at the start of a step; the
steps before it are exactly as without the policy. It is marked on every
time plot. From the command line: ` + "`--policy 'at=24,name=reform,links.gba-gba.friction=0.05'`" + `.
Commas separate the changes; a value that holds a comma goes in double
quotes, and inside them ` + "`\\\"`" + ` stands for a quote and ` + "`\\\\`" + ` for a backslash:
` + "`--policy 'at=24,name=\"customs, phase 1\",links.gba-gba.friction=0.03'`" + `.

| field | type | range | default | meaning |
| --- | --- | --- | --- | --- |
| ` + "`at`" + ` | whole number | [0, steps) | required | the step at whose start the changes apply |
| ` + "`name`" + ` | text | not empty | required | the label on plots and in reports |
| ` + "`set`" + ` | map of path → number | paths of fields with "policy: yes" | required | the new values |

A change of ` + "`reach`" + `, ` + "`local`" + ` or a ` + "`coupling`" + ` under fixed mixing
redraws every firm's contacts at that step.

## Sweeps

The ` + "`sweep`" + ` block runs the scenario at several points. Replicate r of
every point runs on the same seed (common random numbers): every random
decision of a run draws from a stream keyed by its purpose (capabilities,
contacts, initial adopters, discoveries, partner search, adoption), so a
parameter that does not enter a sub-model leaves that sub-model's numbers
identical across points, and a difference between points is the
parameter's effect, measured without the noise of two seeds: ` + "`sweep-diff.csv`" + `
holds each point's paired difference to the first point per headline
figure, with its 95 % interval, effect size and p adjusted by
Benjamini–Hochberg over all points and figures. ` + "`seeds: independent`" + ` gives every point ×
replicate its own seed instead. From the command line, ` + "`--sweep PATH=V1,V2,...`" + `
or ` + "`--sweep PATH=FROM:TO:STEP`" + ` (repeatable) replaces the file's sweep with a
grid.

| field | type | range | default | meaning |
| --- | --- | --- | --- | --- |
| ` + "`design`" + ` | text | ` + "`grid`" + ` or ` + "`latin-hypercube`" + ` | ` + "`grid`" + ` | grid: every combination of the values; latin-hypercube: ` + "`points`" + ` points covering each range in equal strata, each stratum once |
| ` + "`seeds`" + ` | text | ` + "`common`" + ` or ` + "`independent`" + ` | ` + "`common`" + ` | common: replicate r of every point shares one seed (common random numbers); independent: every run its own seed |
| ` + "`points`" + ` | whole number | [1, 100000] | required for latin-hypercube | number of points of a Latin hypercube |
| ` + "`params`" + ` | list | at least one | required | the swept parameters |
| ` + "`params[].path`" + ` | path | any numeric field but steps and replicates | required | the parameter, as for ` + "`--set`" + ` |
| ` + "`params[].values`" + ` | list of numbers | the field's range | | the values (grid only) |
| ` + "`params[].from`" + `, ` + "`to`" + ` | numbers | the field's range, from < to | | a range: the grid goes from, from+step, ... up to to; a Latin hypercube samples [from, to) |
| ` + "`params[].step`" + ` | number | > 0 | | the grid's step |
`
