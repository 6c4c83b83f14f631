package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
)

func TestNewCompareSummaryJSON(t *testing.T) {
	c, err := Compare(fixture.CompareSets[RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := WriteCompareJSON(&file, c); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ folder string }{{"out/compare-a-vs-b"}, {"elsewhere"}}
	for _, tt := range tests {
		sum, err := NewCompareSummaryJSON(tt.folder, c)
		if err != nil {
			t.Fatal(err)
		}
		if sum.SchemaVersion != SchemaVersion || sum.Folder != tt.folder || !bytes.Equal(sum.Comparison, file.Bytes()) {
			t.Errorf("%s: schema %d, folder %q, comparison differs from compare.json: %v", tt.folder, sum.SchemaVersion, sum.Folder, !bytes.Equal(sum.Comparison, file.Bytes()))
		}
		if _, err := json.Marshal(sum); err != nil {
			t.Errorf("%s: the summary does not encode: %v", tt.folder, err)
		}
	}
}

func TestPrintCompareSummary(t *testing.T) {
	c, err := Compare(fixture.CompareSets[RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := PrintCompare(&table, c); err != nil {
		t.Fatal(err)
	}
	for _, folder := range []string{"out/compare-a-vs-b", "elsewhere"} {
		var got bytes.Buffer
		if err := PrintCompareSummary(&got, c, folder); err != nil {
			t.Fatal(err)
		}
		rest, ok := strings.CutPrefix(got.String(), table.String())
		want := "\nWritten to " + folder + ": compare.csv, compare.json, plots/compare.png (the curves), plots/compare-diff.png (the difference to " + c.Sets[0] +
			" over time), plots/compare-effects.png (every difference with its interval), report.html, manifest.json\n"
		if !ok || rest != want {
			t.Errorf("%s: after the table %v:\n%s\nwant\n%s", folder, ok, rest, want)
		}
	}
}
