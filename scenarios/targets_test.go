package scenarios

import (
	"github.com/triad-sim/triad/sim"

	"strings"
	"testing"
)

func TestLoadTargetsReadsAFile(t *testing.T) {
	cfg := mustBuiltin(t, "three-hubs")
	src := `# observed figures
targets:
  - metric: commercialization_rate
    value: 0.28
    uncertainty: 0.04
    source: SIAT, 2025
  - metric: commercialized_share
    regions: [central, west]
    value: 0.198
    uncertainty: 0.05
    source: CNIPA, 2023
params:
  - path: regions.central.pull, regions.west.pull
    low: 0.1
    high: 3
`
	tg, err := LoadTargets("t.yaml", []byte(src), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(tg.Targets) != 2 || tg.Targets[1].Name() != "commercialized_share@central+west" || *tg.Targets[1].Value != 0.198 || tg.Targets[1].Line != 7 {
		t.Errorf("got %+v", tg.Targets)
	}
	if got := tg.Params[0].Paths(); len(got) != 2 || got[1] != "regions.west.pull" || *tg.Params[0].High != 3 {
		t.Errorf("got params %+v (paths %q)", tg.Params, got)
	}
}

func TestLoadTargetsPointsAtEveryProblem(t *testing.T) {
	cfg := mustBuiltin(t, "three-hubs")
	cases := []struct {
		name, src string
		want      []string
	}{
		{"syntax error", "targets: [\n", []string{"t.yaml:"}},
		{"unknown key", "targets:\n  - metric: lost\n    valu: 3\n", []string{"t.yaml:3:5: targets[0].valu: "}},
		{"wrong type", "targets:\n  - metric: lost\n    value: many\n    uncertainty: 1\n    source: x\n", []string{"t.yaml:3:12: targets[0].value: "}},
		{"no targets", "params: []\n", []string{"t.yaml:1:1: targets: no targets"}},
		{"missing value and source", "targets:\n  - metric: lost\n    uncertainty: 1\n", []string{
			"t.yaml:2:5: targets[0].value: missing", "t.yaml:2:5: targets[0].source: missing"}},
		{"zero uncertainty", "targets:\n  - metric: lost\n    value: 3\n    uncertainty: 0\n    source: x\n", []string{
			"t.yaml:4:18: targets[0].uncertainty: 0 is not a positive number"}},
		{"unknown region", "targets:\n  - metric: lost\n    region: north\n    value: 3\n    uncertainty: 1\n    source: x\n", []string{
			`t.yaml:3:13: targets[0].region: no region "north"`}},
		{"regional metric without a region", "targets:\n  - metric: commercialized_share\n    value: 3\n    uncertainty: 1\n    source: x\n", []string{
			"t.yaml:2:13: targets[0].metric: commercialized_share is a figure of one region"}},
		{"unknown metric", "targets:\n  - metric: glory\n    region: gba\n    value: 3\n    uncertainty: 1\n    source: x\n", []string{
			`t.yaml:2:13: targets[0].metric: regions have no metric "glory"`}},
		{"unknown parameter", "targets:\n  - metric: lost\n    value: 3\n    uncertainty: 1\n    source: x\nparams:\n  - path: regions.gba.pul\n    low: 1\n    high: 2\n", []string{
			`t.yaml:7:11: params[0].path: three-hubs has no parameter "regions.gba.pul"; did you mean regions.gba.pull?`}},
		{"empty prior", "targets:\n  - metric: lost\n    value: 3\n    uncertainty: 1\n    source: x\nparams:\n  - path: regions.gba.pull\n    low: 2\n    high: 2\n", []string{
			"t.yaml:9:11: params[0].high: prior range [2, 2] is empty"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadTargets("t.yaml", []byte(c.src), &cfg)
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got\n%v\nwant a line containing %q", err, w)
				}
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "t.yaml:") {
					t.Errorf("error line %q has no file:line", line)
				}
			}
		})
	}
}

func mustBuiltin(t *testing.T, name string) sim.Config {
	t.Helper()
	cfg, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
