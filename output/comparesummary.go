package output

import "bytes"

// NewCompareSummaryJSON returns the comparison c, as compare.json holds
// it (see WriteCompareJSON), with the folder it was written to.
func NewCompareSummaryJSON(folder string, c Comparison) (CompareSummaryJSON, error) {
	var buf bytes.Buffer
	if err := WriteCompareJSON(&buf, c); err != nil {
		return CompareSummaryJSON{}, err
	}
	return CompareSummaryJSON{SchemaVersion: SchemaVersion, Folder: folder, Comparison: buf.Bytes()}, nil
}
