package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

// buildInfo is the module information of a triad binary, as go version -m
// prints it (without the Go version, which debug.ParseBuildInfo skips).
const buildInfo = "path\tgithub.com/triad-sim/triad/cmd/triad\n" +
	"mod\tgithub.com/triad-sim/triad\t(devel)\t\n" +
	"dep\tgithub.com/goccy/go-yaml\tv1.19.2\th1:yaml=\n" +
	"dep\tgithub.com/spf13/pflag\tv1.1.0\th1:pflag=\n" +
	"dep\tgit.sr.ht/~sbinet/gg\tv0.7.0\th1:gg=\n" +
	"dep\texample.com/old\tv1.0.0\n" +
	"=>\texample.com/fork\tv1.0.1\th1:fork=\n" +
	"dep\tgonum.org/v1/gonum\tv0.17.0\th1:gonum=\n" +
	"build\t-trimpath=true\n" +
	"build\tGOOS=linux\n" +
	"build\tGOARCH=arm64\n"

// decodedBOM is what the tests read back of a bill of materials.
type decodedBOM struct {
	BOMFormat   string `json:"bomFormat"`
	SpecVersion string `json:"specVersion"`
	Metadata    struct {
		Timestamp string    `json:"timestamp"`
		Component component `json:"component"`
	} `json:"metadata"`
	Components   []component  `json:"components"`
	Dependencies []dependency `json:"dependencies"`
}

func decodeBOM(t *testing.T, b []byte) decodedBOM {
	t.Helper()
	var d decodedBOM
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("the bill of materials is not JSON: %v\n%s", err, b)
	}
	if d.BOMFormat != "CycloneDX" || d.SpecVersion != "1.6" {
		t.Errorf("bomFormat %q, specVersion %q, want CycloneDX 1.6", d.BOMFormat, d.SpecVersion)
	}
	return d
}

// find returns the component named name, or reports its absence.
func (d decodedBOM) find(t *testing.T, name string) component {
	t.Helper()
	for _, c := range d.Components {
		if c.Name == name {
			return c
		}
	}
	t.Errorf("the bill of materials lacks %s", name)
	return component{}
}

func TestSBOMFromBuildInfo(t *testing.T) {
	info, err := debug.ParseBuildInfo(buildInfo)
	if err != nil {
		t.Fatal(err)
	}
	info.GoVersion = "go1.26.1"
	uplot := component{Type: "library", BOMRef: "pkg:npm/uplot@1.6.32", Name: "uPlot", Version: "1.6.32", PURL: "pkg:npm/uplot@1.6.32"}
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("", 3600))
	b, err := sbom(info, "1.2.3", "0123abcd", when, []component{uplot})
	if err != nil {
		t.Fatal(err)
	}
	d := decodeBOM(t, b)
	if d.Metadata.Timestamp != "2026-03-04T04:06:07Z" {
		t.Errorf("timestamp %s, want the commit's date in UTC, 2026-03-04T04:06:07Z", d.Metadata.Timestamp)
	}
	m := d.Metadata.Component
	if m.Name != "triad" || m.Version != "1.2.3" || m.PURL != "pkg:golang/github.com/triad-sim/triad@1.2.3" ||
		len(m.Hashes) != 1 || m.Hashes[0] != (hash{"SHA-256", "0123abcd"}) || len(m.Licenses) != 1 || m.Licenses[0].License.ID != "BSD-3-Clause" {
		t.Errorf("the binary's component is %+v", m)
	}
	for _, want := range []property{{"go:build:GOOS", "linux"}, {"go:build:GOARCH", "arm64"}, {"go:build:-trimpath", "true"}} {
		if !slices.Contains(m.Properties, want) {
			t.Errorf("the binary's properties %v lack %v", m.Properties, want)
		}
	}
	for _, want := range []struct{ name, version, purl, sum string }{
		{"stdlib", "go1.26.1", "pkg:golang/stdlib@go1.26.1", ""},
		{"gonum.org/v1/gonum", "v0.17.0", "pkg:golang/gonum.org/v1/gonum@v0.17.0", "h1:gonum="},
		{"github.com/spf13/pflag", "v1.1.0", "pkg:golang/github.com/spf13/pflag@v1.1.0", "h1:pflag="},
		{"github.com/goccy/go-yaml", "v1.19.2", "pkg:golang/github.com/goccy/go-yaml@v1.19.2", "h1:yaml="},
		{"git.sr.ht/~sbinet/gg", "v0.7.0", "pkg:golang/git.sr.ht/~sbinet/gg@v0.7.0", "h1:gg="},
		{"example.com/fork", "v1.0.1", "pkg:golang/example.com/fork@v1.0.1", "h1:fork="},
		{"uPlot", "1.6.32", "pkg:npm/uplot@1.6.32", ""},
	} {
		c := d.find(t, want.name)
		if c.Version != want.version || c.PURL != want.purl || c.BOMRef != want.purl {
			t.Errorf("%s: version %q, purl %q, bom-ref %q; want %q and %q", want.name, c.Version, c.PURL, c.BOMRef, want.version, want.purl)
		}
		if want.sum != "" && !slices.Contains(c.Properties, property{"go:sum", want.sum}) {
			t.Errorf("%s: properties %v lack its go.sum hash %s", want.name, c.Properties, want.sum)
		}
	}
	if c := d.find(t, "example.com/fork"); !slices.Contains(c.Properties, property{"go:replaces", "example.com/old@v1.0.0"}) {
		t.Errorf("the replacement's properties %v do not name what it replaces", c.Properties)
	}
	if len(d.Components) != 7 {
		t.Errorf("%d components, want the standard library, 5 modules and uPlot", len(d.Components))
	}
	if len(d.Dependencies) != 1 || d.Dependencies[0].Ref != m.BOMRef || len(d.Dependencies[0].DependsOn) != len(d.Components) {
		t.Errorf("dependencies %+v, want the binary depending on all %d components", d.Dependencies, len(d.Components))
	}
}

