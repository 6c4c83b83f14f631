package main

import (
	"embed"
	"fmt"
)

// The long help of every command is a text file in help/, NAME.txt for
// command NAME (main.txt and exit.txt frame the main help), so that -h
// reads as the file does and the help is text, not code; docs/CLI.md says
// the same for readers. completion.txt names the shells with %v.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText returns the long help of command name (or "main", "exit").
// The files are part of the binary: a missing one is a bug of the build,
// which the command table's test catches.
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(fmt.Sprintf("no help text for %s: %v", name, err))
	}
	if name == "completion" {
		return fmt.Sprintf(string(b), shells)
	}
	return string(b)
}

// The usage line of each command, for the command table in cli.go.
const (
	usageRun         = "triad run FILE|NAME [--out DIR] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--sweep PATH=VALUES ...] [--policy SPEC ...] [--posterior FITDIR] [--workers N] [--force] [--no-plots] [--quiet] [--json]\n       triad run FILE|NAME --shard I/N|auto/N [--out DIR] [FLAGS]\n       triad run --resume OUT"
	usageList        = "triad list [--json]"
	usageShow        = "triad show NAME [--json]"
	usageValidate    = "triad validate FILE|NAME|- [--json]"
	usageInit        = "triad init NAME [--force]"
	usageReport      = "triad report OUT"
	usageBaseline    = "triad baseline OUT --to FILE [--force]"
	usageCheck       = "triad check OUT|SCENARIO --baseline FILE [--json] [--junit FILE] [--summary-md FILE] [--force] [--quiet] [--any-scenario] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--policy SPEC ...] [--posterior FITDIR]"
	usageCompare     = "triad compare A B [C ...] [--metric NAME ...] [--seed N] [--replications N] [--steps N] [--set PATH=VALUE ...] [--policy SPEC ...] [--posterior FITDIR] [--out DIR] [--force] [--quiet] [--json]"
	usageSensitivity = "triad sensitivity FILE|NAME [--param PATH=LOW:HIGH ...] [--method morris|sobol] [--samples N] [--levels P] [--radial] [--metric NAME ...] [--replications R] [--seed N] [--set PATH=VALUE ...] [--out DIR] [--workers N] [--force] [--no-plots] [--quiet]\n       triad sensitivity FILE|NAME ... --shard I/N|auto/N [--out DIR]; then triad merge DIR\n       triad run --resume OUT"
	usageMerge       = "triad merge DIR"
	usageFit         = "triad fit FILE|NAME --targets FILE [--param PATH=LOW:HIGH ...] [--particles N] [--generations G] [--quantile Q] [--replications R] [--seeds fresh|common] [--seed N] [--workers N] [--out DIR] [--force] [--shard I/N] [--quiet]\n       triad fit --resume OUT [--shard I/N] [--workers N] [--quiet]"
	usageOptimize    = "triad optimize FILE|NAME --levers FILE [--evaluations N] [--replications R] [--fresh F] [--top K] [--seed N] [--workers N] [--out DIR] [--force] [--json] [--quiet] [--shard I/N]\n       triad optimize --resume OUT [--shard I/N]"
	usageStatus      = "triad status DIR [--json]"
	usageVersion     = "triad version"
	usageCompletion  = "triad completion bash|zsh|fish"
	usageServe       = "triad serve [SCENARIO|OUT ...] [--addr HOST:PORT] [--public] [--posterior FITDIR] [--workers N]"
)
