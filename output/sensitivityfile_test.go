package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// morrisFixture is fixture.MorrisJSON, read.
func morrisFixture(t *testing.T) SensitivityResult {
	t.Helper()
	r, err := ReadSensitivityJSON(bytes.NewReader(fixture.MorrisJSON))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSensitivityFilesRoundTrip(t *testing.T) {
	r := morrisFixture(t)
	var csvOut, jsonOut bytes.Buffer
	if err := WriteSensitivityCSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
	if lines[0] != "method,metric,region,parameter,index,value,ci_low,ci_high,noise_share" || len(lines) != 1+len(r.Rows) {
		t.Fatalf("CSV:\n%s", csvOut.String())
	}
	if want := "morris,t50,acc,diffusion.q,mu_star,30,,,"; lines[10] != want {
		t.Errorf("row of a missing interval: got %q, want %q", lines[10], want)
	}
	if err := WriteSensitivityJSON(&jsonOut, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSensitivityJSON(bytes.NewReader(jsonOut.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteSensitivityJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if again.String() != jsonOut.String() || jsonOut.String() != string(fixture.MorrisJSON) {
		t.Errorf("JSON does not read back to the same bytes:\n%s\nwant\n%s", again.String(), jsonOut.String())
	}
}

func TestSensitivityDrivers(t *testing.T) {
	fs := morrisFixture(t).Drivers()
	if len(fs) != 2 {
		t.Fatalf("got %d figures, want 2", len(fs))
	}
	src := fs[0]
	if src.Region != "src" || src.Drivers != 2 || src.Ranked[0].Param != "diffusion.q" || src.Ranked[1].Param != "links.src-acc.friction" {
		t.Errorf("src: got %+v, want q then friction as its 2 drivers", src)
	}
	name := func(id string) string { return map[string]string{"src": "Source Hub", "acc": "Accelerator Hub"}[id] }
	want := "t50 of Source Hub: driven by diffusion.q (μ* 40.0 steps) and links.src-acc.friction (12.0); then, less than a quarter as much, regions.acc.reach (1.0). Replicate noise is 2 % of the spread."
	if got := src.Sentence(name, Units{}); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := fs[1].Sentence(name, Units{}); !strings.Contains(got, "driven by diffusion.q (μ* 30.0 steps); then, less than a quarter as much, links.src-acc.friction (1.0); the remaining one less still.") || strings.Contains(got, "noise") {
		t.Errorf("acc: got %q, want q alone and no noise share", got)
	}
	sobol := SensitivityResult{Method: sim.DesignSobol, Params: []SensitivityParam{{"a", 0, 1}, {"b", 0, 1}}, Rows: []SensitivityRow{
		{"final_adoption", "", "a", IndexS1, Estimate{0.02, 0, 0.05}, 0.1}, {"final_adoption", "", "a", IndexST, Estimate{0.05, 0.02, 0.08}, 0.1},
		{"final_adoption", "", "b", IndexS1, Estimate{0.01, 0, 0.03}, 0.1}, {"final_adoption", "", "b", IndexST, Estimate{0.03, 0.01, 0.05}, 0.1},
	}}
	f := sobol.Drivers()[0]
	if got := f.Sentence(name, Units{}); got != "final adoption: no parameter stands out; the largest is a (ST 0.05). Replicate noise is 10 % of the spread." {
		t.Errorf("sobol: got %q", got)
	}
}

func TestSentenceFlagsNoise(t *testing.T) {
	f := FigureDrivers{Metric: "lag_median", Index: IndexMuStar, Ranked: []Ranked{{"a", Estimate{2, 1, 3}}}, Drivers: 1, NoiseShare: 0.9}
	want := "median lag: driven by a (μ* 2.0 steps). Replicate noise is 90 % of the spread: the ranking may be mostly noise; more replications would sharpen it."
	if got := f.Sentence(func(s string) string { return s }, Units{}); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// A scenario that counts in months says so.
	want = strings.Replace(want, "2.0 steps", "2.0 months", 1)
	if got := f.Sentence(func(s string) string { return s }, Units{"month", "months"}); got != want {
		t.Errorf("in months: got  %q\nwant %q", got, want)
	}
}
