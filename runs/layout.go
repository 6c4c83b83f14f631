package runs

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/output/report"
	"github.com/triad-sim/triad/sim"
)

// The names of an output folder's entries.
const (
	// ManifestName is the manifest: how the folder was made, and the
	// SHA-256 of every file in it.
	ManifestName = "manifest.json"
	// RunsDir holds one run file per finished run.
	RunsDir = "runs"
	// PlotsDir holds the charts, each as PNG and SVG.
	PlotsDir = "plots"
	// LogsDir holds the job logs of a sharded run on a cluster.
	LogsDir = "logs"
	// ReportName is the one-page HTML report.
	ReportName = "report.html"
	// CompareName marks the folder of a comparison, whose manifest (a
	// CompareManifest; folders made by older versions have none) holds no
	// runs.
	CompareName = "compare.json"
	// SummaryName is the summary over replications (per point for a sweep).
	SummaryName = "summary.json"
	// FitName marks the folder of a fit (triad fit), which has no manifest.
	FitName = "fit.json"
	// FitStateName holds an unfinished fit's generations so far (triad
	// fit --resume continues it); it marks the folder of such a fit, and
	// goes when the fit is done.
	FitStateName = "fit-state.json"
	// FitProposalsDir holds an unfinished fit's simulated proposals, one
	// file each (FitProposalName), so that a stopped fit goes on without
	// simulating them again and shards of a fit share them; it goes when
	// the fit is done.
	FitProposalsDir = "proposals"
)

// FitProposalName names the file, in FitProposalsDir, of proposal i of
// generation g of a fit, both counted from 0.
func FitProposalName(g, i int) string { return fmt.Sprintf("g%04d-p%07d.bin", g+1, i) }

// IsFitProposalName reports whether name is one that FitProposalName
// gives, or a temporary file of one being written.
func IsFitProposalName(name string) bool {
	var g, i int
	if isTempName(name) {
		return true
	}
	n, err := fmt.Sscanf(name, "g%04d-p%07d.bin", &g, &i)
	return n == 2 && err == nil && g >= 1 && i >= 0 && FitProposalName(g-1, i) == name
}

// FitOutputNames are the entries triad fit writes at the top of its folder
// (beside its charts in PlotsDir, named by FitChartName).
var FitOutputNames = []string{"fit.csv", FitName, FitStateName, "targets.csv", "posterior.csv", "generations.csv", "scenario.yaml", ReportName}

// FitChartName names the chart, in PlotsDir and without its extension, of
// the posterior of a fit's parameter, by its label (a path, or paths
// joined by commas that take one value): "posterior-" and the path (the
// first, and "-and-N" for N more), with every character but letters,
// digits, dots, hyphens and underscores made a hyphen.
func FitChartName(param string) string {
	b := []byte("posterior-")
	first, _, more := strings.Cut(param, ",")
	if more {
		first = fmt.Sprintf("%s-and-%d", strings.TrimSpace(first), strings.Count(param, ","))
	}
	for _, c := range []byte(first) {
		if !isFitChartByte(c) {
			c = '-'
		}
		b = append(b, c)
	}
	return string(b)
}

func isFitChartByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
}

// isFitChartName reports whether name (without its extension) is one that
// FitChartName gives.
func isFitChartName(name string) bool {
	rest, ok := strings.CutPrefix(name, "posterior-")
	if !ok || rest == "" {
		return false
	}
	for i := range len(rest) {
		if !isFitChartByte(rest[i]) {
			return false
		}
	}
	return true
}

// The charts of a comparison (WriteComparison) in PlotsDir, each as PNG
// and SVG: the curves, the difference over time, every difference with
// its interval.
const (
	compareChart        = "compare"
	compareDiffChart    = "compare-diff"
	compareEffectsChart = "compare-effects"
)

// compareCharts are the charts of a comparison.
var compareCharts = []string{compareChart, compareDiffChart, compareEffectsChart}

