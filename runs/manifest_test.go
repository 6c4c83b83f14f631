package runs

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/triad-sim/triad/sim"
)

func TestWriteManifest(t *testing.T) {
	q := 0.4
	cfg := sim.Config{Name: "toy", Seed: 7, Steps: 4, Replicates: 3, Regions: []sim.Region{
		{ID: "src", Name: "Source Hub", Role: "source"},
		{ID: "acc", Name: "Accelerator Hub", Role: "accelerator"},
	}}
	cfg.Regions[1].Q = &q
	cfg.Policies = []sim.Policy{{At: 2, Name: "open", Set: map[string]float64{"z.b": 1, "a.c": 2}}}
	m := Manifest{
		Version:     "v0.1.0",
		GoVersion:   "go1.26.0",
		Platform:    "linux/arm64",
		Scenario:    cfg,
		Seed:        cfg.Seed,
		Replicates:  cfg.Replicates,
		Workers:     8,
		Start:       time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		WallSeconds: 1.25,
		Complete:    true,
		Files:       map[string]string{"timeseries.csv": "bb", "summary.csv": "aa", "adoption.png": "cc"},
	}
	var a, b bytes.Buffer
	if err := WriteManifest(&a, m); err != nil {
		t.Fatal(err)
	}
	if err := WriteManifest(&b, m); err != nil {
		t.Fatal(err)
	}
	t.Run("the same manifest gives the same bytes", func(t *testing.T) {
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("got\n%s\nand\n%s\nwant them equal", a.Bytes(), b.Bytes())
		}
	})
	t.Run("the scenario reads back as the same Config", func(t *testing.T) {
		var got struct{ Scenario sim.Config }
		if err := json.Unmarshal(a.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Scenario, cfg) {
			t.Errorf("got %+v, want %+v", got.Scenario, cfg)
		}
	})
	t.Run("keys come in a fixed order", func(t *testing.T) {
		d := json.NewDecoder(bytes.NewReader(a.Bytes()))
		d.Token() // {
		var keys []string
		for d.More() {
			k, err := d.Token()
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k.(string))
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				t.Fatal(err)
			}
			if k == "files" {
				var files []string
				fd := json.NewDecoder(bytes.NewReader(skip))
				fd.Token()
				for fd.More() {
					f, _ := fd.Token()
					files = append(files, f.(string))
					fd.Token()
				}
				if !slices.IsSorted(files) {
					t.Errorf("got files %q, want them sorted", files)
				}
			}
		}
		want := []string{"version", "go_version", "platform", "scenario", "seed", "replicates",
			"workers", "start", "wall_seconds", "complete", "files"}
		if !slices.Equal(keys, want) {
			t.Errorf("got keys %q, want %q", keys, want)
		}
	})
	t.Run("no files is an empty object, not null", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteManifest(&buf, Manifest{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(buf.Bytes(), []byte(`"files": {}`)) {
			t.Errorf("got\n%s\nwant \"files\": {}", buf.Bytes())
		}
	})
}
