package scenarios_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/triad-sim/triad/sim"
)

var drivers = flag.Bool("drivers", false, "run the one-at-a-time experiments of docs/DRIVERS.md and rewrite it")

// driverChange is one parameter change of the one-at-a-time experiments.
type driverChange struct {
	role, what string
	sets       []string
}

// driverFigure is one figure the experiments report.
type driverFigure struct {
	label  string
	unit   string // "pp" for shares in percentage points, "steps"
	of     func(res *sim.Result) []float64
	digits int
}

// driverSets are the scenario seeds (added to three-hubs' own) whose runs
// TestWhatDrivesTheStory pools: its own and four never used elsewhere in
// the docs, so that no one seed's luck makes a row.
var driverSets = []uint64{0, 1001, 2002, 3003, 4004}

// TestWhatDrivesTheStory (go test ./scenarios -run WhatDrives -drivers,
// or make docs) changes one parameter of three-hubs at a time, runs 20
// replications on each of five seed sets with the same run seeds as
// three-hubs itself (common random numbers) and writes docs/DRIVERS.md:
// for each role, the paired effect of each change on the figures that make
// the story, pooled over the 100 pairs, with its 95 % confidence interval
// (paired t), and the heterogeneity between seed sets (Cochran's Q).
func TestWhatDrivesTheStory(t *testing.T) {
	if !*drivers {
		t.Skip("rewrites docs/DRIVERS.md; run with -drivers")
	}
	const reps = 20
	changes := []driverChange{
		{"source", "research of bth's cities ×1.5 (0.02 → 0.03)", []string{"cities.beijing.research=0.03", "cities.tianjin.research=0.03", "cities.hebei.research=0.03"}},
		{"source", "bth's labs: Beijing 16 → 8", []string{"cities.beijing.labs=8"}},
		{"accelerator", "gba pull halved (1.9 → 0.95)", []string{"regions.gba.pull=0.95"}},
		{"accelerator", "transform of gba's cities halved", []string{"cities.hongkong.transform=0.0108", "cities.shenzhen.transform=0.018", "cities.guangzhou.transform=0.0144", "cities.macao.transform=0.0072"}},
		{"accelerator", "friction between gba's cities 0.15 → 0.03", []string{"links.gba-gba.friction=0.03"}},
		{"connector", "yrd reach 0.5 → 0.1", []string{"regions.yrd.reach=0.1"}},
		{"connector", "yrd's contact coupling to the periphery 2.0/1.6 → 0.15", []string{"links.yrd->central.coupling=0.15", "links.yrd->west.coupling=0.15"}},
		{"connector", "yrd–gba coupling 1.2 → 0.15 (partner search kept)", []string{"links.gba-yrd.search=1.2", "links.gba-yrd.coupling=0.15"}},
		{"connector", "friction from yrd to the periphery 0.1/0.15 → 0.4", []string{"links.yrd->central.friction=0.4", "links.yrd->west.friction=0.4"}},
		{"diffusion", "imitation q 0.25 → 0.3", []string{"diffusion.q=0.3"}},
	}
	share := func(metric, region string) func(*sim.Result) []float64 {
		return func(res *sim.Result) []float64 {
			xs := perRun(res, metric, region)
			for i := range xs {
				xs[i] *= 100
			}
			return xs
		}
	}
	ratio := func(res *sim.Result) []float64 { // share of gba's commercializations from bth
		from, all := perRun(res, sim.MetricTransferToPrefix+"gba", "bth"), perRun(res, sim.MetricCommercialized, "gba")
		for i := range from {
			from[i] = 100 * from[i] / all[i]
		}
		return from
	}
	discShare := func(res *sim.Result) []float64 {
		b, all := perRun(res, sim.MetricDiscovered, "bth"), perRun(res, sim.MetricDiscovered, "")
		for i := range b {
			b[i] = 100 * b[i] / all[i]
		}
		return b
	}
	figures := []driverFigure{
		{"bth's share of discoveries", "pp", discShare, 1},
		{"gba's share of commercialization", "pp", share(sim.MetricCommercialShare, "gba"), 1},
		{"share of gba's products from bth", "pp", ratio, 1},
		{"gba adoption at age 24", "pp", share(sim.MetricAdoptionAt24, "gba"), 2},
		{"yrd adoption at age 24", "pp", share(sim.MetricAdoptionAt24, "yrd"), 2},
		{"periphery adoption at age 60", "pp", func(res *sim.Result) []float64 {
			xs := periphery(res, sim.MetricAdoptionAt60)
			for i := range xs {
				xs[i] *= 100
			}
			return xs
		}, 2},
		{"periphery t50", "steps", func(res *sim.Result) []float64 { return periphery(res, sim.MetricT50) }, 2},
	}
	// set runs three-hubs with sets on every seed set; sets[s] holds the
	// runs of seed set s.
	perSet := func(sets ...string) []*sim.Result {
		out := make([]*sim.Result, len(driverSets))
		for i, off := range driverSets {
			c := builtin(t, "three-hubs", append([]string{fmt.Sprintf("replications=%d", reps)}, sets...)...)
			c.Seed += off
			out[i] = runs(t, c)
		}
		return out
	}
	base := perSet()
	var b, het strings.Builder
	b.WriteString(driversIntro)
	header := func(b *strings.Builder) {
		b.WriteString("| role | change |")
		for _, f := range figures {
			fmt.Fprintf(b, " %s (%s) |", f.label, f.unit)
		}
		b.WriteString("\n| --- | --- |" + strings.Repeat(" ---: |", len(figures)) + "\n")
	}
	header(&b)
	header(&het)
	n := reps * len(driverSets)
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	cells, heterogeneous := 0, 0
	for _, c := range changes {
		res := perSet(c.sets...)
		fmt.Fprintf(&b, "| %s | %s |", c.role, c.what)
		fmt.Fprintf(&het, "| %s | %s |", c.role, c.what)
		for _, f := range figures {
			var before, after []float64
			ds, ses := make([]float64, len(driverSets)), make([]float64, len(driverSets))
			for s := range driverSets {
				x, y := f.of(base[s]), f.of(res[s])
				before, after = append(before, x...), append(after, y...)
				ds[s], ses[s], _ = paired(x, y)
			}
			d, se, n := paired(before, after)
			switch {
			case n < 2:
				b.WriteString(" – |")
				het.WriteString(" – |")
			case se == 0 && d == 0:
				b.WriteString(" 0 (identical) |")
				het.WriteString(" – |")
			default:
				h := tq * se
				mark := ""
				if math.Abs(d) > h {
					mark = "**"
				}
				fmt.Fprintf(&b, " %s%+.*f ± %.*f%s |", mark, f.digits, d, f.digits, h, mark)
				p := cochranQ(ds, ses)
				cells++
				if p < 0.05 {
					heterogeneous++
					fmt.Fprintf(&het, " **%.2g** |", p)
				} else {
					fmt.Fprintf(&het, " %.2g |", p)
				}
			}
		}
		b.WriteString("\n")
		het.WriteString("\n")
		t.Logf("%s: done", c.what)
	}
	b.WriteString(driversOutro)
	fmt.Fprintf(&b, driversHeterogeneity, cells, heterogeneous, 0.05*float64(cells))
	b.WriteString(het.String())
	if err := os.WriteFile("../docs/DRIVERS.md", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// cochranQ returns the p-value of Cochran's Q test that the effects ds,
// with standard errors ses, estimate one common effect (a chi-square test
// with len(ds) − 1 degrees of freedom); 1 when it cannot be computed.
func cochranQ(ds, ses []float64) float64 {
	var sw, swd float64
	for i, d := range ds {
		if math.IsNaN(d) || !(ses[i] > 0) {
			return 1
		}
		w := 1 / (ses[i] * ses[i])
		sw += w
		swd += w * d
	}
	mean := swd / sw
	var q float64
	for i, d := range ds {
		q += (d - mean) * (d - mean) / (ses[i] * ses[i])
	}
	return 1 - distuv.ChiSquared{K: float64(len(ds) - 1)}.CDF(q)
}

const driversHeterogeneity = `
## Do the seed sets agree?

Each cell above pools five seed sets of 20 runs. Below, for each cell, the
p-value of Cochran's Q test that the five seed sets' paired effects are
one effect (chi-square, 4 degrees of freedom); bold marks p < 0.05. The
runs of every seed set are independent draws of the same model, so a
small p should be rare: %d cells were tested, %d have p < 0.05, where
chance alone would give about %.1f. A row whose effect on one seed would
have told another story shows here.

`

const driversIntro = `# What drives the story

<!-- Generated by go test ./scenarios -run WhatDrives -drivers (make docs);
     do not edit by hand. -->

Each row changes one parameter of ` + "`three-hubs`" + ` and runs 20 replications on each
of five seed sets (three-hubs' seed and four others), on the same run seeds
as ` + "`three-hubs`" + ` itself (common random numbers), so each cell is the paired
difference changed − three-hubs pooled over 100 pairs, with its 95 %
confidence interval (paired t). A single seed's effect is an anecdote: the
table after this one tests whether the five seed sets agree. Bold marks a difference whose interval excludes zero
(no correction for the many cells: read them as a map, not as tests).
Shares are in percentage points, times in steps (months); a positive t50
difference means slower. "0 (identical)" means the figure did not move in
any run: the change does not touch that part of the model (common random
numbers make that exact).

`

const driversOutro = `
How to read it, role by role:

- **Source.** Research rates and lab counts make the source: they move
  its share of discoveries and, through the transfer pipeline, the
  accelerator's supply of breakthroughs. They do not touch diffusion
  speed: products spread the same way wherever they come from.
- **Accelerator.** Pull and transform decide where breakthroughs become
  products; friction between its own cities decides how fast its firms
  take them up. Halving pull moves commercialization out of the
  accelerator; its own uptake of products at a given age hardly moves,
  since products that start elsewhere reach its firms through their ties.
- **Connector.** Its reach and the coupling of its firms' contacts to the
  periphery carry products to the periphery (periphery adoption at age 60
  up, t50 down). It pays with its own speed: a firm draws k contacts, so a
  contact abroad is one not drawn at home (an attention budget), and the
  connector's firms hear of new products later from home (its adoption at
  age 24 is five points higher at a reach of 0.1). That is a trade, not
  dilution: no tie lowers any firm's exposure (docs/MODEL.md, 3.3.3), and
  when the connector's contacts move from the periphery to the other hubs,
  those hubs speed up. Its reach and couplings do not change the pipeline
  at all (partner search has its own weights, ` + "`search`" + `). Friction on its ties
  to the periphery damps what it carries and, since friction also damps
  transfers, moves a little commercialization too.
- **Diffusion.** q speeds every region at once.
`
