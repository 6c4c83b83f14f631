package main

import "fmt"

// The long help of every command lives in help*.go, so that -h and the
// docs have one source: the main help and the short ones here, the
// run-like commands in help_run.go, the analyses in help_analysis.go.

const helpMain = `triad simulates how innovations travel between regions: labs in a source
hub make breakthroughs, firms in an accelerator hub turn them into products,
and a connector hub carries them to the rest of the country. Scenarios are
YAML files; the default one is China's triad (three-hubs).

Usage:
  triad COMMAND [ARGUMENTS] [FLAGS]

A mistyped command or parameter path is answered with the closest known
one. 'triad completion bash|zsh|fish' completes commands, flags, scenarios
and --set paths in the shell; list, show, validate, run, compare, status
and check take --json for scripts (docs/CLI.md).
`

const helpExit = `
Exit codes: 0 success, 1 failure (or a check that found one), 2 bad usage
or bad input (also: a damaged, foreign or oversized file such as a run
file, manifest or baseline, or a pipe or device where one should be, each
named with what to do; a folder in use by another triad), 130 interrupted.
`

// The usage line and long help of each command, for the command table in
// cli.go.
const (
	usageRun         = "triad run FILE|NAME [--out DIR] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--sweep PATH=VALUES ...] [--policy SPEC ...] [--posterior FITDIR] [--workers N] [--force] [--no-plots] [--quiet] [--json]\n       triad run FILE|NAME --shard I/N|auto/N [--out DIR] [FLAGS]\n       triad run --resume OUT"
	usageList        = "triad list [--json]"
	usageShow        = "triad show NAME [--json]"
	usageValidate    = "triad validate FILE|NAME|- [--json]"
	usageInit        = "triad init NAME [--force]"
	usageReport      = "triad report OUT"
	usageBaseline    = "triad baseline OUT --to FILE [--force]"
	usageCheck       = "triad check OUT|SCENARIO --baseline FILE [--json] [--junit FILE] [--summary-md FILE] [--force] [--quiet] [--any-scenario] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--policy SPEC ...]"
	usageCompare     = "triad compare A B [C ...] [--metric NAME ...] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--policy SPEC ...] [--out DIR] [--force] [--quiet] [--json]"
	usageSensitivity = "triad sensitivity FILE|NAME [--param PATH=LOW:HIGH ...] [--method morris|sobol] [--samples N] [--levels P] [--radial] [--metric NAME ...] [--replications R] [--seed N] [--set PATH=VALUE ...] [--out DIR] [--workers N] [--force] [--no-plots] [--quiet]\n       triad sensitivity FILE|NAME ... --shard I/N|auto/N [--out DIR]; then triad merge DIR\n       triad run --resume OUT"
	usageMerge       = "triad merge DIR"
	usageFit         = "triad fit FILE|NAME --targets FILE [--param PATH=LOW:HIGH ...] [--particles N] [--generations G] [--quantile Q] [--replications R] [--seeds fresh|common] [--seed N] [--workers N] [--out DIR] [--force] [--shard I/N] [--quiet]\n       triad fit --resume OUT [--shard I/N] [--workers N] [--quiet]"
	usageOptimize    = "triad optimize FILE|NAME --levers FILE [--evaluations N] [--replications R] [--fresh F] [--top K] [--seed N] [--workers N] [--out DIR] [--force] [--json] [--quiet] [--shard I/N]\n       triad optimize --resume OUT [--shard I/N]"
	usageStatus      = "triad status DIR [--json]"
	usageVersion     = "triad version"
	usageCompletion  = "triad completion bash|zsh|fish"
)

const helpVersion = `Print the program's version, the commit it was built from, the build
date, the Go version and the platform. Every manifest.json records the
same facts, so a result can be traced to the binary that made it.
`

const helpList = `List the built-in scenarios with a one-line description each, or
with --json as JSON (schema in docs/CLI.md).
`

const helpShow = `Print a built-in scenario's YAML. Save it to a file to make your own:

  triad show three-hubs > my-scenario.yaml

--json prints the resolved scenario (every default filled in) as JSON.
`

const helpValidate = `Check a scenario and report every problem, one per line, as
FILE:LINE:COL: FIELD: MESSAGE, with the offending line underneath. Exit
code 2 when there is a problem, 0 when the scenario is valid. - reads the
scenario from standard input (with the size limit of a file) and names it
<stdin>. --json prints the verdict and every problem as an object with
file, line, col, field and message (schema in docs/CLI.md).

  triad validate my.yaml
  generate-scenario | triad validate - --json
`

const helpInit = `Write NAME.yaml in the current folder: a copy of the built-in three-hubs
scenario named NAME, under comments that say what each block is and how to
check and run it. NAME is a slug (lower-case letters, digits, - and _,
starting with a letter). An existing NAME.yaml is replaced only with
--force, and only when triad init wrote it (its first line says so, even
if you edited the rest); any other NAME.yaml is refused.

  triad init my-country
  triad validate my-country.yaml
  triad run my-country.yaml
`

