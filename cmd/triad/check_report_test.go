package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// TestCheckReports runs check with --junit and --summary-md: the reports
// are written when the check passes (exit 0) and when a metric fails (exit
// 1), with one test case per metric; a check that cannot run (exit 2)
// writes none, and report files that cannot be written are refused before
// any work.
func TestCheckReports(t *testing.T) {
	dir := t.TempDir()
	out, good := filepath.Join(dir, "out"), filepath.Join(dir, "good.json")
	runTriad(t, "run", "testdata/golden/small.yaml", "--quiet", "--out", out)
	runTriad(t, "baseline", out, "--to", good)
	src, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	moved := write("moved.json", movedBaseline(t, src))
	broken := write("broken.json", string(src)+"{}")

	type report struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	for _, c := range []struct {
		name, baseline string
		code           int
		failures       int
	}{
		{"a passing check", good, 0, 0},
		{"a failing check", moved, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			junit, md := filepath.Join(t.TempDir(), "check.xml"), filepath.Join(t.TempDir(), "summary.md")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"check", out, "--baseline", c.baseline, "--junit", junit, "--summary-md", md}, &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.code, stdout.String(), stderr.String())
			}
			var r report
			if err := xml.Unmarshal([]byte(readFile(t, junit)), &r); err != nil {
				t.Fatal(err)
			}
			if len(r.Suites) != 1 || r.Suites[0].Failures != c.failures || r.Suites[0].Tests != len(r.Suites[0].Cases) || r.Suites[0].Tests < 10 {
				t.Fatalf("got %+v, want one suite with %d failures among its metrics", r.Suites, c.failures)
			}
			for _, tc := range r.Suites[0].Cases {
				if tc.Classname != "small" || !strings.Contains(tc.Name, "[") {
					t.Errorf("test case %q of class %q, want metric[region] of class small", tc.Name, tc.Classname)
				}
				if tc.Failure != nil && (!strings.Contains(tc.Failure.Message, "baseline") || !strings.Contains(tc.Failure.Message, "limit")) {
					t.Errorf("failure %q does not give the baseline and the limit", tc.Failure.Message)
				}
			}
			summary := readFile(t, md)
			verdict := map[int]string{0: "passed", 1: "failed"}[c.code]
			if first, _, _ := strings.Cut(summary, "\n"); !strings.Contains(first, verdict) {
				t.Errorf("summary starts %q, want the verdict %s", first, verdict)
			}
			if !strings.Contains(stdout.String(), "metrics within their limits") {
				t.Errorf("the table is no longer printed with the reports:\n%s", stdout.String())
			}
		})
	}
	t.Run("a check that cannot run writes no report", func(t *testing.T) {
		junit := filepath.Join(t.TempDir(), "check.xml")
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"check", out, "--baseline", broken, "--junit", junit}, &stdout, &stderr); code != 2 {
			t.Fatalf("exit %d, want 2\n%s", code, stderr.String())
		}
		if _, err := os.Stat(junit); !os.IsNotExist(err) {
			t.Errorf("%s was written (%v)", junit, err)
		}
	})
	for _, c := range []struct {
		name, want string
		args       []string
	}{
		{"a report in a missing folder", "does not exist", []string{"--junit", filepath.Join(dir, "nowhere", "check.xml")}},
		{"a report that is a folder", "not a regular file", []string{"--summary-md", dir}},
		{"the baseline as a report", "is the baseline", []string{"--junit", good}},
		{"both reports in one file", "the same file", []string{"--junit", filepath.Join(dir, "r"), "--summary-md", filepath.Join(dir, "r")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			// A scenario that would take a while: refused before it runs.
			args := append([]string{"check", "three-hubs", "--replications", "500", "--baseline", good, "--any-scenario"}, c.args...)
			if code := run(context.Background(), args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, want 2 with %q\n%s", code, c.want, stderr.String())
			}
		})
	}
	if readFile(t, good) != string(src) {
		t.Error("the baseline was changed")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCheckReportsNeverReplaceForeignFiles is the first data-loss case of
// the hardening issue: --junit and --summary-md never replace a file that
// is not a report of an earlier check (the scenario being checked, notes,
// the other kind of report), with or without --force, and replace an
// earlier report only with --force. An empty file is taken as none.
func TestCheckReportsNeverReplaceForeignFiles(t *testing.T) {
	dir := t.TempDir()
	out, good, moved := filepath.Join(dir, "out"), filepath.Join(dir, "good.json"), filepath.Join(dir, "moved.json")
	runTriad(t, "run", "testdata/golden/small.yaml", "--quiet", "--out", out)
	runTriad(t, "baseline", out, "--to", good)
	// A baseline the check fails against, for reports that say "failed".
	if err := os.WriteFile(moved, []byte(movedBaseline(t, []byte(readFile(t, good)))), 0o644); err != nil {
		t.Fatal(err)
	}
	earlier := map[string]string{} // a report of a failed check, by flag
	for _, flag := range []string{"junit", "summary-md"} {
		p := filepath.Join(dir, "earlier-"+flag)
		mustCLI(t, 1, "check", out, "--baseline", moved, "--quiet", "--"+flag, p)
		earlier[flag] = readFile(t, p)
	}
	scenario := readFile(t, "testdata/golden/small.yaml")
	for _, flag := range []string{"junit", "summary-md"} {
		other := earlier[map[string]string{"junit": "summary-md", "summary-md": "junit"}[flag]]
		for _, c := range []struct {
			name, content string
			force         bool
			code          int // 0: the report replaced the file
		}{
			{"the scenario checked", scenario, false, 2},
			{"the scenario checked, with --force", scenario, true, 2},
			{"notes", "# My notes\n\nnot a report\n", true, 2},
			{"the other report", other, true, 2},
			{"an earlier report", earlier[flag], false, 2},
			{"an earlier report, with --force", earlier[flag], true, 0},
			{"an empty file", "", false, 0},
		} {
			t.Run("--"+flag+" onto "+c.name, func(t *testing.T) {
				report := filepath.Join(t.TempDir(), "my.yaml")
				if err := os.WriteFile(report, []byte(c.content), 0o644); err != nil {
					t.Fatal(err)
				}
				args := []string{"check", out, "--baseline", good, "--quiet", "--" + flag, report}
				if strings.HasPrefix(c.name, "the scenario checked") {
					// check my.yaml --baseline b.json --summary-md my.yaml
					args = []string{"check", report, "--baseline", good, "--quiet", "--" + flag, report}
				}
				if c.force {
					args = append(args, "--force")
				}
				_, stderr := mustCLI(t, c.code, args...)
				got := readFile(t, report)
				if c.code != 0 {
					if got != c.content {
						t.Fatalf("the file was changed:\n%.300s", got)
					}
					if !strings.Contains(stderr, "--"+flag) || !strings.Contains(stderr, report) {
						t.Errorf("stderr %q does not name the flag and the file", stderr)
					}
					if ours := c.content == earlier[flag]; ours != strings.Contains(stderr, "add --force") {
						t.Errorf("stderr %q: want --force suggested only for an earlier report", stderr)
					}
					return
				}
				if passed := map[string]string{"junit": `failures="0"`, "summary-md": "triad check passed"}[flag]; !strings.Contains(got, passed) || got == c.content {
					t.Errorf("the report of the check was not written over the file:\n%.300s", got)
				}
			})
		}
	}
}

// movedBaseline returns the baseline src with one metric moved beyond its
// limit: the first final adoption's mean moved by a tenth of a point, with
// no tolerance at all (abs_tol and z of 0), so that exactly that metric
// fails. Everything else stays as the runs made it, so the baseline is
// still one that check takes.
func movedBaseline(t *testing.T, src []byte) string {
	t.Helper()
	b, err := output.ReadBaseline(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(b.Metrics, func(m output.BaselineMetric) bool { return m.Metric == sim.MetricFinalAdoption })
	if k < 0 {
		t.Fatal("the baseline has no final adoption")
	}
	m := &b.Metrics[k]
	zero := 0.0
	m.AbsTol, m.Z = &zero, &zero
	if m.Mean > 0.5 {
		m.Mean -= 0.001
	} else {
		m.Mean += 0.001
	}
	var buf bytes.Buffer
	if err := output.WriteBaseline(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