// fixedOutputNames are the entries that triad writes at the top of an
// output folder, whatever the manifest lists.
var fixedOutputNames = map[string]bool{
	ManifestName: true, RunsDir: true, PlotsDir: true, ReportName: true,
	"timeseries.csv": true, "summary.csv": true, SummaryName: true,
	"runs.csv": true, "points.csv": true, "innovations.csv": true,
	"compare.csv": true, CompareName: true,
}

// RunFileName names the file of one run in RunsDir.
func RunFileName(t sim.Task) string {
	return fmt.Sprintf("p%06d-r%06d.run", t.Point, t.Replicate)
}

// ParseRunFileName is the inverse of RunFileName.
func ParseRunFileName(name string) (sim.Task, bool) {
	var t sim.Task
	n, err := fmt.Sscanf(name, "p%06d-r%06d.run", &t.Point, &t.Replicate)
	return t, err == nil && n == 2 && RunFileName(t) == name
}

// ShardDirName names the folder of shard i of n.
func ShardDirName(i, n int) string { return fmt.Sprintf("shard-%04d-of-%04d", i, n) }

// ParseShardDirName is the inverse of ShardDirName.
func ParseShardDirName(name string) (Shard, bool) {
	var sh Shard
	k, err := fmt.Sscanf(name, "shard-%d-of-%d", &sh.Index, &sh.Count)
	ok := err == nil && k == 2 && ShardDirName(sh.Index, sh.Count) == name && sh.Index >= 0 && sh.Index < sh.Count
	return sh, ok
}

// isTempName reports whether name is that of a temporary file triad
// writes before renaming it into place (".summary.csv.tmp-123").
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

func isRunFileName(name string) bool {
	_, ok := ParseRunFileName(name)
	return ok
}

// isLogName reports whether name is that of a job log: the Slurm scripts
// write %x-%A_%a.out, and a site may split out .err or prefer .log.
func isLogName(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".out" || ext == ".err" || ext == ".log"
}

func isChartName(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".png" || ext == ".svg"
}

// isHidden reports whether name is hidden, as the names of the files that
// other programs keep beside the user's (.DS_Store, .git,
// .ipynb_checkpoints) are. triad's own hidden names are its lock and its
// temporary files.
func isHidden(name string) bool { return strings.HasPrefix(name, ".") }

// pointChartName names the adoption chart of sweep point i.
func pointChartName(i int) string { return fmt.Sprintf("p%03d-adoption", i) }

// plotOf describes the chart named name (its file name in plots/ without
// the extension) to the report: what it shows, from the names Assemble
// and WriteComparison give charts. sens is the folder's sensitivity
// analysis (nil for none), whose figures name its charts.
func plotOf(name string, sens *output.SensitivityResult) report.Plot {
	p := report.Plot{Name: name}
	if sens != nil {
		for _, f := range sens.Figures() {
			if chart.SensitivityName(f.Metric, f.Region) == name {
				p.Kind, p.Metric, p.Region = report.SensitivityFigure, f.Metric, f.Region
				return p
			}
		}
	}
	switch name {
	case "adoption":
		p.Kind = report.Adoption
	case "pipeline":
		p.Kind = report.Pipeline
	case "transfer":
		p.Kind = report.Transfer
	case "compare-diff":
		p.Kind = report.CompareDiff
	case "compare-effects":
		p.Kind = report.CompareEffects
	}
	if p.Kind != report.Other {
		return p
	}
	if name == "compare" || strings.HasPrefix(name, "compare-") {
		p.Kind = report.CompareCurves
		return p
	}
	if rest, ok := strings.CutPrefix(name, "sweep-"); ok {
		p.Kind = report.SweepFigure
		for _, m := range output.SweepFigures {
			if path, ok := strings.CutPrefix(rest, m+"-"); ok {
				p.Metric, p.Path = m, path
				break
			}
		}
		return p
	}
	if digits, ok := strings.CutSuffix(strings.TrimPrefix(name, "p"), "-adoption"); ok && strings.HasPrefix(name, "p") && digits != "" && strings.Trim(digits, "0123456789") == "" {
		if k, err := strconv.Atoi(digits); err == nil {
			p.Kind, p.Point = report.PointAdoption, k
		}
	}
	return p
}
