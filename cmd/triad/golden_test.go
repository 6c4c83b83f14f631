package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/internal/golden"
	"github.com/triad-sim/triad/runs"
)

// runTriad runs the command in-process and fails the test on a non-zero
// exit code.
func runTriad(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("triad %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// outputFiles lists every file of an output folder except the manifest
// (which records wall time and workers), relative to the folder.
func outputFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == runs.ManifestName {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameFiles fails unless two output folders hold byte-identical files.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	fa, fb := outputFiles(t, a), outputFiles(t, b)
	if len(fa) == 0 {
		t.Fatalf("%s holds no files", a)
	}
	for name, ba := range fa {
		bb, ok := fb[name]
		switch {
		case !ok:
			t.Errorf("%s has %s, %s has not", a, name, b)
		case !bytes.Equal(ba, bb):
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s has %s, %s has not", b, name, a)
		}
	}
}

// TestGoldenOutputs pins the tables of a small scenario with a sweep and a
// policy. Run `go test ./cmd/triad -update` (or make golden) after an
// intended change of the model and review the diff.
func TestGoldenOutputs(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		files []string
	}{
		{"small", nil, []string{"timeseries.csv", "summary.csv", "summary.json"}},
		{"small-sweep", []string{"--sweep", "diffusion.q=0.2,0.5"}, []string{"timeseries.csv", "summary.csv", "summary.json", "points.csv"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			runTriad(t, append([]string{"run", "testdata/golden/small.yaml", "--quiet", "--out", out}, c.args...)...)
			for _, name := range c.files {
				got, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join("testdata", "golden", c.name+"."+name+".golden"), got,
					"if the model changed on purpose, run go test ./cmd/triad -update and review the diff")
			}
		})
	}
}

// TestWorkersNeverChangeTheFiles runs the same scenario with 1, 2, 3 and 8
// workers: every output file, plots included, must be byte-identical. Both
// levels of parallelism are exercised: a sweep gives many runs at once, and
// a single large run gives many blocks.
func TestWorkersNeverChangeTheFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every case twice through the command (sim's own workers test runs under -race); make test runs it in the pass without -race")
	}
	dir := t.TempDir()
	cases := map[string][]string{
		"a sweep": {"testdata/golden/small.yaml", "--sweep", "regions.acc.reach=0.1,0.3"},
		"one large run": {"testdata/golden/small.yaml", "--replications", "1",
			"--set", "cities.far.firms=9000", "--set", "cities.works.firms=5000"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			var first string
			for _, w := range []string{"1", "2", "3", "8"} {
				out := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+"-w"+w)
				runTriad(t, append([]string{"run", "--quiet", "--out", out, "--workers", w}, args...)...)
				if first == "" {
					first = out
					continue
				}
				sameFiles(t, first, out)
			}
		})
	}
}

func TestSeeds(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	runTriad(t, "run", "testdata/golden/small.yaml", "--quiet", "--out", a)
	runTriad(t, "run", "testdata/golden/small.yaml", "--quiet", "--out", b)
	runTriad(t, "run", "testdata/golden/small.yaml", "--quiet", "--out", c, "--seed", "43")
	sameFiles(t, a, b)
	ta, _ := os.ReadFile(filepath.Join(a, "timeseries.csv"))
	tc, _ := os.ReadFile(filepath.Join(c, "timeseries.csv"))
	if bytes.Equal(ta, tc) {
		t.Error("seeds 42 and 43 gave the same time series")
	}
}
