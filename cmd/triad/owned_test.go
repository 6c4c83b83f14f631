package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestForceNeverDeletesForeignFiles is the data-loss case of the hardening
// issue: run and compare with --force must leave a folder that holds a
// user's files alone, say why, and not suggest --force.
func TestForceNeverDeletesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("d/thesis", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("d/thesis/ch1.tex", []byte("chapter one"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "bass", "--quiet", "--replications", "1", "--steps", "3", "--out", "d", "--force"},
		{"run", "bass", "--quiet", "--replications", "1", "--steps", "3", "--out", "d"},
		{"compare", "bass", "bass", "--quiet", "--replications", "2", "--out", "d", "--force"},
	} {
		_, stderr := mustCLI(t, 2, args...)
		if !strings.Contains(stderr, "did not write") || !strings.Contains(stderr, "thesis") {
			t.Errorf("%v: stderr %q does not say the folder holds foreign files", args, stderr)
		}
		if strings.Contains(stderr, "add --force") {
			t.Errorf("%v: stderr %q suggests --force for a folder that is not ours", args, stderr)
		}
		if b, err := os.ReadFile("d/thesis/ch1.tex"); err != nil || string(b) != "chapter one" {
			t.Fatalf("%v: the user's file is gone or changed: %q, %v", args, b, err)
		}
	}
	// A run's own folder is replaced, a comparison's too.
	mustCLI(t, 0, "run", "bass", "--quiet", "--replications", "1", "--steps", "3", "--out", "mine")
	mustCLI(t, 0, "run", "bass", "--quiet", "--replications", "1", "--steps", "3", "--out", "mine", "--force")
	mustCLI(t, 0, "compare", "bass", "bass", "--quiet", "--replications", "2", "--out", "cmp")
	mustCLI(t, 0, "compare", "bass", "bass", "--quiet", "--replications", "2", "--out", "cmp", "--force")
	// The root is never offered.
	_, stderr := mustCLI(t, 2, "run", "bass", "--quiet", "--out", "/", "--force")
	if !strings.Contains(stderr, "root") {
		t.Errorf("run --out / --force: stderr %q does not name the root", stderr)
	}
}

// TestForceKeepsUserFiles is the other data-loss case of the hardening
// issue: run, compare and fit with --force replace the files triad wrote
// in their folder, keep the user's own charts, logs and hidden files and
// folders as they were, and say what they kept.
func TestForceKeepsUserFiles(t *testing.T) {
	targets := filepath.Join(t.TempDir(), "targets.yaml")
	if err := os.WriteFile(targets, []byte("targets:\n  - {metric: final_adoption, region: south, value: 0.3, uncertainty: 0.1, source: a test}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fit, err := filepath.Abs(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		name, mark string // the command and the file that marks its folder
		args       []string
	}{
		{"run", "manifest.json", []string{"run", "bass", "--replications", "1", "--steps", "3", "--out", "d"}},
		{"compare", "compare.json", []string{"compare", "bass", "bass", "--replications", "2", "--steps", "3", "--out", "d"}},
		{"fit", "fit.json", []string{"fit", fit, "--targets", targets, "--param", "regions.south.pull=0.2:5",
			"--particles", "4", "--generations", "1", "--replications", "1", "--out", "d"}},
	}
	cases := []struct {
		name string
		tree map[string]string // the user's files
		kept string            // how the command names what it kept
	}{
		{"a chart of the user's as PNG", map[string]string{"plots/mine.png": "my chart"}, "plots/mine.png"},
		{"a chart of the user's as SVG", map[string]string{"plots/mine.svg": "<svg/>"}, "plots/mine.svg"},
		{"a log of the user's", map[string]string{"logs/app.log": "my log"}, "logs/"},
		{"a hidden folder and its contents", map[string]string{".notes/ch1.tex": "chapter one", ".notes/2024/todo": "more"}, ".notes/"},
		{"a hidden file", map[string]string{".DS_Store": "finder"}, ".DS_Store"},
	}
	for _, k := range kinds {
		for _, c := range cases {
			t.Run(k.name+" with "+c.name, func(t *testing.T) {
				t.Chdir(t.TempDir())
				mustCLI(t, 0, append(k.args, "--quiet")...)
				for p, content := range c.tree {
					p = filepath.Join("d", p)
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				// A day old, so that it shows whether it is written again.
				mark, old := filepath.Join("d", k.mark), time.Now().Add(-24*time.Hour)
				if err := os.Chtimes(mark, old, old); err != nil {
					t.Fatal(err)
				}
				_, stderr := mustCLI(t, 0, append(k.args, "--force")...)
				if !strings.Contains(stderr, "kept in d what triad did not write") || !strings.Contains(stderr, c.kept) {
					t.Errorf("stderr %q does not name %s as kept", stderr, c.kept)
				}
				for p, content := range c.tree {
					if b, err := os.ReadFile(filepath.Join("d", p)); err != nil || string(b) != content {
						t.Errorf("the user's %s is gone or changed: %q, %v", p, b, err)
					}
				}
				if st, err := os.Stat(mark); err != nil || !st.ModTime().After(old.Add(time.Hour)) {
					t.Errorf("%s was not written again: %v", k.mark, err)
				}
			})
		}
	}
}

// TestBaselineReplacesOnlyABaseline: baseline --to does not replace a
// file without --force, and with it only a baseline that triad wrote.
func TestBaselineReplacesOnlyABaseline(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	mustCLI(t, 0, "run", "bass", "--quiet", "--replications", "2", "--steps", "5", "--out", "b")
	if err := os.WriteFile("base.json", []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		args := []string{"baseline", "b", "--to", "base.json"}
		if force {
			args = append(args, "--force")
		}
		_, stderr := mustCLI(t, 2, args...)
		if !strings.Contains(stderr, "base.json") || !strings.Contains(stderr, "not a baseline") || strings.Contains(stderr, "add --force") {
			t.Errorf("%v: stderr %q does not say that base.json is not a baseline triad wrote", args, stderr)
		}
		if b, _ := os.ReadFile("base.json"); string(b) != "precious" {
			t.Fatalf("%v overwrote base.json", args)
		}
	}
	// A baseline of triad's is replaced with --force only.
	mustCLI(t, 0, "baseline", "b", "--to", "mine.json")
	if err := os.WriteFile("mine.json", []byte(`{"scenario": "bass", "version": "old", "metrics": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr := mustCLI(t, 2, "baseline", "b", "--to", "mine.json"); !strings.Contains(stderr, "add --force") {
		t.Errorf("stderr %q does not say how to replace the baseline", stderr)
	}
	mustCLI(t, 0, "baseline", "b", "--to", "mine.json", "--force")
	if b, _ := os.ReadFile("mine.json"); !strings.Contains(string(b), `"config_sha256"`) {
		t.Fatalf("baseline --force did not replace mine.json: %s", b)
	}
}
