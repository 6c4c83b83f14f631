package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/triad-sim/triad/sim"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load decodes a scenario file and checks it. name is how the user named
// the file; it only prefixes the error messages.
//
// Keys that sim.Config does not know and values of the wrong type are
// errors, as are values outside their range and broken cross references
// (see sim.Config.Validate). Fields the file leaves out take the defaults of
// sim.NewConfig, sim.NewRegion, sim.NewCity and sim.NewLink; a required
// field left out is an error.
//
// The error is always an Errors value, sorted by position: a file beyond
// the limits on size and nesting (see MaxSize); or a YAML syntax error; or
// every unknown key, value of the wrong type, whole number out of range,
// fractional count, misused merge key and list of the wrong length; or a
// sweep beyond the caps; or every problem Validate found. Each has a
// position in src, and a field path where one applies. A file is read
// whole or refused, never read in part. A UTF-8 byte order mark is
// skipped.
func Load(name string, src []byte) (sim.Config, error) {
	return LoadCapped(name, src, DefaultCaps)
}

// LoadCapped is Load with other caps on the scenario's size (NoCaps lifts
// them all).
func LoadCapped(name string, src []byte, caps Caps) (sim.Config, error) {
	cfg, _, err := LoadNoted(name, src, caps)
	return cfg, err
}

// LoadNoted is LoadCapped that also returns notes on a file that loads but
// uses an old field name (replications for replications), each at the
// field's position; `triad validate` shows them.
func LoadNoted(name string, src []byte, caps Caps) (cfg sim.Config, notes Errors, err error) {
	src = bytes.TrimPrefix(src, bom)
	tokens, err := tokenize(name, src, caps)
	if err != nil {
		return sim.Config{}, nil, err
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		return sim.Config{}, nil, Errors{yamlError(name, err, nil)}
	}
	body, extra := document(file)
	notes, problems := renameOld(name, body)
	if len(problems) > 0 {
		return sim.Config{}, nil, problems
	}
	cfg, err = load(name, body, extra, caps)
	if err != nil {
		return sim.Config{}, nil, err
	}
	return cfg, notes, nil
}

// load decodes and checks the body of a parsed scenario file.
func load(name string, body, extra ast.Node, caps Caps) (sim.Config, error) {
	x := newIndex(body, reflect.TypeFor[sim.Config]())
	if extra != nil {
		p := nodePos(extra)
		return sim.Config{}, Errors{{File: name, Line: p.line, Col: p.col, Msg: "a scenario file holds one YAML document"}}
	}
	if len(x.problems) > 0 {
		// Unknown keys, and values the decoder would truncate or panic on.
		es := make(Errors, len(x.problems))
		for i, p := range x.problems {
			es[i] = x.at(name, p.path, p.msg)
			if p.at.line > 0 {
				es[i].Line, es[i].Col = p.at.line, p.at.col
			}
		}
		es = sortErrors(es)
		return sim.Config{}, es
	}
	cfg, err := decode(body, x)
	if err != nil {
		return sim.Config{}, Errors{yamlError(name, err, x)}
	}
	if cfg.Name == "" {
		cfg.Name = nameFromFile(name)
	}
	// Validate checks every point of a sweep: a sweep too large to run is
	// refused before it is built.
	if es := checkSweepSize(&cfg, caps); len(es) > 0 {
		return sim.Config{}, positioned(name, es, x)
	}
	if err := cfg.Validate(); err != nil {
		return sim.Config{}, positioned(name, err, x)
	}
	if es := checkCaps(&cfg, caps); len(es) > 0 {
		return sim.Config{}, positioned(name, es, x)
	}
	return cfg, nil
}

// document returns the body of the file's only document, and the first
// node of any document after it.
func document(f *ast.File) (body, extra ast.Node) {
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	if len(docs) > 1 {
		extra = docs[1].Body
	}
	return docs[0].Body, extra
}

