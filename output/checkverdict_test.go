package output

import (
	"bytes"
	"testing"
)

func TestPrintCheckVerdict(t *testing.T) {
	row := CheckRow{Metric: "t50", Baseline: 20, Now: 21, Delta: 1, Limit: 2, SE: 0.5, K: 4, OK: true}
	passed := CheckResult{Rows: []CheckRow{row}, FalseAlarm: 0.01, PerMetric: 0.01}
	bad := row
	bad.Now, bad.Delta, bad.OK = 30, 10, false
	failed := CheckResult{Rows: []CheckRow{bad}, Failed: 1, FalseAlarm: 0.01, PerMetric: 0.01}
	text := func(res CheckResult) string {
		var b bytes.Buffer
		if err := PrintCheck(&b, res); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	js := func(res CheckResult) string {
		var b bytes.Buffer
		if err := WriteCheckJSON(&b, res); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	note := []string{"note: seed 2, the baseline's is 1"}
	tests := []struct {
		name          string
		notes         []string
		res           CheckResult
		asJSON, quiet bool
		out, err      string
	}{
		{"table", nil, passed, false, false, text(passed), ""},
		{"table after notes", note, passed, false, false, note[0] + "\n\n" + text(passed), ""},
		{"quiet and passed", note, passed, false, true, "", ""},
		{"quiet and failed", note, failed, false, true, note[0] + "\n\n" + text(failed), ""},
		{"JSON, notes apart", note, passed, true, false, js(passed), note[0] + "\n"},
		{"quiet JSON", note, passed, true, true, js(passed), ""},
		{"quiet JSON that failed", note, failed, true, true, js(failed), note[0] + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			if err := PrintCheckVerdict(&out, &errw, tt.notes, tt.res, tt.asJSON, tt.quiet); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.out || errw.String() != tt.err {
				t.Errorf("out:\n%s\nerr:\n%s\nwant out:\n%s\nerr:\n%s", out.String(), errw.String(), tt.out, tt.err)
			}
		})
	}
}
