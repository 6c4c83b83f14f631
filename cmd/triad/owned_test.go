package main

import (
	"os"
	"strings"
	"testing"
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
