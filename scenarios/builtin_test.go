package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestEveryBuiltinLoadsAndValidates(t *testing.T) {
	for _, in := range List() {
		t.Run(in.Name, func(t *testing.T) {
			cfg, err := Builtin(in.Name)
			if err != nil {
				t.Fatalf("got error\n%v\nwant none", err)
			}
			if err := cfg.Validate(); err != nil {
				t.Errorf("Validate: got %v, want nil", err)
			}
			if cfg.Name != in.Name {
				t.Errorf("name field: got %q, want the file's name %q", cfg.Name, in.Name)
			}
		})
	}
}

func TestListIsSortedAndDescribesEachScenario(t *testing.T) {
	infos := List()
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
		if in.Description == "" || strings.Contains(in.Description, "\n") {
			t.Errorf("%s: got description %q, want one non-empty line", in.Name, in.Description)
		}
	}
	want := []string{"bass", "blueprint", "connector-sweep", "gba-customs-reform", "isolated-hubs", "no-connector", "source-rnd-push", "three-hubs", "three-hubs-fitted"}
	if !slices.Equal(names, want) {
		t.Errorf("got %v, want %v", names, want)
	}
}

func TestUnknownBuiltinErrorListsTheBuiltins(t *testing.T) {
	want := `no built-in scenario "four-hubs" (built-ins: bass, blueprint, connector-sweep, gba-customs-reform, isolated-hubs, no-connector, source-rnd-push, three-hubs, three-hubs-fitted)`
	if _, err := Source("four-hubs"); err == nil || err.Error() != want {
		t.Errorf("Source: got %v, want %s", err, want)
	}
	if _, err := Builtin("four-hubs"); err == nil || err.Error() != want {
		t.Errorf("Builtin: got %v, want %s", err, want)
	}
}

// numberLine matches a line whose value is a number.
var numberLine = regexp.MustCompile(`^\s*(- )?[a-z_]+:\s+-?[0-9.]+(\s|$)`)

func TestEveryNumberInABuiltinHasAComment(t *testing.T) {
	for _, in := range List() {
		src, err := Source(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if numberLine.MatchString(line) && !strings.Contains(line, "#") {
				t.Errorf("%s line %d: got %q, want a comment saying what the value stands for", in.Name, i+1, line)
			}
		}
	}
}

func TestThreeHubsTellsTheStoryInItsParameters(t *testing.T) {
	cfg, err := Builtin("three-hubs")
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]sim.Region{}
	for _, r := range cfg.Regions {
		regions[r.ID] = r
	}
	sum := func(id string, f func(sim.City) float64) float64 {
		s := 0.0
		for _, c := range regions[id].Cities {
			s += f(c)
		}
		return s
	}
	discoveries := func(c sim.City) float64 { return float64(c.Labs) * c.Research }
	firms := func(c sim.City) float64 { return float64(c.Firms) }
	lt := cfg.LinkTables()
	idx := map[string]int{}
	for i, r := range cfg.Regions {
		idx[r.ID] = i
	}
	// link returns the coupling and friction from region a to region b.
	link := func(a, b string) (coupling, friction float64) {
		k := idx[a]*len(cfg.Regions) + idx[b]
		return lt.Coupling[k], lt.Friction[k]
	}
	most := func(f func(sim.Region) float64) string {
		best, id := math.Inf(-1), ""
		for _, r := range cfg.Regions {
			if v := f(r); v > best {
				best, id = v, r.ID
			}
		}
		return id
	}

	if got := most(func(r sim.Region) float64 { return sum(r.ID, discoveries) }); got != "bth" {
		t.Errorf("most expected discoveries: got %s, want bth", got)
	}
	if got := most(func(r sim.Region) float64 { return r.Pull }); got != "gba" {
		t.Errorf("highest pull: got %s, want gba", got)
	}
	if got := most(func(r sim.Region) float64 { return r.Reach }); got != "yrd" {
		t.Errorf("highest reach: got %s, want yrd", got)
	}
	total := 0.0
	for _, r := range cfg.Regions {
		total += sum(r.ID, firms)
	}
	if total < 3000 || total > 5000 {
		t.Errorf("firms: got %v, want 3,000 to 5,000", total)
	}
	for k, named := range lt.Named {
		if !named {
			t.Errorf("links: the pair %s → %s takes default_link, want every pair named", cfg.Regions[k/len(cfg.Regions)].ID, cfg.Regions[k%len(cfg.Regions)].ID)
		}
	}
	// The connector's firms reach into the periphery more, and with less
	// friction, than the other hubs' firms do.
	for _, p := range []string{"central", "west"} {
		yc, yf := link("yrd", p)
		for _, hub := range []string{"bth", "gba"} {
			hc, hf := link(hub, p)
			if !(yc > hc && yf < hf) {
				t.Errorf("%s: got yrd coupling %v friction %v, %s coupling %v friction %v; want yrd coupled more and with less friction", p, yc, yf, hub, hc, hf)
			}
		}
	}
}

