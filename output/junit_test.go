package output

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// checkResults are a check that passed and one that failed: t50 of gba
// moved beyond its limit and the final adoption of west is missing now.
func checkResults() map[string]CheckResult {
	nan := math.NaN()
	ok := []CheckRow{
		{Metric: "t50", Region: "gba", Baseline: 40.6, Now: 41, Delta: 0.4, Limit: 1.4, SE: 0.3, K: 4.3, OK: true},
		{Metric: "discovered", Region: "", Baseline: 98.2, Now: 97, Delta: -1.2, Limit: 10.3, SE: 2.4, K: 4.3, OK: true},
		{Metric: "final_adoption", Region: "west", Baseline: 0.221, Now: 0.23, Delta: 0.009, Limit: 0.086, SE: 0.02, K: 4.3, OK: true},
	}
	bad := []CheckRow{
		ok[1],
		{Metric: "t50", Region: "gba", Baseline: 40.6, Now: 43.1, Delta: 2.5, Limit: 1.4, SE: 0.3, K: 4.3},
		{Point: 2, Metric: "final_adoption", Region: "west", Baseline: 0.221, Now: nan, Delta: nan, Limit: nan, SE: nan, K: nan, Why: "missing now"},
	}
	return map[string]CheckResult{
		"passing": {Rows: ok, FalseAlarm: 0.01, PerMetric: 0.0033},
		"failing": {Rows: bad, Failed: 2, FalseAlarm: 0.01, PerMetric: 0.0033},
	}
}

// The JUnit schema's required parts (the XSD that Jenkins, GitLab and the
// test-reporter actions follow): testsuites and testsuite with name,
// tests, failures, errors and time; testcase with name and classname;
// failure with message. A pointer is nil when its attribute is absent.
type (
	xsdSuites struct {
		XMLName  xml.Name   `xml:"testsuites"`
		Name     *string    `xml:"name,attr"`
		Tests    *int       `xml:"tests,attr"`
		Failures *int       `xml:"failures,attr"`
		Errors   *int       `xml:"errors,attr"`
		Time     *float64   `xml:"time,attr"`
		Suites   []xsdSuite `xml:"testsuite"`
	}
	xsdSuite struct {
		Name     *string   `xml:"name,attr"`
		Tests    *int      `xml:"tests,attr"`
		Failures *int      `xml:"failures,attr"`
		Errors   *int      `xml:"errors,attr"`
		Time     *float64  `xml:"time,attr"`
		Cases    []xsdCase `xml:"testcase"`
	}
	xsdCase struct {
		Name      *string      `xml:"name,attr"`
		Classname *string      `xml:"classname,attr"`
		Time      *float64     `xml:"time,attr"`
		Failures  []xsdFailure `xml:"failure"`
		Errors    []struct{}   `xml:"error"`
	}
	xsdFailure struct {
		Message *string `xml:"message,attr"`
		Type    *string `xml:"type,attr"`
		Text    string  `xml:",chardata"`
	}
)

// parseJUnit parses a report into the schema's structs and fails the test
// on any required element or attribute that is missing, or counts that do
// not add up.
func parseJUnit(t *testing.T, b []byte) xsdSuites {
	t.Helper()
	var doc xsdSuites
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not JUnit XML: %v\n%s", err, b)
	}
	need := func(what string, present bool) {
		t.Helper()
		if !present {
			t.Errorf("%s is missing", what)
		}
	}
	need("testsuites@name", doc.Name != nil)
	need("testsuites@tests", doc.Tests != nil)
	need("testsuites@failures", doc.Failures != nil)
	need("testsuites@errors", doc.Errors != nil)
	need("testsuites@time", doc.Time != nil)
	if len(doc.Suites) == 0 {
		t.Fatal("no testsuite")
	}
	var tests, failures int
	for i, s := range doc.Suites {
		at := "testsuite[" + strconv.Itoa(i) + "]"
		need(at+"@name", s.Name != nil)
		need(at+"@tests", s.Tests != nil)
		need(at+"@failures", s.Failures != nil)
		need(at+"@errors", s.Errors != nil)
		need(at+"@time", s.Time != nil)
		if t.Failed() {
			t.FailNow()
		}
		var f int
		for j, c := range s.Cases {
			at := at + ".testcase[" + strconv.Itoa(j) + "]"
			need(at+"@name", c.Name != nil && *c.Name != "")
			need(at+"@classname", c.Classname != nil && *c.Classname != "")
			for _, fl := range c.Failures {
				need(at+".failure@message", fl.Message != nil && *fl.Message != "")
			}
			if len(c.Failures) > 0 {
				f++
			}
			if len(c.Errors) > 0 {
				t.Errorf("%s has an error; a check has none", at)
			}
		}
		if *s.Tests != len(s.Cases) || *s.Failures != f || *s.Errors != 0 {
			t.Errorf("%s: tests=%d failures=%d errors=%d, want %d, %d, 0", at, *s.Tests, *s.Failures, *s.Errors, len(s.Cases), f)
		}
		tests += *s.Tests
		failures += *s.Failures
	}
	if *doc.Tests != tests || *doc.Failures != failures || *doc.Errors != 0 {
		t.Errorf("testsuites: tests=%d failures=%d errors=%d, want the suites' %d, %d, 0", *doc.Tests, *doc.Failures, *doc.Errors, tests, failures)
	}
	return doc
}

