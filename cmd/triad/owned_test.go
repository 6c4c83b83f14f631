package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree makes the files of tree (path → content) under dir.
func writeTree(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for p, content := range tree {
		full := filepath.Join(dir, p)
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestForceNeverDeletesForeignFiles is the data-loss case of the hardening
// issue: run and compare with --force must leave a folder that holds a
// user's files alone, say why, and not suggest --force.
func TestForceNeverDeletesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeTree(t, dir, map[string]string{"d/thesis/ch1.tex": "chapter one"})
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

func TestBaselineDoesNotOverwrite(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	mustCLI(t, 0, "run", "bass", "--quiet", "--replications", "2", "--steps", "5", "--out", "b")
	writeTree(t, dir, map[string]string{"base.json": "precious"})
	_, stderr := mustCLI(t, 2, "baseline", "b", "--to", "base.json")
	if !strings.Contains(stderr, "--force") {
		t.Errorf("stderr %q does not say how to replace the file", stderr)
	}
	if b, _ := os.ReadFile("base.json"); string(b) != "precious" {
		t.Fatalf("baseline overwrote base.json without --force")
	}
	mustCLI(t, 0, "baseline", "b", "--to", "base.json", "--force")
	if b, _ := os.ReadFile("base.json"); string(b) == "precious" {
		t.Fatalf("baseline --force did not replace base.json")
	}
}
