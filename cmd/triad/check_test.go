package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"triad/scenarios"
)

// TestBuiltinsHoldTheirBaselines is the project's own regression check:
// every built-in scenario, run now, must hold the baseline committed in
// testdata/baselines (make baselines rewrites them after an intended model
// change; their diff is reviewed like code).
func TestBuiltinsHoldTheirBaselines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every built-in scenario; make test runs it without -race")
	}
	for _, in := range scenarios.List() {
		t.Run(in.Name, func(t *testing.T) {
			base := filepath.Join("..", "..", "testdata", "baselines", in.Name+".json")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"check", in.Name, "--baseline", base, "--quiet"}, &stdout, &stderr)
			if code != 0 {
				t.Errorf("check %s: exit %d, want 0\n%s%s", in.Name, code, stdout.String(), stderr.String())
			}
		})
	}
}

// TestCheckTellsAChangeFromNoise makes a baseline of three-hubs, then
// checks three runs against it: the same folder passes, a re-run with
// another seed passes (the statistical tolerance is not too tight), and a
// run with the accelerator's pull cut from 1.9 to 1 fails with exit code 1
// (it is not too loose).
func TestCheckTellsAChangeFromNoise(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three-hubs three times; make test runs it without -race")
	}
	dir := t.TempDir()
	out, base := filepath.Join(dir, "out"), filepath.Join(dir, "base.json")
	runTriad(t, "run", "three-hubs", "--quiet", "--out", out)
	runTriad(t, "baseline", out, "--to", base)
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"the same run passes", []string{"check", out, "--baseline", base}, 0},
		{"another seed passes", []string{"check", "three-hubs", "--seed", "20251127", "--quiet", "--baseline", base}, 0},
		{"a weaker accelerator fails", []string{"check", "three-hubs", "--set", "regions.gba.pull=0.5", "--quiet", "--baseline", base}, 1},
		{"a missing baseline is bad input", []string{"check", out, "--baseline", filepath.Join(dir, "nope.json")}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), c.args, &stdout, &stderr)
			if code != c.want {
				t.Fatalf("%s: exit %d, want %d\n%s%s", strings.Join(c.args, " "), code, c.want, stdout.String(), stderr.String())
			}
			if c.want == 1 && !strings.Contains(stdout.String(), "FAIL") {
				t.Errorf("a failing check printed no FAIL row:\n%s", stdout.String())
			}
		})
	}
}
