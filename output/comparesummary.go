package output

import (
	"bytes"
	"fmt"
	"io"
)

// NewCompareSummaryJSON returns the comparison c, as compare.json holds
// it (see WriteCompareJSON), with the folder it was written to: what
// triad compare prints at its end as JSON.
func NewCompareSummaryJSON(folder string, c Comparison) (CompareSummaryJSON, error) {
	var buf bytes.Buffer
	if err := WriteCompareJSON(&buf, c); err != nil {
		return CompareSummaryJSON{}, err
	}
	return CompareSummaryJSON{SchemaVersion: SchemaVersion, Folder: folder, Comparison: buf.Bytes()}, nil
}

// PrintCompareSummary prints the comparison c for the terminal (see
// PrintCompare), then the files written to folder: what triad compare
// prints at its end.
func PrintCompareSummary(w io.Writer, c Comparison, folder string) error {
	if err := PrintCompare(w, c); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWritten to %s: compare.csv, compare.json, plots/compare.png (the curves), plots/compare-diff.png (the difference to %s over time), plots/compare-effects.png (every difference with its interval), report.html, manifest.json\n", folder, c.Sets[0])
	return nil
}
