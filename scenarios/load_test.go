package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/internal/golden"
	"github.com/triad-sim/triad/sim"
)

// mustRead returns the contents of a file under testdata.
func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// mustLoad loads a file under testdata that must be valid.
func mustLoad(t *testing.T, name string) sim.Config {
	t.Helper()
	cfg, err := Load(name, mustRead(t, name))
	if err != nil {
		t.Fatalf("Load(%s): got error\n%v\nwant none", name, err)
	}
	return cfg
}

func TestLoadAcceptsEveryValidFile(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "valid", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cfg := mustLoad(t, filepath.Join("valid", filepath.Base(f)))
			if err := cfg.Validate(); err != nil {
				t.Errorf("Validate after Load: got %v, want nil", err)
			}
		})
	}
}

func TestLoadTakesAbsentFieldsFromSimDefaults(t *testing.T) {
	got := mustLoad(t, "valid/minimal.yaml")

	want := sim.NewConfig()
	want.Name = "minimal" // from the file name: the file has no name
	want.Steps = 12
	r := sim.NewRegion()
	r.ID, r.P = "solo", 0.01
	c := sim.NewCity()
	c.ID, c.Firms = "town", 50
	r.Cities = []sim.City{c}
	want.Regions = []sim.Region{r}

	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestLoadGivesListElementsTheirDefaults(t *testing.T) {
	cfg := mustLoad(t, "valid/full.yaml")
	gamma := cfg.Regions[1].Cities[1] // only id and firms are given
	want := sim.NewCity()
	want.ID, want.Firms = "gamma", 20
	if gamma != want {
		t.Errorf("city gamma: got %+v, want %+v", gamma, want)
	}
}

func TestLoadGivesMergedElementsTheirDefaults(t *testing.T) {
	cfg := mustLoad(t, "valid/anchors.yaml")
	two := cfg.Regions[0].Cities[1] // <<: *city, id: two
	want := sim.NewCity()
	want.ID, want.Firms = "two", 10
	want.Capability = sim.Capability{Mean: 0.8, Spread: 0.1}
	if two != want {
		t.Errorf("city two: got %+v, want %+v", two, want)
	}
	l := cfg.Links[0]
	if l.Between != [2]string{"east", "west"} || l.Friction != 0.2 || l.Coupling != 0.5 {
		t.Errorf("link: got %+v, want between [east west], friction 0.2, coupling 0.5", l)
	}
}

func TestLoadLeavesRegionQUnsetWhenAbsent(t *testing.T) {
	cfg := mustLoad(t, "valid/full.yaml")
	if q := cfg.Regions[0].Q; q == nil || *q != 0.25 {
		t.Errorf("north q: got %v, want 0.25", q)
	}
	if q := cfg.Regions[1].Q; q != nil {
		t.Errorf("south q: got %v, want nil", *q)
	}
}

// invalidCases lists every file in testdata/invalid with the line and
// field of its first problem; the full text is in <file>.err.golden.
var invalidCases = []struct {
	file  string
	line  int
	field string
}{
	{"alias-reused-id", 11, "regions[1].id"},
	{"bad-mixing", 3, "diffusion.mixing"},
	{"control-characters", 8, "regions[0].cities[0].\x1b[2J\x1b[HALL CHECKS PASSED"},
	{"duplicate-id", 11, "regions[1].cities[0].id"},
	{"duplicate-key", 5, ""},
	{"duplicate-link", 17, "links[1].between"},
	{"empty", 1, "steps"},
	{"fractional-count", 7, "regions[0].cities[0].labs"},
	{"integer-out-of-range", 1, "seed"},
	{"link-of-three", 9, "links[0].between"},
	{"list-for-number", 3, "diffusion.q"},
	{"many-errors", 2, "steps"},
	{"merge-misuse", 6, ""},
	{"missing-required", 8, "regions[1].p"},
	{"missing-steps", 2, "steps"},
	{"names-with-control-characters", 5, "regions[0].role"},
	{"negative-seed", 1, "seed"},
	{"not-a-mapping", 1, ""},
	{"null-values", 2, "replications"},
	{"out-of-range", 13, "regions[1].cities[0].transform"},
	{"policy-breaks-spread", 12, "policies[0].set.cities.alpha.capability.mean"},
	{"policy-fixed-field", 11, "policies[0].set.cities.alpha.firms"},
	{"policy-unknown-path", 13, "policies[0].set.regions.north.pp"},
	{"policy-value-out-of-range", 9, "policies[0].at"},
	{"pull-overflow", 5, "regions[0].pull"},
	{"quoted-numbers", 1, "steps"},
	{"region-without-cities-key", 8, "regions[1].cities"},
	{"region-without-city", 10, "regions[1].cities"},
	{"step-unit-not-a-word", 2, "step_unit"},
	{"self-merge", 10, ""},
	{"sensitivity-bad-range", 14, "sensitivity.params[0].high"},
	{"several-unknown-keys", 6, "regions[0].pul"},
	{"spread-above-mean", 10, "regions[0].cities[0].capability.spread"},
	{"syntax-error", 5, ""},
	{"tagged-scalar-for-list", 10, "links[0].between"},
	{"two-documents", 9, ""},
	{"type-errors", 2, "steps"},
	{"unknown-city-in-initial", 11, "initial[1].city"},
	{"unknown-key", 10, "regions[0].cities[1].labz"},
	{"unknown-region-in-link", 9, "links[0].between[1]"},
	{"unknown-top-level-key", 2, "replicate"},
	{"wrong-type", 7, "regions[0].cities[0].firms"},
}

func TestLoadReportsEveryInvalidFileAtItsLine(t *testing.T) {
	for _, tc := range invalidCases {
		t.Run(strings.ReplaceAll(tc.file, "-", " "), func(t *testing.T) {
			name := tc.file + ".yaml"
			_, err := Load(name, mustRead(t, filepath.Join("invalid", name)))
			es, ok := err.(Errors)
			if !ok || len(es) == 0 {
				t.Fatalf("got error %T %v, want a non-empty Errors", err, err)
			}
			if es[0].Line != tc.line || es[0].Field != tc.field {
				t.Errorf("first problem: got line %d field %q, want line %d field %q\n%v", es[0].Line, es[0].Field, tc.line, tc.field, err)
			}
			for _, e := range es {
				if e.File != name {
					t.Errorf("file: got %q, want %q", e.File, name)
				}
				if e.Line < 1 || e.Col < 1 {
					t.Errorf("position: got %d:%d, want both ≥ 1", e.Line, e.Col)
				}
			}
			checkGolden(t, filepath.Join("testdata", "invalid", tc.file+".err.golden"), err.Error()+"\n")
		})
	}
}

func TestEveryInvalidFileHasACase(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	for _, tc := range invalidCases {
		want = append(want, tc.file)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("files in testdata/invalid: got %v, want %v", got, want)
	}
}

// checkGolden compares got with the golden file, or rewrites the file
// under -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	golden.Check(t, path, []byte(got), "run go test ./scenarios -update to accept a change made on purpose")
}

func TestLoadReturnsErrorsThatErrorsAsFinds(t *testing.T) {
	_, err := Load("x.yaml", []byte("steps: 0\n"))
	wrapped := errors.Join(errors.New("context"), err)
	if _, ok := errors.AsType[Errors](wrapped); !ok {
		t.Errorf("errors.AsType[Errors]: got false, want true for %v", err)
	}
}
