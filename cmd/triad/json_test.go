package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triad-sim/triad/internal/golden"
	"github.com/triad-sim/triad/internal/slurm"
)

// TestJSONGolden pins the --json output of every command that has it (the
// schemas of docs/CLI.md). Wall times are set to 0; paths are relative to
// a fresh folder. Run go test ./cmd/triad -update after an intended change
// of a schema (and raise schemaVersion when a field goes or changes
// meaning).
func TestJSONGolden(t *testing.T) {
	small, err := os.ReadFile("testdata/golden/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	invalid, err := os.ReadFile("../../scenarios/testdata/invalid/policy-unknown-path.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := slurm.Squeue
	slurm.Squeue = func() ([]byte, bool) { return nil, false } // no Slurm here
	t.Cleanup(func() { slurm.Squeue = old })
	goldens, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	os.WriteFile("small.yaml", small, 0o644)
	os.WriteFile("invalid.yaml", invalid, 0o644)
	cases := []struct {
		name  string
		setup [][]string
		args  []string
		stdin string
		exit  int
	}{
		{name: "list", args: []string{"list", "--json"}},
		{name: "show", args: []string{"show", "bass", "--json"}},
		{name: "validate-ok", args: []string{"validate", "small.yaml", "--json"}},
		{name: "validate-errors", args: []string{"validate", "invalid.yaml", "--json"}, exit: exitUsage},
		{name: "validate-stdin", args: []string{"validate", "-", "--json"}, stdin: string(invalid), exit: exitUsage},
		{name: "validate-missing", args: []string{"validate", "nowhere.yaml", "--json"}, exit: exitUsage},
		{name: "run", args: []string{"run", "small.yaml", "--json", "--out", "out/run"}},
		{name: "run-sweep", args: []string{"run", "small.yaml", "--json", "--out", "out/sweep", "--sweep", "diffusion.q=0.2,0.5", "--replications", "2"}},
		{name: "compare", args: []string{"compare", "small.yaml", "small.yaml", "--set", "diffusion.q=0.5", "--metric", "t50", "--json", "--out", "out/compare"}},
		{name: "status", setup: [][]string{{"run", "small.yaml", "--quiet", "--shard", "1/2", "--out", "out/sharded"}},
			args: []string{"status", "out/sharded", "--json"}, exit: exitFailure},
		{name: "status-folder", args: []string{"status", "out/run", "--json"}},
	}
	wall := regexp.MustCompile(`"wall_seconds": [0-9.e+-]+`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range c.setup {
				runTriad(t, s...)
			}
			var stdout, stderr bytes.Buffer
			code := runIO(context.Background(), c.args, strings.NewReader(c.stdin), &stdout, &stderr)
			if code != c.exit {
				t.Fatalf("%s: exit %d, want %d\n%s%s", strings.Join(c.args, " "), code, c.exit, stdout.String(), stderr.String())
			}
			if !json.Valid(stdout.Bytes()) {
				t.Fatalf("%s: not JSON:\n%s", strings.Join(c.args, " "), stdout.String())
			}
			var head struct {
				SchemaVersion int `json:"schema_version"`
			}
			if json.Unmarshal(stdout.Bytes(), &head); head.SchemaVersion != schemaVersion {
				t.Errorf("schema_version %d, want %d", head.SchemaVersion, schemaVersion)
			}
			got := wall.ReplaceAll(stdout.Bytes(), []byte(`"wall_seconds": 0`))
			golden.Check(t, filepath.Join(goldens, "json-"+c.name+".json.golden"), got,
				"triad "+strings.Join(c.args, " ")+": if the schema changed on purpose, run go test ./cmd/triad -update and review the diff")
		})
	}
}

// TestQuiet checks that --quiet prints nothing on success.
func TestQuiet(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"run", "testdata/golden/small.yaml", "--quiet", "--out", filepath.Join(dir, "run")},
		{"run", "--resume", filepath.Join(dir, "run"), "--quiet"},
		{"compare", "testdata/golden/small.yaml", "testdata/golden/small.yaml", "--quiet", "--out", filepath.Join(dir, "cmp")},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 0 || stdout.Len()+stderr.Len() > 0 {
			t.Errorf("%s: exit %d, printed %q %q; want exit 0 and nothing", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
	}
}
