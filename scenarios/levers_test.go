package scenarios

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestLoadLeversReadsTheDocsFiles(t *testing.T) {
	for _, c := range []struct{ scenario, file string }{
		{"three-hubs", "three-hubs-levers.yaml"},
		{"blueprint", "blueprint-levers.yaml"},
	} {
		t.Run(c.file, func(t *testing.T) {
			cfg := mustBuiltin(t, c.scenario)
			path := filepath.Join("..", "docs", "optimize", c.file)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lv, err := LoadLevers(path, src, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(lv.Levers) < 3 || lv.Objective == nil || lv.Levers[0].Line == 0 {
				t.Errorf("got %+v", lv)
			}
			for _, l := range lv.Levers {
				if l.From == *l.To || l.FullCost() <= 0 {
					t.Errorf("lever %s: from %v to %v costs %v", l.Name, l.From, *l.To, l.FullCost())
				}
			}
		})
	}
}

func leversOf(t *testing.T, src string) Levers {
	t.Helper()
	cfg := mustBuiltin(t, "three-hubs")
	lv, err := LoadLevers("l.yaml", []byte(src), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	return lv
}

const goodLevers = `budget: 10
levers:
  - name: reach
    path: regions.yrd.reach
    to: 0.7
    cost_per_unit: 10
  - name: friction
    path: links.yrd->central.friction
    to: 0.02
    cost_per_unit: 100
    exponent: 0.5
objective:
  metric: t50_km
  regions: [central, west]
  goal: minimize
`

func TestLeverValueAndCost(t *testing.T) {
	lv := leversOf(t, goodLevers)
	reach, fr := lv.Levers[0], lv.Levers[1]
	cases := []struct {
		name         string
		l            Lever
		spend, value float64
	}{
		{"nothing spent leaves the scenario's value", reach, 0, 0.5},
		{"a linear lever moves by spend over cost", reach, 1, 0.6},
		{"a linear lever stops at to", reach, 5, 0.7},
		// (s/c)^e = (4/100)^0.5 = 0.2 is more than the reach 0.08.
		{"a lever past its end stops at to", fr, 4, 0.02},
		// (0.25/100)^0.5 = 0.05 down from 0.1.
		{"diminishing returns move by the power, downwards", fr, 0.25, 0.05},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.l.Value(c.spend); math.Abs(got-c.value) > 1e-12 {
				t.Errorf("got %v, want %v", got, c.value)
			}
		})
	}
	// Reaching to: reach 0.2 × 10 = 2; friction 100 × 0.08^2 = 0.64.
	if got := reach.FullCost(); math.Abs(got-2) > 1e-12 {
		t.Errorf("reach's full cost: got %v, want 2", got)
	}
	if got := fr.FullCost(); math.Abs(got-0.64) > 1e-12 {
		t.Errorf("friction's full cost: got %v, want 0.64", got)
	}
	if got := fr.Spent(3); got != fr.FullCost() {
		t.Errorf("spent of 3 on friction: got %v, want its full cost", got)
	}
}

