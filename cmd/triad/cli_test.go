package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// archive is a txtar-style test case: "-- name --" lines start sections.
// Sections named cmd, exit, stdout, stderr, exists and absent describe the
// test; every other section is a file written into the test's folder.
type archive struct {
	comment  string
	sections map[string]string
	order    []string
}

func parseArchive(b []byte) archive {
	a := archive{sections: map[string]string{}}
	name := ""
	var cur strings.Builder
	flush := func() {
		if name == "" {
			a.comment = cur.String()
		} else {
			a.sections[name] = cur.String()
			a.order = append(a.order, name)
		}
		cur.Reset()
	}
	for _, line := range strings.SplitAfter(string(b), "\n") {
		t := strings.TrimRight(line, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			flush()
			name = strings.TrimSpace(t[3 : len(t)-3])
			continue
		}
		cur.WriteString(line)
	}
	flush()
	return a
}

var special = map[string]bool{"cmd": true, "exit": true, "stdout": true, "stderr": true, "exists": true, "absent": true}

// TestCLI runs every testdata/*.txtar case: it writes the archive's files
// into a fresh folder, runs the command in-process there and checks the
// exit code, that each line of stdout and stderr appears in the output,
// and which files exist afterwards.
func TestCLI(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no testdata/*.txtar cases")
	}
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(b)
			dir := t.TempDir()
			for _, f := range a.order {
				if special[f] {
					continue
				}
				p := filepath.Join(dir, f)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(a.sections[f]), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			for i, line := range strings.Split(strings.TrimSpace(a.sections["cmd"]), "\n") {
				var stdout, stderr bytes.Buffer
				code := run(context.Background(), strings.Fields(line), &stdout, &stderr)
				last := i == len(strings.Split(strings.TrimSpace(a.sections["cmd"]), "\n"))-1
				want := 0
				if last && a.sections["exit"] != "" {
					var err error
					if want, err = strconv.Atoi(strings.TrimSpace(a.sections["exit"])); err != nil {
						t.Fatalf("the exit section %q is not a number", a.sections["exit"])
					}
				}
				if code != want {
					t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", line, code, want, stdout.String(), stderr.String())
				}
				if !last {
					continue
				}
				for _, s := range []struct{ name, got string }{{"stdout", stdout.String()}, {"stderr", stderr.String()}} {
					for _, w := range strings.Split(a.sections[s.name], "\n") {
						if w = strings.TrimSpace(w); w != "" && !strings.Contains(s.got, w) {
							t.Errorf("%s of %q lacks %q; got:\n%s", s.name, line, w, s.got)
						}
					}
				}
			}
			for _, f := range strings.Fields(a.sections["exists"]) {
				if _, err := os.Stat(f); err != nil {
					t.Errorf("want %s to exist: %v", f, err)
				}
			}
			for _, f := range strings.Fields(a.sections["absent"]) {
				if _, err := os.Stat(f); err == nil {
					t.Errorf("want no %s, but it exists", f)
				}
			}
		})
	}
}
