package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
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

// tutorialStep is a command of the tutorial with the output the tutorial
// shows for it: the lines of a plain code block (no language) that follows
// its sh block, where a line "..." stands for lines left out.
type tutorialStep struct {
	line string
	want []string
}

// tutorialCommands returns the commands of the sh code blocks of a
// Markdown file, in order, each plain code block after an sh block given
// to that block's last command as its output.
func tutorialCommands(t *testing.T, path string) []tutorialStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []tutorialStep
	kind := "" // the language of the open block, "none" for a plain one
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case kind == "" && trimmed == "```":
			kind = "none"
		case kind == "" && strings.HasPrefix(trimmed, "```"):
			kind = strings.TrimPrefix(trimmed, "```")
		case kind != "" && trimmed == "```":
			kind = ""
		case kind == "sh" && trimmed != "" && !strings.HasPrefix(trimmed, "#"):
			steps = append(steps, tutorialStep{line: trimmed})
		case kind == "none" && len(steps) > 0 && trimmed != "":
			steps[len(steps)-1].want = append(steps[len(steps)-1].want, line)
		}
	}
	return steps
}

// fields is a line with its runs of blanks made one space, so that the
// tutorial's blocks need not keep the columns' widths.
func fields(line string) string { return strings.Join(strings.Fields(line), " ") }

// shows reports the first line of want that got does not hold, in order:
// every line of want, its blanks aside, must be a line of got, after the
// line before it; "..." skips any number of lines. It returns "" when got
// shows want.
func shows(got string, want []string) string {
	lines := strings.Split(got, "\n")
	i := 0
	for _, w := range want {
		w = fields(w)
		if w == "..." {
			continue
		}
		for i < len(lines) && fields(lines[i]) != w {
			i++
		}
		if i == len(lines) {
			return w
		}
		i++
	}
	return ""
}

// errorExample matches the tutorial's example of a validate message.
var errorExample = regexp.MustCompile("`(my-country\\.yaml):(\\d+):(\\d+): (regions\\[\\d+\\]\\.[a-z_]+): ([0-9.]+) is outside ([^`]+)`")

// TestTutorial runs every command of docs/TUTORIAL.md, in order, in one
// fresh folder after what make run does (README's first command), as a
// student follows it, and compares each command's output with the block
// the tutorial shows under it (its blanks aside; "..." leaves lines out),
// so the tutorial cannot rot. It then puts the tutorial's example of a
// mistake into my-country.yaml, at the line and column the example names,
// and checks that validate answers with the example's message. Each
// command's time is logged, for the durations the tutorial states (never
// asserted). With -docs it then copies the figures the tutorial shows into
// docs/tutorial.
func TestTutorial(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole tutorial; make test runs it without -race")
	}
	doc, _ := filepath.Abs(filepath.Join("..", "..", "docs", "TUTORIAL.md"))
	figures, _ := filepath.Abs(filepath.Join("..", "..", "docs", "tutorial"))
	steps := tutorialCommands(t, doc)
	if len(steps) < 10 {
		t.Fatalf("found %d commands in the tutorial; the parser is broken", len(steps))
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
	shown := 0
	for _, st := range steps {
		if notRunHere[st.line] {
			continue
		}
		words := shellWords(st.line)
		if words[0] != "./triad" {
			t.Fatalf("tutorial command %q is neither ./triad nor run elsewhere: run it here or list it in notRunHere", st.line)
		}
		var stdout, stderr bytes.Buffer
		start := time.Now()
		if code := run(context.Background(), words[1:], &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", st.line, code, stdout.String(), stderr.String())
		}
		t.Logf("%s: %.1f s", st.line, time.Since(start).Seconds())
		if len(st.want) > 0 {
			shown++
			if miss := shows(stdout.String(), st.want); miss != "" {
				t.Errorf("%s: the tutorial shows the line\n%s\nwhich its output does not have (in that order):\n%s", st.line, miss, stdout.String())
			}
		}
	}
	if shown < 3 {
		t.Errorf("%d of the tutorial's commands have an output block under them, want the run, compare and sensitivity ones at least", shown)
	}

	// The example of a mistake names the place of the value it breaks.
	src, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	m := errorExample.FindStringSubmatch(string(src))
	if m == nil {
		t.Fatal("the tutorial gives no example of a validate message on my-country.yaml, or the test's pattern is out of date")
	}
	yaml, err := os.ReadFile(m[1])
	if err != nil {
		t.Fatal(err)
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	lines := strings.Split(string(yaml), "\n")
	if line > len(lines) || col > len(lines[line-1]) {
		t.Fatalf("the tutorial's example names %s:%d:%d, outside the file", m[1], line, col)
	}
	rest := lines[line-1][col-1:]
	end := strings.IndexAny(rest, " \t#")
	if end < 0 {
		end = len(rest)
	}
	lines[line-1] = lines[line-1][:col-1] + m[5] + rest[end:]
	if err := os.WriteFile(m[1], []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	run(context.Background(), []string{"validate", m[1]}, &stdout, &stderr)
	if example := strings.Trim(m[0], "`"); !strings.Contains(stderr.String(), example+"\n") {
		t.Errorf("with %s at %s:%d:%d, validate says\n%s\nnot the tutorial's example\n%s", m[5], m[1], line, col, stderr.String(), example)
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
