package output

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// WriteSummaryCSV writes s as CSV, one row per Stat in order, under the
// header
//
//	metric,region,n,mean,sd,ci_low,ci_high
//
// The region is empty for whole-scenario metrics. Floats are written in the
// shortest form that reads back exactly and NaN as "NaN". The median is not
// in the CSV; WriteSummaryJSON has it.
func WriteSummaryCSV(w io.Writer, s Summary) error {
	cw := csv.NewWriter(w)
	cw.Write(statHeader)
	writeStats(cw, nil, s)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// statHeader names the columns that writeStats writes for each Stat.
var statHeader = []string{"metric", "region", "n", "mean", "sd", "ci_low", "ci_high"}

// writeStats writes one CSV row per Stat of s: the leading fields lead,
// then the columns of statHeader. Errors are left in cw for the caller to
// check once, after Flush.
func writeStats(cw *csv.Writer, lead []string, s Summary) {
	rec := make([]string, len(lead), len(lead)+len(statHeader))
	copy(rec, lead)
	for _, st := range s {
		cw.Write(append(rec[:len(lead)],
			st.Metric, st.Region, strconv.Itoa(st.N),
			formatFloat(st.Mean), formatFloat(st.SD),
			formatFloat(st.CILow), formatFloat(st.CIHigh),
		))
	}
}

// summaryJSON is the shape of the summary JSON file.
type summaryJSON struct {
	Metrics []statJSON `json:"metrics"`
	// Transfer maps origin region → commercializing region → mean count.
	Transfer map[string]map[string]*float64 `json:"transfer"`
}

// statJSON is the JSON form of a Stat, shared by the summary, sweep and
// comparison files.
type statJSON struct {
	Metric string      `json:"metric"`
	Region string      `json:"region"`
	N      int         `json:"n"`
	Mean   *float64    `json:"mean"`
	SD     *float64    `json:"sd"`
	Median *float64    `json:"median"`
	CI95   [2]*float64 `json:"ci95"`
}

// WriteSummaryJSON writes s as JSON indented by two spaces, in this shape:
//
//	{
//	  "metrics": [
//	    {"metric": "t50", "region": "gba", "n": 3, "mean": 4.5, "sd": 0.5,
//	     "median": 4.5, "ci95": [3.26, 5.74]},
//	    ...
//	  ],
//	  "transfer": {"bth": {"bth": 2, "gba": 5.5}, ...}
//	}
//
// Metrics are in the order of s; the region is "" for whole-scenario
// metrics. "transfer" is the transfer matrix (the mean of the transfer_to_
// metrics) as origin → commercializing region → mean count, keys sorted.
// NaN is written as null.
func WriteSummaryJSON(w io.Writer, s Summary) error {
	out := summaryJSON{
		Metrics:  make([]statJSON, len(s)),
		Transfer: map[string]map[string]*float64{},
	}
	for i, st := range s {
		out.Metrics[i] = newStatJSON(st)
		if to, ok := strings.CutPrefix(st.Metric, sim.MetricTransferToPrefix); ok {
			row := out.Transfer[st.Region]
			if row == nil {
				row = map[string]*float64{}
				out.Transfer[st.Region] = row
			}
			row[to] = Nullable(st.Mean)
		}
	}
	if err := WriteJSON(w, out); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// newStatJSON returns the JSON form of st, NaN as null.
func newStatJSON(st Stat) statJSON {
	return statJSON{
		Metric: st.Metric,
		Region: st.Region,
		N:      st.N,
		Mean:   Nullable(st.Mean),
		SD:     Nullable(st.SD),
		Median: Nullable(st.Median),
		CI95:   [2]*float64{Nullable(st.CILow), Nullable(st.CIHigh)},
	}
}

// Nullable returns a pointer to v, or nil (JSON null) when v is NaN or
// infinite: a figure that does not exist, or an interval of one run. Every
// JSON file and --json output of triad writes such numbers through it.
func Nullable(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// WriteJSON writes v indented by two spaces, without HTML escaping,
// followed by a newline: every JSON file and --json output of triad.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
