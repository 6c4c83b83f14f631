package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triad-sim/triad/internal/golden"
)

// TestRegress pins the model's numbers: each testdata/regress/NAME.json is a
// small Config (reciprocal and directed ties, a policy that rewires,
// well-mixed contacts with a directed link), and NAME.csv.golden every row
// and per-run figure of its runs. A change here is either a bug or an
// intended change of the model, named in the commit; go test ./sim -update
// (make golden) rewrites the goldens.
func TestRegress(t *testing.T) {
	cases, _ := filepath.Glob("testdata/regress/*.json")
	if len(cases) == 0 {
		t.Fatal("no testdata/regress/*.json")
	}
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var c Config
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			mustValid(t, c)
			res, err := Run(context.Background(), c, Options{Workers: 3})
			if err != nil {
				t.Fatal(err)
			}
			got := regressCSV(res)
			golden.Check(t, strings.TrimSuffix(path, ".json")+".csv.golden", got,
				"an intended model change? run go test ./sim -update and name it in the commit")
		})
	}
}

// regressCSV renders every row and per-run figure of res, floats in their
// shortest exact form.
func regressCSV(res *Result) []byte {
	var b bytes.Buffer
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	b.WriteString("replicate,step,region,discovered,commercialized,lost,adoption_share,reached10,reached50,reached90\n")
	for _, run := range res.Runs {
		for _, r := range run.Rows {
			fmt.Fprintf(&b, "%d,%d,%s,%d,%d,%d,%s,%d,%d,%d\n", run.Replicate, r.Step, res.Regions[r.Region],
				r.Discovered, r.Commercialized, r.Lost, f(r.AdoptionShare), r.Reached10, r.Reached50, r.Reached90)
		}
	}
	b.WriteString("replicate,metric,region,value\n")
	for _, run := range res.Runs {
		for _, m := range run.Metrics(res.Regions) {
			fmt.Fprintf(&b, "%d,%s,%s,%s\n", run.Replicate, m.Name, m.Region, f(m.Value))
		}
	}
	return b.Bytes()
}
