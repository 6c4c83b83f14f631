package output

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/triad-sim/triad/internal/golden"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// checkGolden compares got with testdata/name, or rewrites the file when
// -update is set.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, "run go test ./output -update to accept a change made on purpose")
}

func TestGolden(t *testing.T) {
	res := fixture.Result()
	sum := Summarize(res.Regions, res.Runs)
	swept, points := sweepFixture("regions.acc.pull", "diffusion.q")
	paths := swept.SweepPaths()
	pts := make([]sim.Point, len(points))
	for i, p := range points {
		pts[i] = p.Point
	}
	cmp, err := Compare(fixture.CompareSets[RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The same run, in a scenario whose step is a month.
	monthly := *res
	monthly.Config.StepUnit = "month"
	tests := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"timeseries.csv.golden", func(w io.Writer) error { return WriteTimeseries(w, res) }},
		{"summary.csv.golden", func(w io.Writer) error { return WriteSummaryCSV(w, sum) }},
		{"summary.json.golden", func(w io.Writer) error { return WriteSummaryJSON(w, sum) }},
		{"headline.txt.golden", func(w io.Writer) error { return Headline(w, res, sum) }},
		{"headline-months.txt.golden", func(w io.Writer) error { return Headline(w, &monthly, sum) }},
		{"sweep-headline.txt.golden", func(w io.Writer) error { return SweepHeadline(w, swept, points) }},
		{"points.csv.golden", func(w io.Writer) error { return WritePointsCSV(w, paths, pts, swept.Replicates) }},
		{"sweep-summary.csv.golden", func(w io.Writer) error { return WriteSweepSummaryCSV(w, paths, points) }},
		{"sweep-summary.json.golden", func(w io.Writer) error { return WriteSweepSummaryJSON(w, paths, points) }},
		{"compare.csv.golden", func(w io.Writer) error { return WriteCompareCSV(w, cmp) }},
		{"compare.json.golden", func(w io.Writer) error { return WriteCompareJSON(w, cmp) }},
		{"compare.txt.golden", func(w io.Writer) error { return PrintCompare(w, cmp) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name, buf.Bytes())
		})
	}
}

// TestTimeseriesOrder checks that the runs are written by replicate whatever
// their order in the Result, and that nil runs are skipped.
func TestTimeseriesOrder(t *testing.T) {
	res := fixture.Result()
	var want bytes.Buffer
	if err := WriteTimeseries(&want, res); err != nil {
		t.Fatal(err)
	}
	shuffled := *res
	shuffled.Runs = []*sim.RunResult{res.Runs[2], nil, res.Runs[0], res.Runs[1]}
	var got bytes.Buffer
	if err := WriteTimeseries(&got, &shuffled); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want.Bytes())
	}
}

func TestTimeseriesWriter(t *testing.T) {
	res := fixture.Result()
	t.Run("streaming runs gives the same bytes as WriteTimeseries", func(t *testing.T) {
		var want, got bytes.Buffer
		if err := WriteTimeseries(&want, res); err != nil {
			t.Fatal(err)
		}
		tw := NewTimeseriesWriter(&got, res.Regions)
		if err := tw.WriteHeader(); err != nil {
			t.Fatal(err)
		}
		for _, run := range res.Runs {
			if err := tw.WriteRun(run); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want.Bytes())
		}
	})
	t.Run("extra columns lead every row", func(t *testing.T) {
		var buf bytes.Buffer
		tw := NewTimeseriesWriter(&buf, res.Regions, "point", "regions.acc.pull")
		if err := tw.WriteHeader(); err != nil {
			t.Fatal(err)
		}
		if err := tw.WriteRun(res.Runs[0], "3", "1.5"); err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
		if got, want := len(lines), 1+len(res.Runs[0].Rows); got != want {
			t.Fatalf("got %d lines, want %d", got, want)
		}
		wantHeader := "point,regions.acc.pull,replicate,step,region,discovered,commercialized,lost,adoption_share,reached_10,reached_50,reached_90"
		if got := string(lines[0]); got != wantHeader {
			t.Errorf("got header %q, want %q", got, wantHeader)
		}
		if got, want := string(lines[len(lines)-1]), "3,1.5,0,3,acc,0,1,0,0.5,2,1,0"; got != want {
			t.Errorf("got last row %q, want %q", got, want)
		}
	})
	t.Run("a wrong number of extra values panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("got no panic, want one")
			}
		}()
		tw := NewTimeseriesWriter(io.Discard, res.Regions, "point")
		tw.WriteRun(res.Runs[0])
	})
	t.Run("a write error is reported with context", func(t *testing.T) {
		tw := NewTimeseriesWriter(failWriter{}, res.Regions)
		err := tw.WriteHeader()
		if err == nil {
			t.Fatal("got no error, want one")
		}
		if got, want := err.Error(), "write time series header: disk full"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

var errDiskFull = errors.New("disk full")
