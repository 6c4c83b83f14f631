package main

import "os"

// The long help of every command lives here, so that -h and the docs have
// one source.

const helpMain = `triad simulates how innovations travel between regions: labs in a source
hub make breakthroughs, firms in an accelerator hub turn them into products,
and a connector hub carries them to the rest of the country. Scenarios are
YAML files; the default one is China's triad (three-hubs).

Usage:
  triad COMMAND [ARGUMENTS] [FLAGS]
`

const helpExit = `
Exit codes: 0 success, 1 failure (or a check that found one), 2 bad usage
or bad input, 130 interrupted.
`

var usages = map[string]string{
	"run":      "triad run FILE|NAME [--out DIR] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--sweep PATH=VALUES ...] [--policy SPEC ...] [--workers N] [--force] [--quiet]\n       triad run --resume OUT",
	"list":     "triad list",
	"show":     "triad show NAME",
	"validate": "triad validate FILE|NAME",
}

func shortUsage(cmd string) string { return usages[cmd] }

var longHelp = map[string]string{
	"run": `Run a scenario (a YAML file, or the name of a built-in scenario) and write
into --out (default out/NAME):

  timeseries.csv   one row per replicate, step and region
  summary.csv      every per-run figure with mean, sd, 95 % CI and n
  summary.json     the same, with the transfer matrix as a table
  manifest.json    the resolved scenario, seed, versions, workers, wall
                   time and the SHA-256 of every file
  plots/           adoption with 95 % band, the pipeline, the transfer
                   matrix, each as PNG and SVG

The same scenario and seed give byte-identical files whatever --workers is.
Flags override the scenario only when given. --set changes any parameter by
its path, for example:

  --set regions.gba.p=0.002 --set cities.shenzhen.transform=0.5
  --set links.bth-gba.friction=0.1 --set diffusion.q=0.04

Sweeps run every combination of values (a grid), each point × replicate
with its own seed; the tables gain a point column and one column per swept
parameter, points.csv lists the points and plots/sweep-*.png show each
headline figure against each parameter:

  --sweep regions.yrd.reach=0.1,0.3,0.5 --sweep diffusion.q=0.1:0.4:0.1

A timed policy changes parameters from a step on, and is marked on every
time plot:

  --policy 'at=24,name=customs reform,links.gba-gba.friction=0.05'

Every finished run is saved at once in OUT/runs/, and the tables and plots
are assembled when all are done; every file is written atomically. An
interrupted run (Ctrl-C, a kill, a crash) keeps its finished runs and is
finished, with byte-identical results, by

  triad run --resume OUT

An existing output folder is replaced only with --force.
`,
	"list": `List the built-in scenarios with a one-line description each.
`,
	"show": `Print a built-in scenario's YAML. Save it to a file to make your own:

  triad show three-hubs > my-scenario.yaml
`,
	"validate": `Check a scenario and report every problem, one per line, as
FILE:LINE:COL: FIELD: MESSAGE, with the offending line underneath. Exit
code 2 when there is a problem, 0 when the scenario is valid.
`,
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