func TestGoPURL(t *testing.T) {
	for _, c := range []struct{ path, version, want string }{
		{"gonum.org/v1/plot", "v0.17.0", "pkg:golang/gonum.org/v1/plot@v0.17.0"},
		{"git.sr.ht/~sbinet/gg", "v0.7.0", "pkg:golang/git.sr.ht/~sbinet/gg@v0.7.0"},
		{"example.com/a b", "v2.0.0+incompatible", "pkg:golang/example.com/a%20b@v2.0.0%2Bincompatible"},
	} {
		if got := goPURL(c.path, c.version); got != c.want {
			t.Errorf("goPURL(%q, %q) = %q, want %q", c.path, c.version, got, c.want)
		}
	}
}

// TestSBOMOfTheReleaseBinary builds triad as a release does and checks
// that its bill of materials lists the modules of go.mod that triad links,
// with go.mod's versions, and uPlot.
func TestSBOMOfTheReleaseBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "triad")
	if err := build(root, runtime.GOOS, runtime.GOARCH, "-s -w -X main.version=1.2.3", bin); err != nil {
		t.Fatalf("go build: %v", err)
	}
	extra, err := vendoredComponents(root)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b, err := binarySBOM(bin, "1.2.3", when, extra)
	if err != nil {
		t.Fatal(err)
	}
	d := decodeBOM(t, b)
	// gonum itself is linked no more: the program computes with internal/portable.
	for _, mod := range []string{"gonum.org/v1/plot", "github.com/spf13/pflag", "github.com/goccy/go-yaml"} {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", mod).Output()
		if err != nil {
			t.Fatalf("go list -m %s: %v", mod, err)
		}
		want := strings.TrimSpace(string(out))
		if c := d.find(t, mod); c.Version != want || want == "" {
			t.Errorf("%s: version %q, want go.mod's %q", mod, c.Version, want)
		}
	}
	if c := d.find(t, "stdlib"); c.Version != runtime.Version() {
		t.Errorf("stdlib: version %q, want %q", c.Version, runtime.Version())
	}
	if c := d.find(t, "uPlot"); c.Version == "" || !strings.HasPrefix(c.PURL, "pkg:npm/uplot@") {
		t.Errorf("uPlot: %+v", c)
	}
	sum, _ := sha256File(bin)
	if hs := d.Metadata.Component.Hashes; len(hs) != 1 || hs[0].Content != sum {
		t.Errorf("the binary's hashes %v, want its SHA-256 %s", hs, sum)
	}
	for _, c := range d.Components {
		if strings.HasPrefix(c.Name, "github.com/chromedp") || strings.HasPrefix(c.Name, "github.com/rogpeppe") {
			t.Errorf("the bill of materials lists %s, which only the tests use", c.Name)
		}
	}
}