func TestWriteCheckJUnit(t *testing.T) {
	rep := CheckReport{Scenario: "three-hubs", Baseline: "testdata/baselines/three-hubs.json", Seconds: 12.3456}
	for name, res := range checkResults() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCheckJUnit(&buf, res, rep); err != nil {
				t.Fatal(err)
			}
			doc := parseJUnit(t, buf.Bytes())
			if len(doc.Suites) != 1 {
				t.Fatalf("got %d testsuites, want one for the check", len(doc.Suites))
			}
			s := doc.Suites[0]
			if len(s.Cases) != len(res.Rows) || *s.Failures != res.Failed {
				t.Errorf("got %d cases with %d failures, want %d with %d", len(s.Cases), *s.Failures, len(res.Rows), res.Failed)
			}
			if *s.Time != 12.346 {
				t.Errorf("time %v, want 12.346", *s.Time)
			}
			for i, c := range s.Cases {
				r := res.Rows[i]
				if *c.Classname != "three-hubs" {
					t.Errorf("case %d: classname %q, want the scenario", i, *c.Classname)
				}
				if got, want := len(c.Failures) > 0, !r.OK; got != want {
					t.Errorf("%s: failed %v, want %v", *c.Name, got, want)
				}
			}
		})
	}
	t.Run("names and messages", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteCheckJUnit(&buf, checkResults()["failing"], rep); err != nil {
			t.Fatal(err)
		}
		s := parseJUnit(t, buf.Bytes()).Suites[0]
		var names []string
		for _, c := range s.Cases {
			names = append(names, *c.Name)
		}
		if got, want := strings.Join(names, " "), "discovered[all] t50[gba] final_adoption[west] at point 2"; got != want {
			t.Errorf("names %q, want %q", got, want)
		}
		moved := s.Cases[1].Failures[0]
		if want := "t50[gba]: baseline 40.6, now 43.1, moved +2.5, beyond the limit 1.4"; *moved.Message != want || *moved.Type != "regression" {
			t.Errorf("failure %q (%s), want %q (regression)", *moved.Message, *moved.Type, want)
		}
		missing := s.Cases[2].Failures[0]
		if !strings.Contains(*missing.Message, "missing now") || !strings.Contains(*missing.Message, "baseline 0.221") || *missing.Type != "missing" {
			t.Errorf("failure %q (%s), want it to say missing now and give the baseline", *missing.Message, *missing.Type)
		}
	})
	t.Run("names that need escaping", func(t *testing.T) {
		var buf bytes.Buffer
		odd := CheckReport{Scenario: `a<b>&"c"`, Baseline: "x&y.json"}
		if err := WriteCheckJUnit(&buf, checkResults()["failing"], odd); err != nil {
			t.Fatal(err)
		}
		if got := *parseJUnit(t, buf.Bytes()).Suites[0].Cases[0].Classname; got != odd.Scenario {
			t.Errorf("classname %q, want %q", got, odd.Scenario)
		}
	})
}

