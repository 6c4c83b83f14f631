package main

// The long help of every command lives here, so that -h and the docs have
// one source.

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
	usageRun         = "triad run FILE|NAME [--out DIR] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--sweep PATH=VALUES ...] [--policy SPEC ...] [--workers N] [--force] [--no-plots] [--quiet] [--json]\n       triad run FILE|NAME --shard I/N|auto/N [--out DIR] [FLAGS]\n       triad run --resume OUT"
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
	usageFit         = "triad fit FILE|NAME --targets FILE [--param PATH=LOW:HIGH ...] [--particles N] [--generations G] [--quantile Q] [--replications R] [--seed N] [--workers N] [--out DIR] [--force] [--quiet]"
	usageStatus      = "triad status DIR [--json]"
	usageVersion     = "triad version"
	usageCompletion  = "triad completion bash|zsh|fish"
)

const helpVersion = `Print the program's version, the commit it was built from, the build
date, the Go version and the platform. Every manifest.json records the
same facts, so a result can be traced to the binary that made it.
`

const helpRun = `Run a scenario (a YAML file, or the name of a built-in scenario) and write
into --out (default out/NAME):

  timeseries.csv   one row per replicate, step and region
  summary.csv      every per-run figure with mean, sd, 95 % CI and n
  summary.json     the same, with the transfer matrix as a table
  runs.csv         every per-run figure of every run, with its seed
  manifest.json    the resolved scenario, seed, versions, workers, wall
                   time and the SHA-256 of every file
  plots/           adoption with 95 % band, the pipeline, the transfer
                   matrix, each as PNG and SVG
  report.html      all of it on one page to read or print to PDF
  runs/            the raw runs, read by compare, check and merge

The same scenario and seed give byte-identical files whatever --workers is.
Flags override the scenario only when given. --set changes any parameter by
its path, for example:

  --set regions.gba.p=0.002 --set cities.shenzhen.transform=0.5
  --set links.bth-gba.friction=0.1 --set diffusion.q=0.04

Sweeps run every combination of values (a grid). Replicate r of every
point shares one run seed (common random numbers): the difference between
two points is the parameter's effect, not the noise of two seeds (the
sweep field seeds: independent gives every run its own). The tables gain
a point column and one column per swept parameter, points.csv lists the
points, sweep-diff.csv holds each point's paired difference to the first
point per headline figure (with its CI, effect size and adjusted p), and
plots/sweep-*.png show each headline figure against each parameter:

  --sweep regions.yrd.reach=0.1,0.3,0.5 --sweep diffusion.q=0.1:0.4:0.1

A timed policy changes parameters from a step on, and is marked on every
time plot:

  --policy 'at=24,name=customs reform,links.gba-gba.friction=0.05'

Commas separate a policy's changes; a value that holds a comma goes in
double quotes, inside which \" is a quote and \\ a backslash:

  --policy 'at=24,name="customs, phase 1",links.gba-gba.friction=0.03'

Every finished run is saved at once in OUT/runs/, and the tables and plots
are assembled when all are done; every file is written atomically. An
interrupted run (Ctrl-C, a kill, a crash) keeps its finished runs and is
finished, with byte-identical results, by

  triad run --resume OUT

which checks every run file there first (exit 2 naming a damaged one: remove
it and resume). In a finished folder it makes again the runs and outputs
whose files were removed, and otherwise does nothing.

--no-plots writes the tables and the report but no charts: for benchmarks
and large sweeps, where drawing is most of the time after the simulation.

--quiet prints nothing on success (no progress, no table); --json prints
the final summary as JSON instead of the table: the folder, runs, steps,
wall time and the headline figures per region (per sweep point for a
sweep) with mean and 95 % CI (schema in docs/CLI.md). Errors go to stderr
either way.

An existing output folder is replaced only with --force, and only when
triad wrote it: a folder that holds anything else (your own files, the
home folder, the root) is refused and left untouched. --force removes
only the files triad wrote there and keeps, and names, the rest: your own
charts in plots/, logs/ and hidden files and folders (docs/CLI.md).

--shard I/N runs only shard I (0 <= I < N) of the runs, for spreading a
large sweep over the tasks of a batch job array: run k of the scenario (by
sweep point, then replicate) belongs to shard k mod N, and seeds never
depend on the shard, so any N gives the same numbers. The shard goes into
OUT/shard-IIII-of-NNNN/ and is done when its manifest.json says
"complete": true. Running a done shard again does nothing (one that lost
run files makes them again); running a stopped one resumes it. With auto/N the index comes from the first of
SLURM_ARRAY_TASK_ID (submit with --array=0-(N-1)), JOB_COMPLETION_INDEX
(Kubernetes Indexed Job), AWS_BATCH_JOB_ARRAY_INDEX and BATCH_TASK_INDEX
(Google Cloud Batch) that is set. 'triad merge OUT' then writes the
tables and plots; see docs/CLUSTER.md.

Before any run, everything is checked: the scenario and every --set,
--sweep and --policy (a policy gets the checks of --set, on the scenario
as it leaves it), the caps that guard against typos (--allow-large lifts
them), and the memory the runs will take, estimated from the scenario
(firms × contacts, cities × cities, runs in flight): a run estimated over
2 GB is refused with its estimate unless --max-memory raises the budget
(docs/SCENARIOS.md, "Memory").
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

const helpCompare = `Compare two or more scenarios (files or built-in names) or finished
output folders. Scenarios are run first, all with the same seed and number
of replicates (the first argument's, unless --seed and --replications say
otherwise), so that replicate r of every side runs on the same seed: the
runs are paired. --steps, --set and --policy change every scenario compare
runs (never a finished folder), with run's checks and caps.