const helpReport = `Write OUT/report.html again from the files of the finished output folder
OUT, as triad run writes it: one self-contained page (no scripts, nothing
loaded from the network) with the scenario, the headline figures per region
with their 95 % confidence intervals, every chart, the transfer matrix, the
timed policies on a timeline and every parameter; for a sweep the figures
at each point, and a comparison's table when OUT holds compare.json. Open
it in a browser, or print it to PDF for a paper copy: charts and tables
are not cut across pages. The manifest records the new file's SHA-256.
The folder's run files are read first, and the files the page is made of
must have the SHA-256 the manifest lists (exit 2 naming a damaged file).
`

const helpMerge = `Merge the shards of a sharded run (triad run --shard I/N --out DIR) into
DIR: the same timeseries.csv, summary.csv, summary.json, points.csv and
plots, byte for byte, as one run on one machine, and a manifest.json that
says how many shards were merged. The shard folders are left as they are,
so merging again is harmless; remove them when you no longer need them.

Merge first checks that every shard is done (exit 1, naming the shards to
run again, when some are missing or stopped), that all shards split the
runs the same way (one N) and ran the same resolved scenario with the same
triad version (exit 2 otherwise: remove the shards you do not want), and
that every run is present exactly once, in its shard, with the SHA-256 its
shard's manifest records and contents its scenario can have produced
(exit 2 naming a damaged file: remove it and run the shard again). Ctrl-C
stops it within a second, with no merged manifest written.
`

const helpStatus = `Show the shards of a sharded run in DIR: which are done, which are
running (their process holds the folder's lock), queued (Slurm holds them
pending; asked when squeue is on PATH), stopped (with when each last saved
a run) or missing, and how many runs are saved. It advises running again
only the stopped and missing shards. Exit code 0 when every shard is done, 1 when
some are not (so a script can wait for it), 2 when DIR is not a triad
output folder, mixes shards of different runs or holds a damaged file:
a finished folder or shard is done only with every run file there and
whole, so status reads them. For a folder that was not sharded it says
whether the run is complete. --json prints the same as JSON (schema in
docs/CLI.md), with the same exit code.
`

const helpBaseline = `Write a baseline: every metric of the finished run in OUT (per region and
for the whole scenario) with its mean, sd and n, the hash of the resolved
scenario (config_sha256, without seed and replications) and the family-wise
false-alarm rate that 'triad check' holds to (false_alarm, 0.01). Edit the
file to give a metric its own abs_tol, rel_tol or z. OUT must be a
finished run of two replications or more (not a stopped run or one shard),
and a baseline that check would refuse is not written. An existing FILE
is replaced only with --force, and only when it is a baseline; any other
file is refused, whatever the flags. See docs/CI.md.
`

const usageServe = "triad serve [SCENARIO|OUT ...] [--addr HOST:PORT] [--public] [--workers N]"

const helpServe = `Start the explorer: a page in the browser, served by this program, where
you pick a scenario, see its regions as a map, change the parameters that
matter (each region's p, reach and pull, each link's friction and coupling,
q, replications, steps, seed) with sliders that show their range, default
and meaning, run it and watch the adoption curves grow with their 95 %
bands. The page shows the pipeline, the transfer matrix, the headline table
and an animated map of adoption and of products moving between regions;
pin a run and the next is compared against it (paired differences with
95 % CIs, as triad compare gives them); download a run's folder as a zip
and the edited scenario as YAML.

Runs use the same code as triad run: the same scenario, changes and seed
give the same numbers. Bad input gets the messages triad validate and
--set give, and the size caps hold (--allow-large does not exist here).
Each browser tab runs one scenario at a time; the server runs two at once
and queues eight more.

The page lists the scenarios and output folders given (a folder's scenario
comes from its manifest), then every built-in. Everything the page needs is
inside the program: it works offline. It listens on 127.0.0.1:8080, this
computer only; an address other computers can reach needs --public, and
the page has no password. It answers only requests addressed to that
address (or localhost) and changes made from its own page, so pages of
other sites cannot use it. Stop it with Ctrl-C.

  triad serve
  triad serve my.yaml out/three-hubs --addr 127.0.0.1:9000
`

// completionHelp is the long help of completion.
var completionHelp = fmt.Sprintf(`Print a script that completes triad's commands, flags, built-in
scenario names and scenario files, and the parameter paths of --set,
--sweep and --policy (of the scenario on the command line, or of
three-hubs before one is given), for bash, zsh or fish:

  source <(triad completion bash)      # bash, in ~/.bashrc
  source <(triad completion zsh)       # zsh, in ~/.zshrc after compinit
  triad completion fish | source       # fish, in config.fish

The script asks triad itself for the candidates, so it stays right when
triad is updated. Shells: %v.
`, shells)
