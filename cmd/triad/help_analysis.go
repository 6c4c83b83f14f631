package main

// The long help of the commands that compare, check and fit runs.

const helpCompare = `Compare two or more scenarios (files or built-in names) or finished
output folders. Scenarios are run first, all with the same seed and number
of replications (the first argument's, unless --seed and --replications say
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
ranges) is run --replications times, on seeds of its own (--seeds fresh)
or on the seeds every particle shares (--seeds common), and its figures
averaged. The figures get a Gaussian error of each target's uncertainty,
and the particles whose figures lie within a shrinking tolerance of the
observed ones (the distance is measured in uncertainties) are kept; each
generation moves the last one's particles with a Gaussian kernel. The
last generation is the posterior. PATH,PATH=LOW:HIGH fits several paths
as one value.

Into --out (default out/NAME-fit) it writes:

  report.html      the posteriors, each target's posterior predictive
                   check, the generations and the charts, on one page
  fit.csv          each parameter: prior range, original value, posterior
                   mean, sd and 95 % interval, the fitted value
  targets.csv      each target: observed, uncertainty, the fitted model's
                   mean and 95 % interval, z, the predictive band and p
  posterior.csv    the last generation's particles with weights, distances
                   and figures
  generations.csv  tolerance, proposals, acceptance rate and effective
                   sample size of each generation
  fit.json         all of it, with the settings and the command
  scenario.yaml    the scenario with the fitted values set (the accepted
                   point where the posterior is densest), the targets and
                   their sources cited in its header
  plots/           each parameter's posterior (posterior-PATH.png, .svg)

The same scenario, targets and seed give byte-identical files whatever
--workers is. Each particle costs --replications runs: a fit costs
particles × (generations + rejected proposals) × replications runs. Every
simulated proposal is saved as it is done: a stopped fit goes on with
--resume OUT. Processes that share OUT split each generation with
--shard I/N (any split gives the same fit; each stops when its generation
is done); cluster/slurm/fit-submit.sh runs a fit as one job array per
generation. triad run --posterior OUT draws each replicate's parameters
from the fit's posterior.
`

const helpOptimize = `Share a budget among levers so that an objective is as small (or large)
as the money can make it, and answer honestly: the chosen allocation is
run again on fresh seeds that the search never saw, and only those runs
give its effect.

The levers file (YAML) gives the budget, the levers and the objective:

  budget: 100
  levers:
    - name: connector-reach
      path: regions.yrd.reach     # any --set path; a, b sets both
      to: 0.7                     # the furthest value money can buy
      cost_per_unit: 150          # money for one unit of change
      exponent: 0.8               # optional: below 1, diminishing returns
  objective:
    metric: t50_km
    regions: [central, west]      # a group: its firm-weighted mean
    goal: minimize
  second: ...                     # optional: a second objective

Spending s on a lever moves it from the scenario's value towards to by
(s / cost_per_unit)^exponent, never beyond to. An unreached time (t50 in
a run where nothing got to 50 %) counts as the run's last step.

The search races allocations in whole multiples of a share of the budget:
every allocation of a round runs on the same seeds, the best third goes
on with twice the runs, and the shares are refined around the leaders
until --evaluations runs are used. The chosen allocation and the next
--top are then run --fresh times on new seeds with the scenario as it is;
the answer is their paired difference with its 95 % interval, and
allocations whose intervals overlap the chosen one's are as good. The
winner's curse (how much the search overrated the chosen one) is
reported. With a second objective, the Pareto front is re-run too.

Into --out (default out/optimize-NAME) it writes optimize.csv and
optimize.json (every allocation searched), fresh.csv (the re-run),
rounds.csv, plots/optimize-*.png and .svg, report.html and manifest.json.
An interrupted optimization keeps its rounds: --resume OUT continues it to
the same bytes. The same scenario, levers and seed give the same files
whatever --workers is. Processes given the same command with --shard I/N
(auto/N in a job array) share the folder and split each round's runs, to
the same files (docs/CLUSTER.md). See docs/OPTIMIZE.md.
`
