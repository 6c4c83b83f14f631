package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes the test binary double as the triad command: testscript
// installs it as `triad` on the scripts' PATH, and the resume tests start it
// as a child process (to kill it midway) with their arguments in
// TRIAD_TEST_ARGS, one per line, exiting with run's exit code.
func TestMain(m *testing.M) {
	if args := os.Getenv("TRIAD_TEST_ARGS"); args != "" {
		ctx, stop := signalContext()
		code := run(ctx, strings.Split(args, "\n"), os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	testscript.Main(m, map[string]func(){"triad": main})
}

// TestScripts runs every testdata/script/*.txtar script (testscript's
// format: https://pkg.go.dev/github.com/rogpeppe/go-internal/testscript).
// Each starts in a fresh folder holding the archive's files (and
// testdata/tiny.yaml, as tiny.yaml, unless the archive has its own) and checks
// every command it runs, not only the last:
//
//	exec triad run tiny.yaml        the command must exit 0
//	exits 2 triad run bad.yaml      the command must exit with exactly 2
//	stdout 'written to out'         a regexp the last command's stdout matches
//	! exists out/tiny               a file that must not exist
//
// `! exec triad` is refused (it would accept any failure): a failing command
// states its exit code with exits, and an exit code triad does not use is an
// error in the script, not a silent pass.
func TestScripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/script/*.txtar")
	if len(files) < 30 {
		t.Fatalf("found %d scripts in testdata/script, want the whole suite", len(files))
	}
	negExec := regexp.MustCompile(`(?m)^\s*!\s*exec\s+triad\b`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if negExec.Match(b) {
			t.Errorf("%s: `! exec triad` accepts any failure; write `exits N triad ...`", f)
		}
	}
	tiny, err := os.ReadFile(sharedTiny)
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits},
		// Every script finds the shared tiny.yaml in its folder, unless
		// its archive has a tiny.yaml of its own.
		Setup: func(env *testscript.Env) error {
			path := filepath.Join(env.WorkDir, "tiny.yaml")
			if _, err := os.Stat(path); err == nil {
				return nil
			}
			return os.WriteFile(path, tiny, 0o644)
		},
	})
}

// sharedTiny is the small scenario of two regions that the scripts run
// as tiny.yaml: runs of it take milliseconds.
const sharedTiny = "testdata/tiny.yaml"

// cmdExits runs `exits N PROGRAM ARGS...`: PROGRAM must exit with code N,
// which must be one triad uses for a failure (1: a failure found, such as a
// regression; 2: bad usage or input).
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("exits takes no !: it states the exit code")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || (want != 1 && want != 2) {
		ts.Fatalf("exits %q: triad fails with 1 (a failure found) or 2 (bad usage or input)", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	var exit *exec.ExitError
	switch {
	case err == nil:
		ts.Fatalf("%s exited 0, want %d", args[1], want)
	case !errors.As(err, &exit):
		ts.Fatalf("%s: %v", args[1], err)
	case exit.ExitCode() != want:
		ts.Fatalf("%s exited %d, want %d", args[1], exit.ExitCode(), want)
	}
}