// TestNoConnectorDiffersFromThreeHubsOnlyInTheConnectorsTies cuts the
// connector by hand in three-hubs' resolved tables (its reach, and the
// coupling of its own contacts in every other region, one direction only)
// and checks that no-connector is exactly that: same regions otherwise,
// same link tables otherwise, partner search unchanged.
func TestNoConnectorDiffersFromThreeHubsOnlyInTheConnectorsTies(t *testing.T) {
	hubs, err := Builtin("three-hubs")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Builtin("no-connector")
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, r := range hubs.Regions {
		idx[r.ID] = i
	}
	n := len(hubs.Regions)
	want := hubs.LinkTables()
	for _, to := range []string{"bth", "gba", "central", "west"} {
		want.Coupling[idx["yrd"]*n+idx[to]] = 0.15
	}
	wantRegions := slices.Clone(hubs.Regions)
	wantRegions[idx["yrd"]].Reach = 0.1
	if !reflect.DeepEqual(got.Regions, wantRegions) {
		t.Errorf("regions: got %+v\nwant %+v", got.Regions, wantRegions)
	}
	gt := got.LinkTables()
	for _, tc := range []struct {
		name      string
		got, want []float64
	}{{"friction", gt.Friction, want.Friction}, {"coupling", gt.Coupling, want.Coupling}, {"search", gt.Search, want.Search}} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s table: got %v\nwant %v", tc.name, tc.got, tc.want)
		}
	}
	rest := func(c sim.Config) sim.Config {
		c.Name, c.Description, c.Regions, c.Links = "", "", nil, nil
		return c
	}
	if !reflect.DeepEqual(rest(got), rest(hubs)) {
		t.Errorf("settings other than regions and links differ:\ngot %+v\nwant %+v", rest(got), rest(hubs))
	}
}

func TestBassIsThePureDiffusionCase(t *testing.T) {
	cfg, err := Builtin("bass")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Regions) != 1 || len(cfg.Regions[0].Cities) != 1 {
		t.Fatalf("got %d regions, want one region with one city", len(cfg.Regions))
	}
	c := cfg.Regions[0].Cities[0]
	if cfg.Diffusion.Mixing != sim.MixingWell || c.Labs != 0 || c.Capability != (sim.Capability{Mean: 1}) ||
		cfg.DefaultLink.Friction != 0 || len(cfg.Initial) != 1 {
		t.Errorf("got %+v, want well-mixed, no labs, capability 1 ± 0, no friction, one initial seed", cfg)
	}
	for _, l := range cfg.Links {
		if l.Friction != 0 {
			t.Errorf("link %s: got friction %v, want 0", l.ID(), l.Friction)
		}
	}
}

func TestResolvePrefersAFileToABuiltin(t *testing.T) {
	files := map[string]string{"three-hubs": "steps: 1\n", "mine.yaml": "steps: 2\n"}
	read := func(name string) ([]byte, error) {
		if name == "locked.yaml" {
			return nil, fs.ErrPermission
		}
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	bass, _ := Source("bass")
	tests := []struct {
		arg      string
		wantName string
		wantSrc  string
		wantErr  string
	}{
		{"mine.yaml", "mine.yaml", "steps: 2\n", ""},
		{"three-hubs", "three-hubs", "steps: 1\n", ""},
		{"bass", "builtin/bass.yaml", string(bass), ""},
		{"nothing.yaml", "", "", "nothing.yaml: no such file or built-in scenario (built-ins: bass, blueprint, connector-sweep, gba-customs-reform, isolated-hubs, no-connector, source-rnd-push, three-hubs, three-hubs-fitted)"},
		{"locked.yaml", "", "", fs.ErrPermission.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			name, src, err := Resolve(tc.arg, read)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Errorf("got error %v, want %s", err, tc.wantErr)
				}
				if tc.arg == "locked.yaml" && !errors.Is(err, fs.ErrPermission) {
					t.Errorf("got %v, want it to wrap fs.ErrPermission", err)
				}
				return
			}
			if err != nil || name != tc.wantName || string(src) != tc.wantSrc {
				t.Errorf("got %q, %d bytes, %v; want %q, %d bytes, nil", name, len(src), err, tc.wantName, len(tc.wantSrc))
			}
		})
	}
}

