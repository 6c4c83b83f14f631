package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
)

// The types below are the parts of a CycloneDX 1.6 bill of materials
// (https://cyclonedx.org/docs/1.6/json/) that dist writes.

type bom struct {
	BOMFormat    string       `json:"bomFormat"`
	SpecVersion  string       `json:"specVersion"`
	Version      int          `json:"version"`
	Metadata     bomMetadata  `json:"metadata"`
	Components   []component  `json:"components"`
	Dependencies []dependency `json:"dependencies"`
}

type bomMetadata struct {
	Timestamp string    `json:"timestamp"`
	Tools     bomTools  `json:"tools"`
	Component component `json:"component"`
}

type bomTools struct {
	Components []component `json:"components"`
}

// A component is a piece of software in the binary, or the binary itself.
type component struct {
	Type       string     `json:"type"`
	BOMRef     string     `json:"bom-ref,omitempty"`
	Name       string     `json:"name"`
	Version    string     `json:"version,omitempty"`
	PURL       string     `json:"purl,omitempty"`
	Licenses   []licence  `json:"licenses,omitempty"`
	Hashes     []hash     `json:"hashes,omitempty"`
	Properties []property `json:"properties,omitempty"`
}

type licence struct {
	License struct {
		ID string `json:"id"`
	} `json:"license"`
}

type hash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn,omitempty"`
}

// spdx returns the licence list of one SPDX identifier.
func spdx(id string) []licence {
	var l licence
	l.License.ID = id
	return []licence{l}
}

// goPURL is the package URL of a Go module
// (https://github.com/package-url/purl-spec): the path's segments are
// escaped, but not the slashes between them.
func goPURL(path, version string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = purlEscape(s)
	}
	return "pkg:golang/" + strings.Join(segs, "/") + "@" + purlEscape(version)
}

// purlEscape percent-encodes the bytes of s that a package URL segment may
// not hold as they are.
func purlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// sbom returns the CycloneDX bill of materials, as indented JSON, of the
// triad binary whose module information is info (what go version -m
// prints) and whose SHA-256 is sum: the Go standard library and every
// module the go command linked into it, with their versions and go.sum
// hashes, and the components in extra, which it holds besides Go code.
// Its time is when, the commit's date, so that it is the same for every
// build of a commit.
func sbom(info *debug.BuildInfo, version, sum string, when time.Time, extra []component) ([]byte, error) {
	main := component{
		Type: "application", BOMRef: goPURL(info.Main.Path, version), Name: "triad", Version: version,
		PURL: goPURL(info.Main.Path, version), Licenses: spdx("BSD-3-Clause"),
		Hashes: []hash{{"SHA-256", sum}},
	}
	for _, s := range info.Settings {
		main.Properties = append(main.Properties, property{"go:build:" + s.Key, s.Value})
	}
	std := component{Type: "library", Name: "stdlib", Version: info.GoVersion, Licenses: spdx("BSD-3-Clause")}
	std.PURL = goPURL("stdlib", info.GoVersion)
	std.BOMRef = std.PURL
	parts := []component{std}
	for _, d := range info.Deps {
		m := d
		if d.Replace != nil {
			m = d.Replace
		}
		c := component{Type: "library", Name: m.Path, Version: m.Version, PURL: goPURL(m.Path, m.Version)}
		c.BOMRef = c.PURL
		if m.Sum != "" {
			c.Properties = append(c.Properties, property{"go:sum", m.Sum})
		}
		if d.Replace != nil {
			c.Properties = append(c.Properties, property{"go:replaces", d.Path + "@" + d.Version})
		}
		parts = append(parts, c)
	}
	parts = append(parts, extra...)
	deps := dependency{Ref: main.BOMRef}
	for _, p := range parts {
		deps.DependsOn = append(deps.DependsOn, p.BOMRef)
	}
	b := bom{
		BOMFormat: "CycloneDX", SpecVersion: "1.6", Version: 1,
		Metadata: bomMetadata{
			Timestamp: when.UTC().Format(time.RFC3339),
			Tools:     bomTools{Components: []component{{Type: "application", Name: "triad dist", Version: version}}},
			Component: main,
		},
		Components:   parts,
		Dependencies: []dependency{deps},
	}
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// vendoredComponents returns the vendored assets of the project in root
// as components of a bill of materials.
func vendoredComponents(root string) ([]component, error) {
	var cs []component
	for _, v := range vendored {
		version, err := vendoredVersion(filepath.Join(root, filepath.FromSlash(v.Dir)), v.Name)
		if err != nil {
			return nil, err
		}
		c := component{Type: "library", Name: v.Name, Version: version, PURL: v.PURL + "@" + purlEscape(version), Licenses: spdx(v.Licence)}
		c.BOMRef = c.PURL
		cs = append(cs, c)
	}
	return cs, nil
}