func TestWriteCheckMarkdown(t *testing.T) {
	rep := CheckReport{Scenario: "three-hubs", Baseline: "testdata/baselines/three-hubs.json", Seconds: 3}
	res := checkResults()
	var pass, fail bytes.Buffer
	if err := WriteCheckMarkdown(&pass, res["passing"], rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteCheckMarkdown(&fail, res["failing"], rep); err != nil {
		t.Fatal(err)
	}
	first := func(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
	if got := first(pass.String()); !strings.Contains(got, "passed") {
		t.Errorf("first line %q, want the verdict passed", got)
	}
	if got := first(fail.String()); !strings.Contains(got, "failed") {
		t.Errorf("first line %q, want the verdict failed", got)
	}
	if strings.Contains(pass.String(), "| why |") {
		t.Error("a passing check lists failing metrics")
	}
	f := fail.String()
	details := strings.Index(f, "<details>")
	moved := strings.Index(f, "| t50\\[gba\\] | 40.6 | 43.1 | +2.5 | 1.4 | moved beyond the limit |")
	missing := strings.Index(f, "| final\\_adoption\\[west\\] at point 2 | 0.221 | - | - | - | missing now |")
	if moved < 0 || missing < 0 || details < moved || details < missing {
		t.Errorf("the failing metrics are not listed before the collapsed table:\n%s", f)
	}
	if n := strings.Count(f[details:], "\n| "); n != 2+len(res["failing"].Rows) {
		t.Errorf("the collapsed table has %d rows, want a header, its rule and %d metrics", n, len(res["failing"].Rows))
	}
	if !strings.HasSuffix(f, "</details>\n") {
		t.Error("the summary does not end with the collapsed table")
	}
}

func TestMdText(t *testing.T) {
	if got, want := mdText("a|b_c\n<x>"), `a\|b\_c \<x\>`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestReportsAreRecognized: a report that WriteCheckJUnit or
// WriteCheckMarkdown wrote, and a baseline that WriteBaseline wrote, are
// recognized as such, so that --force may replace them; anything else
// that could sit at the same path is not.
func TestReportsAreRecognized(t *testing.T) {
	rep := CheckReport{Scenario: "three-hubs", Baseline: "b.json", Seconds: 1.5}
	written := func(write func(*bytes.Buffer) error) string {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	var junit, markdown []string
	for _, res := range checkResults() {
		junit = append(junit, written(func(b *bytes.Buffer) error { return WriteCheckJUnit(b, res, rep) }))
		markdown = append(markdown, written(func(b *bytes.Buffer) error { return WriteCheckMarkdown(b, res, rep) }))
	}
	baseline := written(func(b *bytes.Buffer) error {
		return WriteBaseline(b, Baseline{Scenario: "three-hubs", Version: "test", Metrics: []BaselineMetric{{Metric: "t50", Region: "gba", N: 3, Mean: 40, SD: 1}}})
	})
	// A baseline edited by hand, as an older triad wrote it.
	edited := `{"scenario": "bass", "version": "0.1.0", "metrics": [{"metric": "t50", "region": "", "n": 3, "mean": 40, "sd": 1, "z": 3}]}`
	scenario := "name: my-country\nsteps: 120\nregions: []\n"
	other := []string{
		scenario,
		"# My notes\n\ntriad check passed: three-hubs\n",
		"intro\n### ✅ triad check passed: three-hubs\n", // the heading, not on the first line
		`<?xml version="1.0"?><testsuites name="go test"><testsuite name="triad check x"/></testsuites>`,
		`<testsuite name="triad check"/>`,
		`{"scenario": "three-hubs"}`,
		`{"metrics": []}`,
		`["scenario", "metrics"]`,
		"\x00\x01binary",
	}
	for _, tc := range []struct {
		name  string
		is    func(io.Reader) bool
		ours  []string
		other []string
	}{
		{"junit", IsCheckJUnit, junit, append(other, markdown[0], baseline)},
		{"markdown", IsCheckMarkdown, markdown, append(other, junit[0], baseline)},
		{"baseline", IsBaseline, []string{baseline, edited}, append(other, junit[0], markdown[0])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range tc.ours {
				if !tc.is(strings.NewReader(s)) {
					t.Errorf("triad's own file not recognized:\n%.200s", s)
				}
			}
			for _, s := range tc.other {
				if tc.is(strings.NewReader(s)) {
					t.Errorf("a file triad did not write recognized as ours:\n%.200s", s)
				}
			}
		})
	}
}