For each region it prints the time to 50 % adoption (t50) with the share
of innovations that reach 50 %, the adoption, the accelerator's share of
commercialization and the median lab-to-market lag: the mean and 95 % CI
of each; then, effect first, the difference to the first with its 95 % CI,
the standardised effect (d_z paired, Hedges' g otherwise), the raw p and
the p adjusted by Benjamini–Hochberg over the whole comparison ("*" below
0.05). Paired runs are tested by the paired t-test (the exact Wilcoxon
signed-rank test below 10 pairs), others by Welch's t-test; the output
says which and why. It writes compare.csv, compare.json and
plots/compare*.png|svg into --out.

  triad compare three-hubs no-connector
  triad compare out/three-hubs my-variant.yaml --metric t50

It refuses scenarios whose regions differ before running anything.
--quiet prints nothing on success; --json prints the comparison as
compare.json holds it, with the folder (schema in docs/CLI.md).
`

const helpBaseline = `Write a baseline: every metric of the finished run in OUT (per region and
for the whole scenario) with its mean, sd and n, the hash of the resolved
scenario (config_sha256, without seed and replicates) and the family-wise
false-alarm rate that 'triad check' holds to (false_alarm, 0.01). Edit the
file to give a metric its own abs_tol, rel_tol or z. OUT must be a
finished run of two replicates or more (not a stopped run or one shard),
and a baseline that check would refuse is not written. An existing FILE
is replaced only with --force, and only when it is a baseline; any other
file is refused, whatever the flags. See docs/CI.md.
`

const helpCheck = `Check a finished output folder, or a scenario (run first), against a
baseline. A metric fails when its mean moved further than

  max(floor, t × sqrt(sd_b²/n_b + sd_now²/n_now))

with t the Welch t quantile that holds the whole check to a false-alarm
rate of 1 % (Šidák over the baseline's metrics) and a floor of 1 step for
times, 1 for counts and 0.01 for shares (it matters only where the runs
do not vary): a re-run with another seed passes, the tutorial's changes
fail. A metric missing on either side fails. A scenario other than the
baseline's is refused unless --any-scenario; another seed is fine (and
said). It prints a table (metric, region, baseline, now, delta, limit,
ok/FAIL), or JSON with --json. For CI, --junit FILE also writes JUnit
XML (one test case per metric and region, named like t50[gba], the
scenario as its class; a failure gives the baseline, the value now and
the limit) and --summary-md FILE a short Markdown table (the verdict,
the failing metrics, then all of them collapsed) for a pull request
comment or $GITHUB_STEP_SUMMARY; both are replaced whole, and written
whenever the check ran (exit 0 or 1). An existing report file is
replaced only with --force, and only when it is a report of that kind
that triad wrote: any other file (the scenario, your notes) is refused,
whatever the flags; an empty file is taken as none. Exit code 0 when every metric
holds, 1 when one fails, 2 on bad usage or input (also an implausible
baseline). See docs/CI.md.
`

const helpFit = `Fit chosen parameters of a scenario to observed figures by approximate
Bayesian computation (ABC-SMC), and write the fitted scenario.

The targets file (YAML) lists the observed figures, each a per-run metric
of the scenario with its region (or regions, added up), its value, its
uncertainty (a standard deviation) and its source; it may list the
parameters to fit with their prior ranges, which --param replaces:

  targets:
    - metric: commercialization_rate
      value: 0.28
      uncertainty: 0.04
      source: SIAT transfer ratio, 5-year average to 2025 (people.cn)
    - metric: commercialized_share
      regions: [central, west]
      value: 0.198
      uncertainty: 0.05
      source: CNIPA 2023 annual report, table 6-4 (derived)
  params:
    - path: regions.bth.pull
      low: 0.2
      high: 5

Each particle (a parameter vector drawn from uniform priors on the
ranges) is run --replications times on the same seeds as every other
particle (common random numbers) and its figures averaged. The figures
get a Gaussian error of each target's uncertainty, and the particles
whose figures lie within a shrinking tolerance of the observed ones (the
distance is measured in uncertainties) are kept; each generation moves
the last one's particles with a Gaussian kernel. The last generation is
the posterior. PATH,PATH=LOW:HIGH fits several paths as one value.

Into --out (default out/NAME-fit) it writes:

  fit.csv          each parameter: prior range, original value, posterior
                   mean, sd and 95 % interval, the fitted value
  targets.csv      each target: observed, uncertainty, the fitted model's
                   mean and 95 % interval, z, source
  posterior.csv    the last generation's particles with weights, distances
                   and figures
  generations.csv  the tolerance schedule and acceptance counts
  fit.json         all of it, with the settings and the command
  scenario.yaml    the scenario with the posterior means set, the targets
                   and their sources cited in its header
  plots/           each parameter's posterior (posterior-N.png, .svg)

The same scenario, targets and seed give byte-identical files whatever
--workers is. Each particle costs --replications runs: a fit costs
particles × (generations + rejected proposals) × replications runs.
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

const helpSensitivity = `Find which assumptions drive the answer: vary parameters over ranges and
measure how much each moves every headline figure (or those named with
--metric), by one of two methods of global sensitivity analysis:

  morris   (the default) screening: --samples trajectories (default 20)
           on a grid of --levels levels (default 4) of every range, each
           moving one parameter at a time; k parameters cost
           samples × (k+1) points. Per parameter: μ* (the mean absolute
           effect of moving it across its whole range, in the figure's
           units), μ (its signed mean) and σ (how much the effect depends
           on the other parameters: interactions or curvature).
           --radial makes every move from the trajectory's first point
           (a radial design) instead of from the point before.
  sobol    variance shares for the few that matter: --samples base rows N
           (default 256) of the Saltelli design, N × (k+2) points, its
           base rows a Sobol' sequence scrambled from the seed. S1 is
           the share of the figure's variance a parameter explains alone
           (Saltelli 2010), ST with its interactions (Jansen).

The parameters come from --param PATH=LOW:HIGH (repeatable; the paths of
--set) or from the scenario's sensitivity block (docs/SCENARIOS.md).
Every point runs --replications replicates, and replicate r of every point
shares one seed (common random numbers); the indices are computed on the
replicate means, and the noise share (how much of the spread between
points is replicate noise) is reported beside them. Every index has a 95 %
bootstrap interval (1,000 resamples of whole trajectories or rows and of
the replicates, seeded: the same folder always gives the same numbers).

It is a sweep: into --out (default out/NAME-sensitivity) go points.csv,

  figures.csv       the per-run figures the indices read: point,
                    replicate and one column per figure
  sensitivity.csv   method, metric, region, parameter, index, value,
                    ci_low, ci_high, noise_share
  sensitivity.json  the same, with the parameters' ranges
  plots/sensitivity-METRIC-REGION.png|svg
                    Morris: σ against μ* of every parameter; Sobol: S1
                    and ST bars with their intervals

and report.html says in words which parameters drive each figure, as the
terminal does at the end. --timeseries keeps every run whole and adds the
other files of 'triad run' for a sweep (time series, innovation log,
per-point summaries and charts); without it the runs keep only their
figures (docs/SENSITIVITY.md). Workers, resume (triad run --resume OUT),
--shard and triad merge work as for run, and the files are byte-identical
for any --workers or number of shards. Example:

  triad sensitivity three-hubs --replications 4 --metric t50 \
    --param regions.yrd.reach=0.25:0.75 --param diffusion.q=0.15:0.35 \
    --param 'links.yrd->central.coupling=1:3'

(a directed link's path holds ->: quote it for the shell).
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
