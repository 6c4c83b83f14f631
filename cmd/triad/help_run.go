package main

// The long help of the commands that run scenarios into output folders.

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
Every point runs --replications replications, and replicate r of every point
shares one seed (common random numbers); the indices are computed on the
replicate means, and the noise share (how much of the spread between
points is replicate noise) is reported beside them. Every index has a 95 %
bootstrap interval (1,000 resamples of whole trajectories or rows and of
the replications, seeded: the same folder always gives the same numbers).

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
