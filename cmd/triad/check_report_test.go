package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
	// The first metric's mean a thousand times larger: that metric fails.
	loc := regexp.MustCompile(`"mean": [0-9.e+-]+`).FindIndex(src)
	if loc == nil {
		t.Fatal("the baseline has no mean")
	}
	moved := write("moved.json", string(src[:loc[1]])+"e3"+string(src[loc[1]:]))
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