// TestVariantsDifferFromThreeHubsOnlyAsDocumented keeps the variants of
// three-hubs in step with it: each must equal three-hubs with the changes
// its header documents. When three-hubs is retuned, this fails until the
// variants are updated too.
func TestVariantsDifferFromThreeHubsOnlyAsDocumented(t *testing.T) {
	cases := []struct {
		name   string
		change func(c *sim.Config)
		sets   []string
	}{
		{name: "gba-customs-reform", change: func(c *sim.Config) {
			c.Policies = []sim.Policy{{At: 24, Name: "gba customs reform", Set: map[string]float64{"links.gba-gba.friction": 0.03}}}
		}},
		{name: "source-rnd-push", change: func(c *sim.Config) {
			c.Policies = []sim.Policy{{At: 12, Name: "source R&D push", Set: map[string]float64{
				"cities.beijing.research": 0.03, "cities.tianjin.research": 0.03, "cities.hebei.research": 0.03}}}
		}},
		{name: "connector-sweep", sets: []string{"replications=10"}, change: func(c *sim.Config) {
			from, to, step := 0.05, 0.5, 0.09
			c.Sweep = &sim.Sweep{Design: sim.DesignGrid, Params: []sim.SweepParam{{Path: "regions.yrd.reach", From: &from, To: &to, Step: &step}}}
		}},
		{name: "isolated-hubs", change: func(c *sim.Config) {
			for i := range c.Regions {
				c.Regions[i].Reach = 0.01
			}
			for i, l := range c.Links {
				if a, b := l.Ends(); a != b {
					c.Links[i].Coupling = 0.01
					if l.Search != nil {
						*c.Links[i].Search = 0.01
					}
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := Builtin("three-hubs")
			if err != nil {
				t.Fatal(err)
			}
			got, err := Builtin(c.name)
			if err != nil {
				t.Fatal(err)
			}
			want.Name, want.Description = got.Name, got.Description
			if err := Set(&want, c.sets); err != nil {
				t.Fatal(err)
			}
			c.change(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s is not three-hubs with its documented changes:\ngot  %+v\nwant %+v", c.name, got, want)
			}
		})
	}
}

// decimalInText matches a number with a decimal point in a description
// (0.15, 1.9): a parameter's value, which the scenario must hold. Whole
// numbers are counts and months in descriptions as often as values, so
// they are left to the reader.
var decimalInText = regexp.MustCompile(`\b[0-9]+\.[0-9]+\b`)

// TestDescriptionsNameOnlyValuesTheScenarioHolds checks every built-in's
// description against its values: each number with a decimal point that
// the description names must be a value the scenario holds (see
// foreignValues). A description that says the sweep runs "from 0.1 to 0.6"
// while it runs from 0.05 to 0.5 fails: the test's own cases check that
// it does.
func TestDescriptionsNameOnlyValuesTheScenarioHolds(t *testing.T) {
	for _, in := range List() {
		t.Run(in.Name, func(t *testing.T) {
			for _, num := range foreignValues(t, in.Name, in.Description) {
				t.Errorf("the description names %s, which is no value the scenario changes or holds: %q", num, in.Description)
			}
		})
	}
	for _, c := range []struct {
		name, desc string
		want       []string
	}{
		{"connector-sweep", "Three-hubs with the connector's reach swept from 0.1 to 0.6: how does the periphery's diffusion rate depend on the connector's ties?", []string{"0.1", "0.6"}},
		{"connector-sweep", "Three-hubs with the connector's reach swept from 0.05 to 0.5.", nil},
		{"gba-customs-reform", "Friction cut from 0.15 to 0.05 at month 24.", []string{"0.05"}},
		{"no-connector", "The connector's reach cut to 0.123.", []string{"0.123"}},
	} {
		got := foreignValues(t, c.name, c.desc)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s described as %q: got foreign values %v, want %v", c.name, c.desc, got, c.want)
		}
	}
}

// foreignValues returns the numbers with a decimal point in desc that the
// built-in name does not hold. For a variant of three-hubs ("The same as
// three-hubs" in its header) a value it holds is one it changes (a line
// marked CHANGED, with the value it had), a timed policy's value (with the
// one it replaces) or a sweep point, since its description is about what
// it changes; for any other built-in, any value in the file.
func foreignValues(t *testing.T, name, desc string) []string {
	t.Helper()
	number := regexp.MustCompile(`-?\b[0-9]+(?:\.[0-9]+)?\b`)
	cfg, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Source(name)
	if err != nil {
		t.Fatal(err)
	}
	variant := strings.Contains(string(src), "The same as three-hubs")
	values := map[float64]bool{}
	add := func(text string) {
		for _, m := range number.FindAllString(text, -1) {
			var v float64
			if _, err := fmt.Sscan(m, &v); err == nil {
				values[v] = true
			}
		}
	}
	inPolicies := false
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "policies:") {
			inPolicies = true
		} else if line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#") {
			inPolicies = false
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if !variant || inPolicies || strings.Contains(line, "CHANGED") {
			add(line)
		}
	}
	for _, p := range cfg.Points() {
		for _, v := range p.Values {
			values[v] = true
		}
	}
	var out []string
	for _, num := range decimalInText.FindAllString(desc, -1) {
		var v float64
		fmt.Sscan(num, &v)
		if !values[v] {
			out = append(out, num)
		}
	}
	return out
}
