package scenarios_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// builtin loads a built-in scenario and applies sets.
func builtin(t *testing.T, name string, sets ...string) sim.Config {
	t.Helper()
	cfg, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := scenarios.Set(&cfg, sets); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runs computes every run of cfg.
func runs(t *testing.T, cfg sim.Config) *sim.Result {
	t.Helper()
	res, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// perRun returns one figure of every run, by replicate.
func perRun(res *sim.Result, metric, region string) []float64 {
	out := make([]float64, len(res.Runs))
	for i, run := range res.Runs {
		out[i] = math.NaN()
		for _, m := range run.Metrics(res.Regions) {
			if m.Name == metric && m.Region == region {
				out[i] = m.Value
			}
		}
	}
	return out
}

// periphery returns, per run, the mean of central's and west's figure.
func periphery(res *sim.Result, metric string) []float64 {
	c, w := perRun(res, metric, "central"), perRun(res, metric, "west")
	out := make([]float64, len(c))
	for i := range c {
		out[i] = (c[i] + w[i]) / 2
	}
	return out
}

// paired returns the mean of b − a over the replications where both exist,
// its standard error and the count: the paired comparison of two sets of
// runs made with the same run seeds (common random numbers).
func paired(a, b []float64) (mean, se float64, n int) {
	var d []float64
	for i := range a {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			d = append(d, b[i]-a[i])
		}
	}
	if len(d) < 2 {
		return math.NaN(), math.NaN(), len(d)
	}
	m, sd := stat.MeanStdDev(d, nil)
	return m, sd / math.Sqrt(float64(len(d))), len(d)
}

func summary(res *sim.Result) output.Summary { return output.Summarize(res.Regions, res.Runs) }

func get(t *testing.T, s output.Summary, metric, region string) output.Stat {
	t.Helper()
	st, ok := s.Get(metric, region)
	if !ok {
		t.Fatalf("no %s for %q", metric, region)
	}
	return st
}

// TestTheDefaultScenarioTellsTheStory checks the properties docs/MODEL.md
// asks of three-hubs, on the means over its 20 replications: most
// discoveries originate in the source, most commercialization happens in
// the accelerator, a large part of it on breakthroughs from the source,
// and the accelerator takes up more of the source's breakthroughs than any
// other region (as its scenario file claims).
// The connector's part is TestNoConnectorRemovesOnlyTheCarrying and
// TestTheConnectorsReachSpeedsThePeriphery.
func TestTheDefaultScenarioTellsTheStory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 20 replications of three-hubs; make test runs it without -race")
	}
	hubs := summary(runs(t, builtin(t, "three-hubs")))
	regions := []string{"bth", "gba", "yrd", "central", "west"}
	largest := func(metric string) string {
		best, bestV := "", -1.0
		for _, r := range regions {
			if v := get(t, hubs, metric, r).Mean; v > bestV {
				best, bestV = r, v
			}
		}
		return best
	}
	if got := largest(sim.MetricDiscovered); got != "bth" {
		t.Errorf("most discoveries originate in %s, want bth (the source)", got)
	}
	if got := largest(sim.MetricCommercialized); got != "gba" {
		t.Errorf("most commercializations happen in %s, want gba (the accelerator)", got)
	}
	fromSource := get(t, hubs, sim.MetricTransferToPrefix+"gba", "bth").Mean
	inGBA := get(t, hubs, sim.MetricCommercialized, "gba").Mean
	if share := fromSource / inGBA; share < 0.3 {
		t.Errorf("%.0f %% of gba's commercializations come from bth, want a large part (at least 30 %%)", 100*share)
	}
	// three-hubs' comment on the bth–gba coupling claims that the GBA
	// takes up more of Beijing's breakthroughs than any other region.
	for _, r := range regions {
		if other := get(t, hubs, sim.MetricTransferToPrefix+r, "bth").Mean; r != "gba" && other >= fromSource {
			t.Errorf("%s takes up %.2f of bth's breakthroughs per run, gba %.2f: want gba the most", r, other, fromSource)
		}
	}
	t.Logf("bth discoveries %.1f of %.1f; gba commercializations %.1f, %.1f from bth",
		get(t, hubs, sim.MetricDiscovered, "bth").Mean, get(t, hubs, sim.MetricDiscovered, "").Mean, inGBA, fromSource)
}

// commercializationTarget is the calibration target of three-hubs: the
// share of breakthroughs with a settled fate that are commercialized, and
// the tolerance docs/CALIBRATION.md states for it.
const commercializationTarget, commercializationTol = 0.28, 0.03

