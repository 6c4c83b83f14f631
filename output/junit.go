package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
)

// CheckReport says what a check held against what, for the reports of its
// verdict that CI systems read (WriteCheckJUnit, WriteCheckMarkdown).
type CheckReport struct {
	// Scenario is the name of the scenario checked; Baseline the baseline
	// file as given on the command line.
	Scenario, Baseline string
	// Seconds is how long the check took, running the scenario included.
	Seconds float64
}

// CheckCaseName names the metric of row as a test case: "t50[gba]", with
// "all" for the whole scenario and " at point 2" for a sweep point past
// the first ("t50[gba] at point 2").
func CheckCaseName(row CheckRow) string {
	region := row.Region
	if region == "" {
		region = "all"
	}
	name := row.Metric + "[" + region + "]"
	if row.Point != 0 {
		name += " at point " + strconv.Itoa(row.Point)
	}
	return name
}

// checkFailure says why row failed in one line: the baseline's mean, the
// mean now, the move and the limit it exceeded.
func checkFailure(row CheckRow) string {
	if row.Why != "" {
		return fmt.Sprintf("%s: %s (baseline %s, now %s)", CheckCaseName(row), row.Why, num(row.Baseline), num(row.Now))
	}
	return fmt.Sprintf("%s: baseline %s, now %s, moved %s, beyond the limit %s", CheckCaseName(row), num(row.Baseline), num(row.Now), signed(row.Delta), num(row.Limit))
}

// The JUnit XML elements, as Jenkins, GitLab, GitHub test reporters and
// Azure read them: testsuites > testsuite > testcase > failure.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property,omitempty"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitFailure `xml:"failure,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// WriteCheckJUnit writes the verdict as JUnit XML: one testsuite for the
// check and one testcase per metric, region and sweep point, named as
// CheckCaseName names it, with the scenario as its classname. A failed
// metric has a failure whose message gives the baseline's mean, the mean
// now and the limit (type "regression"), or says that the metric is
// missing on one side (type "missing"). A check has no errors: a check
// that cannot run writes no report.
func WriteCheckJUnit(w io.Writer, res CheckResult, rep CheckReport) error {
	secs := strconv.FormatFloat(math.Max(rep.Seconds, 0), 'f', 3, 64)
	suite := junitSuite{
		Name:     "triad check " + rep.Scenario,
		Tests:    len(res.Rows),
		Failures: res.Failed,
		Time:     secs,
		Properties: []junitProperty{
			{"scenario", rep.Scenario},
			{"baseline", rep.Baseline},
			{"false_alarm", strconv.FormatFloat(res.FalseAlarm, 'g', -1, 64)},
			{"per_metric_level", strconv.FormatFloat(res.PerMetric, 'g', 4, 64)},
		},
	}
	for _, r := range res.Rows {
		c := junitCase{Name: CheckCaseName(r), Classname: rep.Scenario, Time: "0"}
		if !r.OK {
			typ := "regression"
			if r.Why != "" {
				typ = "missing"
			}
			c.Failure = &junitFailure{Message: checkFailure(r), Type: typ, Text: checkDetail(r)}
		}
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: junitName, Tests: suite.Tests, Failures: suite.Failures, Time: secs, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

// junitName names the testsuites of a check's JUnit report.
const junitName = "triad check"

// IsCheckJUnit reports whether r holds a report that WriteCheckJUnit
// wrote: XML whose first element is testsuites named "triad check".
func IsCheckJUnit(r io.Reader) bool {
	d := xml.NewDecoder(io.LimitReader(r, 4096))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local != "testsuites" {
				return false
			}
			for _, a := range el.Attr {
				if a.Name.Local == "name" {
					return a.Value == junitName
				}
			}
			return false
		}
	}
}

// checkDetail is the body of a failure: every number of the row.
func checkDetail(r CheckRow) string {
	region := r.Region
	if region == "" {
		region = "all"
	}
	return fmt.Sprintf("point %d, metric %s, region %s\nbaseline mean %s\nmean now %s\ndelta %s\nlimit %s = max(floor, k·SE), SE %s, k %s\n",
		r.Point, r.Metric, region, num(r.Baseline), num(r.Now), signed(r.Delta), num(r.Limit), num(r.SE), num(r.K))
}