// decode fills a Config from the document body. Defaults come in two
// passes, because the decoder keeps the values already in a struct but
// builds list elements from zero values:
//
//  1. decode the whole file strictly into sim.NewConfig(), which holds the
//     scenario-wide defaults;
//  2. decode every region, city and link again from its own node into
//     sim.NewRegion(), sim.NewCity() or sim.NewLink().
//
// sim stays the one source of truth for defaults and the YAML tags the one
// source of truth for the format.
func decode(body ast.Node, x *index) (cfg sim.Config, err error) {
	// The decoder has panicked on malformed input before (a tagged
	// scalar where a list belongs, goccy/go-yaml issue #735, which the
	// index catches first). A panic is still a problem with the file.
	defer func() {
		if r := recover(); r != nil {
			cfg, err = sim.Config{}, fmt.Errorf("the YAML decoder failed on this file: %v", r)
		}
	}()
	cfg = sim.NewConfig()
	if body == nil {
		return cfg, nil // an empty file: every field takes its default
	}
	// The parser has already rejected keys repeated in one mapping; the
	// decoder must still allow a key that overrides one merged in with <<.
	// It decodes the nodes parsed already: given no bytes of its own, it
	// does not lex and parse the file a second time.
	dec := yaml.NewDecoder(bytes.NewReader(nil), yaml.Strict(), yaml.AllowDuplicateMapKey())
	if err := dec.DecodeFromNode(body, &cfg); err != nil {
		return sim.Config{}, err
	}
	// again decodes the node at path into v, which holds defaults, and
	// reports whether it found the node. The index has refused files
	// whose aliases nest too deeply for it to find every node.
	again := func(path string, v any) (bool, error) {
		n := x.valueOf(path)
		if n == nil {
			return false, nil
		}
		return true, dec.DecodeFromNode(n, v)
	}
	for i := range cfg.Regions {
		rp := fmt.Sprintf("regions[%d]", i)
		r := sim.NewRegion()
		found, err := again(rp, &r)
		if err != nil {
			return sim.Config{}, err
		}
		if !found || len(r.Cities) != len(cfg.Regions[i].Cities) {
			continue
		}
		for j := range r.Cities {
			c := sim.NewCity()
			found, err := again(fmt.Sprintf("%s.cities[%d]", rp, j), &c)
			if err != nil {
				return sim.Config{}, err
			}
			if found {
				r.Cities[j] = c
			}
		}
		cfg.Regions[i] = r
	}
	for i := range cfg.Links {
		l := sim.NewLink()
		found, err := again(fmt.Sprintf("links[%d]", i), &l)
		if err != nil {
			return sim.Config{}, err
		}
		if found {
			cfg.Links[i] = l
		}
	}
	return cfg, nil
}

// valueOf returns the value node at path, following aliases, or nil.
func (x *index) valueOf(path string) ast.Node {
	n := x.value[path]
	for range maxDepth {
		a, ok := n.(*ast.AliasNode)
		if !ok {
			break
		}
		n = x.resolve(a)
	}
	if _, ok := n.(*ast.AliasNode); ok || n == nil {
		return nil
	}
	return n
}

// positioned maps the field paths of a sim.Errors value to positions in
// the file.
func positioned(name string, err error, x *index) error {
	var fes sim.Errors
	if !errors.As(err, &fes) {
		return Errors{{File: name, Line: 1, Col: 1, Msg: err.Error()}}
	}
	es := make(Errors, len(fes))
	for i, fe := range fes {
		es[i] = x.at(name, fe.Field, fe.Msg)
	}
	es = sortErrors(es)
	return es
}

// nameFromFile derives a scenario name from its file name when the file
// gives none: "My Scenario.yaml" becomes "my-scenario". It returns "" when
// no slug can be made.
func nameFromFile(file string) string {
	base := path.Base(filepath.ToSlash(file))
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	n := strings.Trim(b.String(), "-")
	if n == "" || n[0] < 'a' || n[0] > 'z' {
		return ""
	}
	return n
}