// TestThreeHubsMeetsItsCommercializationTarget recomputes the calibrated
// figure: over three-hubs' 20 replications, the mean commercialization rate
// of settled breakthroughs is within 0.03 of SIAT's 28 % (the standard
// error of that mean is about 0.014; the scenario's seed is fixed, so the
// test is deterministic, and another seed keeps within the tolerance with
// a chance of about 97 %).
func TestThreeHubsMeetsItsCommercializationTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 20 replications of three-hubs")
	}
	st := get(t, summary(runs(t, builtin(t, "three-hubs"))), sim.MetricCommercialRate, "")
	t.Logf("commercialization rate of settled breakthroughs: %.3f [%.3f, %.3f]", st.Mean, st.CILow, st.CIHigh)
	if math.Abs(st.Mean-commercializationTarget) > commercializationTol {
		t.Errorf("commercialization rate %.3f, want %.2f ± %.2f", st.Mean, commercializationTarget, commercializationTol)
	}
}

// TestNoConnectorChangesOnlyTheConnectorsContacts checks that no-connector
// differs from three-hubs in the connector's own contacts and nothing
// else: every other region's reach and contact couplings (the rows from
// which its firms draw their contacts), every friction and every weight
// of partner search are three-hubs'. A symmetric link cut on the
// connector's side would also move the other hubs' contacts (gba's share
// of foreign contacts in the periphery rose from 14 % to 31 % when the
// gba–yrd link was cut both ways).
func TestNoConnectorChangesOnlyTheConnectorsContacts(t *testing.T) {
	with, without := builtin(t, "three-hubs"), builtin(t, "no-connector")
	a, b := with.LinkTables(), without.LinkTables()
	n := len(with.Regions)
	for r, reg := range with.Regions {
		if reg.ID != without.Regions[r].ID {
			t.Fatalf("region %d is %s in three-hubs, %s in no-connector", r, reg.ID, without.Regions[r].ID)
		}
		for s := range n {
			k := r*n + s
			if a.Friction[k] != b.Friction[k] || a.Search[k] != b.Search[k] {
				t.Errorf("%s→%s: friction %v, search %v in three-hubs; %v, %v in no-connector", reg.ID, with.Regions[s].ID,
					a.Friction[k], a.Search[k], b.Friction[k], b.Search[k])
			}
			if reg.ID != "yrd" && a.Coupling[k] != b.Coupling[k] {
				t.Errorf("%s's contacts in %s: coupling %v in three-hubs, %v in no-connector", reg.ID, with.Regions[s].ID, a.Coupling[k], b.Coupling[k])
			}
		}
		if reg.ID != "yrd" && reg.Reach != without.Regions[r].Reach {
			t.Errorf("%s's reach %v in three-hubs, %v in no-connector", reg.ID, reg.Reach, without.Regions[r].Reach)
		}
	}
}

// TestNoConnectorRemovesOnlyTheCarrying runs three-hubs and no-connector
// on the same run seeds (three seed sets × 14 replications, seedSets).
// no-connector cuts only the ties through which the connector's firms
// carry products (its reach and contact couplings), not
// partner search, so every breakthrough is discovered, commercialized or
// lost exactly as in three-hubs, run by run; and the periphery adopts
// later: the paired difference of its t50 (the mean of central's and
// west's) is above zero by more than 3 standard errors (a false alarm
// under no effect has a chance of about 0.1 %).
func TestNoConnectorRemovesOnlyTheCarrying(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 42 replications of two scenarios")
	}
	with := pooled(t, builtin(t, "three-hubs"), seedSets, 14)
	without := pooled(t, builtin(t, "no-connector"), seedSets, 14)
	for i := range with.Runs {
		a, b := with.Runs[i].Metrics(with.Regions), without.Runs[i].Metrics(without.Regions)
		for k := range a {
			switch n := a[k].Name; {
			case n == sim.MetricDiscovered, n == sim.MetricCommercialized, n == sim.MetricLost, n == sim.MetricCommercialRate,
				n == sim.MetricCommercialShare, n == sim.MetricLagMedian, len(n) > len(sim.MetricTransferToPrefix) && n[:len(sim.MetricTransferToPrefix)] == sim.MetricTransferToPrefix:
				if a[k] != b[k] && !(math.IsNaN(a[k].Value) && math.IsNaN(b[k].Value)) {
					t.Errorf("replicate %d: %s %s is %v with the connector, %v without: the pipeline changed", i, a[k].Name, a[k].Region, a[k].Value, b[k].Value)
				}
			}
		}
	}
	for _, metric := range []string{sim.MetricT50, sim.MetricT50KM} {
		d, se, n := paired(periphery(with, metric), periphery(without, metric))
		t.Logf("periphery %s: %+.2f ± %.2f steps later without the connector (paired, %d runs)", metric, d, se, n)
		if metric == sim.MetricT50 && !(d > 3*se) {
			t.Errorf("periphery t50 is %+.2f ± %.2f steps later without the connector, want clearly later (z > 3)", d, se)
		}
	}
}

