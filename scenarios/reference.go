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
	section("The scenario", "Top-level fields. Paths for `--set` are the field names as written here (`diffusion.q`). "+
		"`replications` was called `replicates` before: a file with the old name is still read, and `triad validate` notes it.",
		sim.ScopeScenario, []field{
			{"name", "slug", "lower-case letters, digits, `-` and `_`, starting with a letter", "the file's name", "names the scenario in reports and its output folder (`out/NAME`)"},
			{"description", "text", "", "empty", "one or two sentences for `triad list` and the report"},
			{"seed", "whole number", "[0, 2⁶⁴)", "0", SeedDoc + "; `--seed` overrides it"},
			{"step_unit", "text", "a noun in the singular, 1 to 20 lower-case letters", "`step`", "what a step is, in words (`month`; an s makes the plural): the tables, charts and reports count time in it (\"t50 (months)\", \"adoption at 24 months\"); a label only, which no number depends on (the built-ins but bass say `month`)"},
			{"diffusion.mixing", "text", "`fixed` or `well-mixed`", "`fixed`", "fixed: contacts drawn once; well-mixed: redrawn at every step (the mean-field limit, for validation and teaching)"},
			{"diffusion.ties", "text", "`reciprocal` or `directed`", "`reciprocal`", "reciprocal: a drawn contact is a tie both firms learn through, so a region's reach carries its products out as well as bringing others' in; directed: a firm learns only from the contacts it drew (listen-to ties, as in directed multi-region Bass models)"},
		}, []field{
			{"regions", "list", "at least one", "required", "the regions (next section)"},
			{"links", "list", "", "none", "ties between regions (below)"},
			{"initial", "list", "", "none", "innovations already commercialized at step 0 (below)"},
			{"policies", "list", "", "none", "timed parameter changes (below)"},
			{"sweep", "block", "", "none", "parameters varied across runs (below)"},
			{"sensitivity", "block", "", "none", "parameters and ranges of a global sensitivity analysis, run by `triad sensitivity` and ignored by `triad run` (below)"},
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
existing regions, each direction of each pair once; weights whose sums
stay finite (the couplings of a region's contacts to the other regions,
and each pair's search weight × the other region's pull: each may be as
large as 1.7e308, but two such add up to no number); names, roles,
policy names and the description without control or bidirectional
formatting characters (a description may hold newlines and tabs); and,
unless ` + "`--allow-large`" + ` is given, at most 2,000,000 firms, 100,000 labs,
10,000 steps, 10,000 replications and 100,000 runs in a sweep (caps that
guard against typos). These rules hold for the scenario as the file
gives it, at every sweep point, and as each step's policies leave it: a
policy that lowers a city's capability mean below its spread is refused
on its change, as ` + "`--set`" + ` would be. A value is written once: ` + "`null`" + `
(or nothing after the key) is refused rather than taken for the default,
and so is a number in quotes (` + "`p: \"0.01\"`" + `); a parameter set twice, by
two ` + "`--set`" + ` or by two keys of one policy, is refused naming both.

Before any run, triad estimates the memory it will take (see [Memory](#memory))
and refuses a run over the budget of 2 GB unless ` + "`--max-memory`" + ` raises it.
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
| ` + "`design`" + ` | text | ` + "`grid`" + `, ` + "`latin-hypercube`" + `, ` + "`morris`" + ` or ` + "`sobol`" + ` | ` + "`grid`" + ` | grid: every combination of the values; latin-hypercube: ` + "`points`" + ` points covering each range in equal strata, each stratum once; morris and sobol: the designs of a sensitivity analysis (next section), which add its files to the output |
| ` + "`seeds`" + ` | text | ` + "`common`" + ` or ` + "`independent`" + ` | ` + "`common`" + ` | common: replicate r of every point shares one seed (common random numbers); independent: every run its own seed |
| ` + "`points`" + ` | whole number | [1, 100000] | required for latin-hypercube, morris and sobol | number of points of a Latin hypercube, of Morris trajectories (at least 2) or of Sobol base rows N (at least 2) |
| ` + "`levels`" + ` | whole number | even, [2, 100] | 4 | levels of a Morris grid (morris only) |
| ` + "`radial`" + ` | true or false | | false | a radial Morris design: every move from the trajectory's first point (morris only) |
| ` + "`metrics`" + ` | list of figure names | per-run figures of ` + "`runs.csv`" + ` | the headline figures | the figures a morris or sobol design analyses |
| ` + "`params`" + ` | list | at least one | required | the swept parameters |
| ` + "`params[].path`" + ` | path | any numeric field but steps and replications | required | the parameter, as for ` + "`--set`" + ` |
| ` + "`params[].values`" + ` | list of numbers | the field's range | | the values (grid only) |
| ` + "`params[].from`" + `, ` + "`to`" + ` | numbers | the field's range, from < to | | a range: the grid goes from, from+step, ... up to to; a Latin hypercube samples [from, to) |
| ` + "`params[].step`" + ` | number | > 0 | | the grid's step |

## Sensitivity analysis

The ` + "`sensitivity`" + ` block says which parameters ` + "`triad sensitivity`" + ` varies, over
which ranges, and how; ` + "`--param PATH=LOW:HIGH`" + ` on the command line replaces its
parameters and ` + "`--method`" + `, ` + "`--samples`" + `, ` + "`--levels`" + ` and ` + "`--metric`" + ` its settings.
` + "`triad run`" + ` ignores it. The command turns it into a sweep of design
` + "`morris`" + ` (screening: ` + "`samples`" + ` trajectories that move one parameter at a
time across a grid of ` + "`levels`" + ` levels; k parameters cost samples × (k+1)
points) or ` + "`sobol`" + ` (the Saltelli design of ` + "`samples`" + ` base rows, samples ×
(k+2) points). Replicate r of every point shares one seed (common random
numbers) and the indices are computed on the replicate means;
` + "`sensitivity.csv`" + ` and ` + "`sensitivity.json`" + ` hold Morris' μ*, μ and σ or Sobol's S1
and ST of every parameter for every figure, each with a 95 % bootstrap
interval (resampling the replications as well as the design), and the share
of the spread that is replicate noise. A Sobol design's base rows are a
Sobol' low-discrepancy sequence scrambled from the seed (quasi-random, up
to 16 parameters; docs/SENSITIVITY.md).

| field | type | range | default | meaning |
| --- | --- | --- | --- | --- |
| ` + "`method`" + ` | text | ` + "`morris`" + ` or ` + "`sobol`" + ` | ` + "`morris`" + ` | morris: elementary effects (μ*, σ) to screen many parameters; sobol: first-order and total variance shares (S1, ST) for a few |
| ` + "`samples`" + ` | whole number | at least 2 | 20 (morris), 256 (sobol) | Morris trajectories or Sobol base rows N |
| ` + "`levels`" + ` | whole number | even, [2, 100] | 4 | levels of the Morris grid (morris only) |
| ` + "`radial`" + ` | true or false | | false | a radial Morris design: every move from the trajectory's first point instead of the point before (morris only) |
| ` + "`timeseries`" + ` | true or false | | false | keep every run whole and write the time series, innovation log and per-point summaries; by default the folder keeps the per-run figures the indices read (` + "`figures.csv`" + `; docs/SENSITIVITY.md) |
| ` + "`metrics`" + ` | list of figure names | per-run figures of ` + "`runs.csv`" + ` (` + "`t50`" + `, ` + "`reached50_share`" + `, ` + "`commercialized_share`" + `, ...) | the headline figures | the figures analysed, for every region |
| ` + "`params`" + ` | list | at least one | required | the varied parameters |
| ` + "`params[].path`" + ` | path | any numeric field but steps and replications | required | the parameter, as for ` + "`--set`" + ` |
| ` + "`params[].low`" + `, ` + "`high`" + ` | numbers | the field's range, low < high | required | the range the parameter is varied over |

## Limits on reading a file

Reading a file takes bounded time and memory whatever it holds; a file
beyond a limit is refused with its line and column before the work the
limit bounds, never read in part.

| limit | value | lifted by ` + "`--allow-large`" + ` | why |
| --- | --- | --- | --- |
| bytes | 1 MiB (16 MiB with ` + "`--allow-large`" + `) | up to 16 MiB | the YAML reader takes about 40 bytes of memory per byte of text |
| YAML tokens (keys, values and the ` + "`: - , [ ] { }`" + ` between them, counted on the bytes before they are read, each word of a text counting one) | 100,000 (about 4,000 cities; the built-in scenarios have under 3,000) | up to 1,000,000 | the reader takes about a kilobyte per token |
| keys of one mapping | 5,000 | no | the YAML parser's work grows with the square of a mapping's keys |
| nesting of ` + "`[ ]`" + ` and ` + "`{ }`" + ` | 64 deep | no | |
| column of a ` + "`- `" + ` or a key | 400 | no | the parser's work grows with the square of the depth |
| values, counting those that aliases repeat | 1,000,000; 100,000 through aliases and merge keys | no | "billion laughs" |

` + "`triad validate`" + ` shows the first ten problems, each line cut to 200
characters around the column, and how many more there are.

Measured with ` + "`/usr/bin/time triad validate`" + `: CPU time (user + system) and
peak resident memory, on a 2-core machine shared with other work (load 7 to
15, so wall times were up to 5 times the CPU time). "Before" is issue 6's
measurement and, where given, this machine's before the change:

| file | before | now |
| --- | --- | --- |
| 100,000 unknown keys (1 MB) | 42 s, 415 MB; 442 MB here | refused at the token cap: 0.04 s, 17 MB |
| 900,000 unknown keys (10 MB) | killed after 120 s at 2.9 GB | refused at the byte cap: 0.14 s, 39 MB |
| a flow list of 1.4 M numbers (2.8 MB) | 12 s, 1.86 GB; 1.55 GB here | refused at the byte cap: 0.05 s, 22 MB; with ` + "`--allow-large`" + `, at the limit of 1,000,000 tokens: 0.08 s, 23 MB |
| a flow map of 900,000 pairs (11 MB) | 13.4 s, 1.03 GB and 18 MB of snippets; 1.14 GB and 19.6 MB here | refused at the byte cap: 0.14 s, 40 MB, 600 bytes of message |
| 60,000 cities (3.6 MB) | 23.7 s, 2.55 GB; 10.4 s, 1.35 GB here | refused at the byte cap: 0.06 s, 24 MB |
| 20,000 cities (1.2 MB), with ` + "`--allow-large`" + ` | 3.5 s, 466 MB here | 2.4 s, 284 MB, valid; ` + "`triad run`" + ` then refuses it: it needs about 13.2 GB |

The costliest files within the default caps, each also read by
` + "`TestReadingCostsAreBounded`" + `:

| file | now |
| --- | --- |
| 5,000 cities, valid (95,000 tokens) | 0.59 s, 83 MB |
| a sweep of 50,000 values, valid | 0.41 s, 69 MB |
| 25,000 unknown keys in one flow mapping | 0.36 s, 70 MB |
| 5,000 unknown keys in one block mapping | 0.24 s, 39 MB |
| a policy setting 5,000 unknown paths | 0.26 s, 42 MB |
| a scalar of 1 MiB, valid | 0.24 s, 52 MB |

## Memory

Every command that runs scenarios (` + "`run`" + `, ` + "`sensitivity`" + `, ` + "`compare`" + `,
` + "`check`" + `, ` + "`fit`" + `, and ` + "`run --resume`" + `) estimates, from the scenario
alone, the memory the runs will take at their peak, and refuses before any
work a run over the budget: 2 GB, or ` + "`--max-memory SIZE`" + ` (` + "`8GB`" + `, ` + "`512MB`" + `,
` + "`1.5GiB`" + `; ` + "`0`" + ` for no budget). The message gives the estimate, what takes it
and the budget that would do:

    triad: large needs about 13.2 GB of memory to run, more than the budget of 2.0 GB: the firms' contacts and state 2.2 MB, the tables over its 20000 cities' pairs 13.1 GB (1 run at once), the results held 64.6 MB; --max-memory 14GB raises the budget, and fewer --workers lower the need

The estimate (` + "`scenarios.Estimate`" + `) is, with W runs in flight (the smaller of
` + "`--workers`" + ` and the runs) and H runs' results held:

- per firm and run in flight: 2 B (its city) + 8 B (adoption rows) + 4 B
  if some city spreads capabilities + 4k B (its drawn contacts); with
  fixed reciprocal ties 2 B more, and 4k + 4 B (the lists of the firms
  that drew it) when the run has labs, several innovations, policies or
  friction; with friction k B (2k with reciprocal ties) for the contacts'
  kinds;
- per pair of cities and run in flight: 32 B, and 16 B more per initial
  innovation under well-mixed contacts; per city and region 4 B; per pair
  of regions 40 B;
- per run held (H + W): 72 B per step and region, 8 B per pair of
  regions, and 160 + 40 × regions B per expected breakthrough (labs ×
  research × steps);
- 30 MB for the program.

It leaves out what depends on how a run goes (the pushed signals, 4 B per
firm and live innovation with several innovations and reciprocal ties), so
a run may take somewhat more. Checked against measurements: 20,000 cities
of three firms, 13.2 GB estimated, 12.67 GB measured; 4,000 cities,
0.54 GB and 0.537 GB; diffusion-10m, 0.45 GB and 415 MiB. The tables over
pairs of cities are dense: a scenario of more than about 7,000 cities
needs more than 2 GB per run in flight.
`
