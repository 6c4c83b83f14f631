package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDevNullIsNotATerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Errorf("%s counts as a terminal", os.DevNull)
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer counts as a terminal")
	}
}

// TestOutputCannotDriveTheTerminal holds that what triad prints from
// names it did not choose (here a file's name on validate's "ok" line)
// reaches stdout with its control characters escaped, so that it cannot
// clear the screen and fake a verdict.
func TestOutputCannotDriveTheTerminal(t *testing.T) {
	src, err := os.ReadFile("testdata/golden/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x\x1b[2J\x1b[HALL CHECKS PASSED.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Skip(err) // a file system that refuses such names
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"validate", path}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if strings.ContainsRune(stdout.String(), '\x1b') {
		t.Errorf("stdout holds an escape character: %q", stdout.String())
	}
	if !strings.Contains(stdout.String(), `x\x1b[2J\x1b[HALL CHECKS PASSED.yaml: ok`) {
		t.Errorf("got %q, want the name escaped before its ok", stdout.String())
	}
}