// TestTheConnectorsReachSpeedsThePeriphery raises the connector's reach
// from 0.05 to 0.5 in five steps, on the same run seeds at every value
// (common random numbers; three seed sets × 14 replications, seedSets),
// and checks that the periphery adopts sooner:
//
//   - over the whole range, the paired difference of the periphery's t50
//     (the mean of central's and west's) is above zero by more than 3
//     standard errors;
//   - no step makes it significantly slower: each step's paired difference
//     is above −2.5 standard errors (a step whose true effect were zero
//     would fail this with a chance of 0.6 %, 3 % for five).
//
// The steps near 0.5 gain only a few tenths of a month: the connector's
// own uptake slows as more of its firms' contacts lie outside (k contacts
// are an attention budget), which takes back part of what its reach
// brings the periphery (docs/MODEL.md, "What drives the story"). A test
// that every step's point estimate is at least zero would therefore fail
// by chance on the last steps, whatever the seed.
func TestTheConnectorsReachSpeedsThePeriphery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 6 × 42 replications of three-hubs")
	}
	values := []float64{0.05, 0.14, 0.23, 0.32, 0.41, 0.5}
	t50 := make([][]float64, len(values))
	for i, v := range values {
		res := pooled(t, builtin(t, "three-hubs", fmt.Sprintf("regions.yrd.reach=%g", v)), seedSets, 14)
		t50[i] = periphery(res, sim.MetricT50)
	}
	for i := 1; i < len(values); i++ {
		d, se, _ := paired(t50[i], t50[i-1]) // positive: sooner at the higher reach
		t.Logf("reach %.2f → %.2f: periphery t50 %+.2f ± %.2f steps sooner", values[i-1], values[i], d, se)
		if d < -2.5*se {
			t.Errorf("reach %.2f → %.2f: the periphery adopts %.2f ± %.2f steps later, want no significant slowing", values[i-1], values[i], -d, se)
		}
	}
	d, se, n := paired(t50[len(values)-1], t50[0])
	t.Logf("reach 0.05 → 0.5: periphery t50 %+.2f ± %.2f steps sooner (%d paired runs)", d, se, n)
	if !(d > 3*se) {
		t.Errorf("reach 0.05 → 0.5: periphery t50 %+.2f ± %.2f steps sooner, want clearly sooner (z > 3)", d, se)
	}
}

// TestEachRolesOwnParameterMovesItsOutcome changes one parameter of each
// hub's role in three-hubs and checks, on the same run seeds as three-hubs
// (common random numbers, three seed sets × 14 replications, seedSets),
// that it moves the outcome the
// role claims, by more than 3 standard errors of the paired difference (a
// false alarm under no effect has a chance of about 0.1 % per row): the
// source's research makes its share of discoveries; the accelerator's pull
// draws commercialization to it; the friction between the accelerator's
// own cities slows its uptake. The connector's reach has its own test,
// TestTheConnectorsReachSpeedsThePeriphery. docs/DRIVERS.md has the
// effects of these and other changes on every figure.
func TestEachRolesOwnParameterMovesItsOutcome(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 4 × 42 replications of three-hubs")
	}
	discShare := func(res *sim.Result) []float64 {
		b, all := perRun(res, sim.MetricDiscovered, "bth"), perRun(res, sim.MetricDiscovered, "")
		for i := range b {
			b[i] /= all[i]
		}
		return b
	}
	base := pooled(t, builtin(t, "three-hubs"), seedSets, 14)
	for _, tc := range []struct {
		role, change string
		sets         []string
		figure       string
		of           func(*sim.Result) []float64
		sign         float64 // +1: the change must raise the figure, −1 lower it
	}{
		{"source", "research of bth's cities ×1.5", []string{"cities.beijing.research=0.03", "cities.tianjin.research=0.03", "cities.hebei.research=0.03"},
			"bth's share of discoveries", discShare, +1},
		{"accelerator", "gba pull halved", []string{"regions.gba.pull=0.95"},
			"gba's share of commercialization", func(r *sim.Result) []float64 { return perRun(r, sim.MetricCommercialShare, "gba") }, -1},
		{"accelerator", "friction between gba's cities 0.15 → 0.03", []string{"links.gba-gba.friction=0.03"},
			"gba adoption at age 24", func(r *sim.Result) []float64 { return perRun(r, sim.MetricAdoptionAt24, "gba") }, +1},
	} {
		t.Run(tc.role+": "+tc.change, func(t *testing.T) {
			res := pooled(t, builtin(t, "three-hubs", tc.sets...), seedSets, 14)
			d, se, n := paired(tc.of(base), tc.of(res))
			t.Logf("%s: %+.4f ± %.4f (paired, %d runs)", tc.figure, d, se, n)
			if !(tc.sign*d > 3*se) {
				t.Errorf("%s moved %+.4f ± %.4f, want %s by more than 3 standard errors", tc.figure, d, se, map[float64]string{1: "up", -1: "down"}[tc.sign])
			}
		})
	}
}
