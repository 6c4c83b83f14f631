package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var docs = flag.Bool("docs", false, "copy the tutorial's figures into docs/tutorial (make docs)")

// tutorialFigures maps the figures docs/TUTORIAL.md shows to the files the
// tutorial's commands write.
var tutorialFigures = map[string]string{
	"adoption.png":        "out/three-hubs/plots/adoption.png",
	"pipeline.png":        "out/three-hubs/plots/pipeline.png",
	"transfer.png":        "out/three-hubs/plots/transfer.png",
	"compare.png":         "out/friction/plots/compare.png",
	"compare-diff.png":    "out/friction/plots/compare-diff.png",
	"compare-effects.png": "out/friction/plots/compare-effects.png",
	"sweep-t50.png":       "out/connector-sweep/plots/sweep-t50-regions.yrd.reach.png",

	"sensitivity-t50-central.png": "out/three-hubs-sensitivity/plots/sensitivity-t50-central.png",
	"optimize-allocation.png":     "out/optimize-three-hubs/plots/optimize-allocation.png",
}

// notRunHere are commands of the tutorial that the test does not run
// itself because the build and CI run them.
var notRunHere = map[string]bool{"make build": true}

// shellWords splits a command line as a shell would for the simple lines of
// the tutorial: words separated by spaces, single quotes keeping spaces.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			quoted = !quoted
			inWord = true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// tutorialCommands returns the lines of the sh code blocks of a Markdown
// file.
func tutorialCommands(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```sh":
			in = true
		case strings.HasPrefix(line, "```"):
			in = false
		case in && line != "" && !strings.HasPrefix(line, "#"):
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// TestTutorial runs every command of docs/TUTORIAL.md, in order, in one
// fresh folder after what make run does (README's first command), so the
// tutorial cannot rot and works as a student follows it. With -docs it then copies the
// figures the tutorial shows into docs/tutorial.
func TestTutorial(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole tutorial; make test runs it without -race")
	}
	doc, _ := filepath.Abs(filepath.Join("..", "..", "docs", "TUTORIAL.md"))
	figures, _ := filepath.Abs(filepath.Join("..", "..", "docs", "tutorial"))
	cmds := tutorialCommands(t, doc)
	if len(cmds) < 10 {
		t.Fatalf("found %d commands in the tutorial; the parser is broken", len(cmds))
	}
	// The tutorial runs from the repository's root, where docs/ holds the
	// levers files its commands read.
	levers, _ := filepath.Glob(filepath.Join("..", "..", "docs", "optimize", "*.yaml"))
	t.Chdir(t.TempDir())
	if err := os.MkdirAll(filepath.Join("docs", "optimize"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, l := range levers {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(doc), "optimize", filepath.Base(l)))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("docs", "optimize", filepath.Base(l)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A student comes to the tutorial from README, having run make run:
	// out/three-hubs exists, as the Makefile's run target writes it.
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"run", "three-hubs", "--force", "--quiet"}, &stdout, &stderr); code != 0 {
		t.Fatalf("make run's command: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	for _, line := range cmds {
		if notRunHere[line] {
			continue
		}
		words := shellWords(line)
		if words[0] != "./triad" {
			t.Fatalf("tutorial command %q is neither ./triad nor run elsewhere: run it here or list it in notRunHere", line)
		}
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), words[1:], &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", line, code, stdout.String(), stderr.String())
		}
	}
	for name, from := range tutorialFigures {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Errorf("the tutorial shows %s, but its commands did not write %s", name, from)
			continue
		}
		if *docs {
			os.MkdirAll(figures, 0o755)
			if err := os.WriteFile(filepath.Join(figures, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
