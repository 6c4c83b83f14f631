package runs

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triad-sim/triad/output"
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
		Program:     Program{Version: "v0.1.0", GoVersion: "go1.26.0", Platform: "linux/arm64"},
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

// TestReadManifestRefusesWhatTriadCannotHaveWritten saves manifests that
// hold together as JSON but not as a manifest of triad's: each is refused
// with ErrBadFile naming the file and what is wrong, and the manifest
// that triad writes is read back.
func TestReadManifestRefusesWhatTriadCannotHaveWritten(t *testing.T) {
	cfg := toy(t)
	good := Manifest{Program: Program{Version: "test"}, Scenario: cfg, ConfigSHA256: output.ConfigHash(cfg), Seed: cfg.Seed, Replicates: cfg.Replicates,
		Complete: true, Files: map[string]string{"summary.csv": strings.Repeat("ab", 32), "plots/adoption.svg": strings.Repeat("0", 64)}}
	cases := []struct {
		name, want string
		edit       func(m *Manifest)
	}{
		{"as triad writes it", "", func(*Manifest) {}},
		{"an invalid scenario", "its scenario is invalid", func(m *Manifest) { m.Scenario.Steps = -3 }},
		{"no version", "names no version", func(m *Manifest) { m.Version = "" }},
		{"another seed than its scenario's", "seed 12 is not its scenario's 11", func(m *Manifest) { m.Seed++ }},
		{"other replications than its scenario's", "replications 4 is not its scenario's 3", func(m *Manifest) { m.Replicates++ }},
		{"a scenario changed under its hash", "is not the hash of its scenario", func(m *Manifest) { m.Scenario.Regions[0].P = 0.5 }},
		{"a shard past the count", "shard 2 of 2 does not exist", func(m *Manifest) { m.Shard = &Shard{Index: 2, Count: 2} }},
		{"negative workers", "counts cannot be negative", func(m *Manifest) { m.Workers = -1 }},
		{"a file outside the folder", `lists "../../etc/passwd"`, func(m *Manifest) { m.Files["../../etc/passwd"] = strings.Repeat("0", 64) }},
		{"a file by an absolute path", `lists "/tmp/x.svg"`, func(m *Manifest) { m.Files["/tmp/x.svg"] = strings.Repeat("0", 64) }},
		{"a file by an unclean path", `lists "plots/../summary.csv"`, func(m *Manifest) { m.Files["plots/../summary.csv"] = strings.Repeat("0", 64) }},
		{"a hash that is none", `the SHA-256 of summary.csv, "zz", is not one`, func(m *Manifest) { m.Files["summary.csv"] = "zz" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			m := good
			m.Scenario.Regions = slices.Clone(good.Scenario.Regions)
			m.Files = maps.Clone(good.Files)
			c.edit(&m)
			if err := SaveManifest(dir, m); err != nil {
				t.Fatal(err)
			}
			_, err := ReadManifest(dir)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("got %v, want it read", err)
			case c.want != "" && (!errors.Is(err, ErrBadFile) || !strings.Contains(err.Error(), filepath.Join(dir, ManifestName)) || !strings.Contains(err.Error(), c.want)):
				t.Errorf("got %v, want ErrBadFile naming the file and saying %q", err, c.want)
			}
		})
	}
}