func TestObjectiveFigureIsTheFirmWeightedMean(t *testing.T) {
	cfg := mustBuiltin(t, "three-hubs")
	cfg.Steps = 40
	cfg.Replicates = 1
	runs, err := sim.RunTasks(t.Context(), cfg, []sim.Task{{}}, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	run := runs[0]
	ids := cfg.RegionIDs()
	c, w := indexOf(ids, "central"), indexOf(ids, "west")
	lastC, lastW := run.Rows[len(run.Rows)-len(ids)+c], run.Rows[len(run.Rows)-len(ids)+w]
	// central and west have 1500 firms each.
	o := Objective{Metric: sim.MetricFinalAdoption, Regions: []string{"central", "west"}, Goal: GoalMaximize}
	want := (1500*lastC.AdoptionShare + 1500*lastW.AdoptionShare) / 3000
	if got := o.Figure(&cfg, run); math.Abs(got-want) > 1e-12 {
		t.Errorf("final adoption of the periphery: got %v, want %v", got, want)
	}
	// In 40 steps no innovation gets half the periphery: censored at 40.
	o = Objective{Metric: sim.MetricT50, Region: "west", Goal: GoalMinimize}
	if !math.IsNaN(run.T50[w]) {
		t.Skipf("west's t50 is %v in 40 steps: the censoring case is not exercised", run.T50[w])
	}
	if got := o.Figure(&cfg, run); got != 40 {
		t.Errorf("an unreached t50: got %v, want the horizon 40", got)
	}
}

func indexOf(ids []string, id string) int {
	for i, s := range ids {
		if s == id {
			return i
		}
	}
	return -1
}

func TestLoadLeversPointsAtEveryProblem(t *testing.T) {
	cfg := mustBuiltin(t, "three-hubs")
	const obj = "objective:\n  metric: t50_km\n  region: west\n  goal: minimize\n"
	const lever = "levers:\n  - name: reach\n    path: regions.yrd.reach\n    to: 0.7\n    cost_per_unit: 10\n"
	cases := []struct {
		name, src string
		want      []string
	}{
		{"syntax error", "budget: [\n", []string{"l.yaml:"}},
		{"unknown key", "budget: 1\n" + lever + "    costs: 3\n" + obj, []string{"l.yaml:7:5: levers[0].costs: "}},
		{"wrong type", "budget: lots\n" + lever + obj, []string{"l.yaml:1:9: budget: "}},
		{"no budget, levers or objective", "second:\n  metric: lost\n  goal: minimize\n", []string{
			"l.yaml:1:1: budget: missing", "l.yaml:1:1: levers: no levers", "l.yaml:1:1: objective: missing"}},
		{"budget not positive", "budget: -3\n" + lever + obj, []string{"l.yaml:1:9: budget: -3 is not a positive number"}},
		{"lever missing its fields", "budget: 1\nlevers:\n  - name: x\n" + obj, []string{
			"l.yaml:3:5: levers[0].path: missing", "l.yaml:3:5: levers[0].to: missing", "l.yaml:3:5: levers[0].cost_per_unit: missing"}},
		{"unknown path", "budget: 1\nlevers:\n  - name: x\n    path: regions.yrd.reech\n    to: 1\n    cost_per_unit: 1\n" + obj, []string{
			`l.yaml:4:11: levers[0].path: three-hubs has no parameter "regions.yrd.reech"; did you mean regions.yrd.reach?`}},
		{"whole-number path", "budget: 1\nlevers:\n  - name: x\n    path: cities.wuhan.firms\n    to: 300\n    cost_per_unit: 1\n" + obj, []string{
			"l.yaml:4:11: levers[0].path: cities.wuhan.firms takes whole numbers"}},
		{"paths from different values", "budget: 1\nlevers:\n  - name: x\n    path: links.yrd->central.friction, links.yrd->west.friction\n    to: 0.01\n    cost_per_unit: 1\n" + obj, []string{
			"l.yaml:4:11: levers[0].path: its paths start from different values (0.1, 0.15)"}},
		{"to the scenario's value", "budget: 1\nlevers:\n  - name: x\n    path: regions.yrd.reach\n    to: 0.5\n    cost_per_unit: 1\n" + obj, []string{
			"l.yaml:5:9: levers[0].to: 0.5 is the scenario's own value"}},
		{"to the scenario refuses", "budget: 1\nlevers:\n  - name: x\n    path: regions.yrd.reach\n    to: 1.5\n    cost_per_unit: 1\n" + obj, []string{
			"l.yaml:5:9: levers[0].to: "}},
		{"cost not positive", "budget: 1\nlevers:\n  - name: x\n    path: regions.yrd.reach\n    to: 0.7\n    cost_per_unit: 0\n" + obj, []string{
			"l.yaml:6:20: levers[0].cost_per_unit: 0 is not a positive number"}},
		{"exponent above one", "budget: 1\n" + lever + "    exponent: 2\n" + obj, []string{
			"l.yaml:7:15: levers[0].exponent: 2 is outside (0, 1]"}},
		{"two levers of one name", "budget: 1\n" + lever + "  - name: reach\n    path: regions.gba.pull\n    to: 3\n    cost_per_unit: 1\n" + obj, []string{
			`l.yaml:7:11: levers[1].name: a second lever named "reach"`}},
		{"regional metric without a region", "budget: 1\n" + lever + "objective:\n  metric: t50_km\n  goal: minimize\n", []string{
			"l.yaml:8:11: objective.metric: t50_km is a figure of one region"}},
		{"unknown region", "budget: 1\n" + lever + "objective:\n  metric: t50_km\n  regions: [central, north]\n  goal: minimize\n", []string{
			`l.yaml:9:22: objective.regions[1]: no region "north"`}},
		{"bad goal", "budget: 1\n" + lever + "objective:\n  metric: t50_km\n  region: west\n  goal: fastest\n", []string{
			`l.yaml:10:9: objective.goal: "fastest" is neither minimize nor maximize`}},
		{"second without a goal", "budget: 1\n" + lever + obj + "second:\n  metric: lost\n", []string{
			"l.yaml:12:3: second.goal: missing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadLevers("l.yaml", []byte(c.src), &cfg)
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got\n%v\nwant a line containing %q", err, w)
				}
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "l.yaml:") {
					t.Errorf("error line %q has no file:line", line)
				}
			}
		})
	}
}

// FuzzLoadLevers checks that LoadLevers never panics and that every error
// it returns has a position in the file.
func FuzzLoadLevers(f *testing.F) {
	for _, name := range []string{"three-hubs-levers.yaml", "blueprint-levers.yaml"} {
		src, err := os.ReadFile(filepath.Join("..", "docs", "optimize", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(goodLevers))
	f.Add([]byte("budget: 1\nlevers: {}\n"))
	cfg, err := Builtin("three-hubs")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := LoadLevers("l.yaml", src, &cfg)
		if err == nil {
			return
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, "l.yaml:") && !strings.HasPrefix(line, "and ") {
				t.Errorf("error line %q has no position", line)
			}
		}
	})
}
