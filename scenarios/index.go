package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// maxVisits bounds the values the index visits, counting each value again
// for every alias that repeats it. A file beyond the bound is refused, never
// read in part: a value left out would silently take its zero value.
const maxVisits = 1_000_000

// maxAliased bounds the values reached through aliases and merge keys, so
// that aliases that expand into each other ("billion laughs") are refused
// long before they fill the memory.
const maxAliased = 100_000

// maxDepth bounds how deeply aliases are followed inside aliases.
const maxDepth = 16

// pos is a 1-based line and column (in characters).
type pos struct{ line, col int }

func tokenPos(tk *token.Token) pos {
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 {
		return pos{1, 1}
	}
	return pos{tk.Position.Line, max(tk.Position.Column, 1)}
}

// nodePos is where a node starts: the first key of a block mapping, the
// token of anything else.
func nodePos(n ast.Node) pos {
	if m, ok := n.(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 && m.Values[0] != nil && m.Values[0].Key != nil {
		return tokenPos(m.Values[0].Key.GetToken())
	}
	if mv, ok := n.(*ast.MappingValueNode); ok && mv.Key != nil {
		return tokenPos(mv.Key.GetToken())
	}
	return tokenPos(n.GetToken())
}

// index maps field paths in the format of sim.FieldError ("regions[1].p",
// "policies[0].set.regions.gba.p") to the nodes of a parsed scenario file,
// and the positions of tokens back to paths. While it walks the file it
// also finds what the decoder reports one at a time (unknown keys), gets
// wrong without a word (fractional counts) or panics on (lists of the
// wrong length, tagged scalars where a list belongs).
type index struct {
	// node holds, for each path, the node an error about it points at:
	// the value, except for the entries of a policy's set mapping, where
	// it is the key (the key is itself a parameter path).
	node map[string]ast.Node
	// value holds, for each path, the node of its value (an alias, not
	// what it stands for).
	value map[string]ast.Node
	// keyAt and valueAt map the position of a key token and of a value's
	// token to the path of the entry.
	keyAt, valueAt map[pos]string

	anchors map[string]ast.Node
	// expanding holds the anchors whose aliases are being walked, depth
	// how many are nested, and visits how many nodes were walked.
	expanding     map[string]bool
	depth, visits int
	// aliased counts the values visited through aliases, inAlias how many
	// aliases are being expanded and outerAlias the outermost of them; full
	// is set once a budget is spent, after which the walk stops.
	aliased, inAlias int
	outerAlias       ast.Node
	full             bool
	// via is the outermost alias being walked, if any.
	via ast.Node

	problems []problem
}

// problem is a shape error found while indexing.
type problem struct {
	path string
	msg  string
	at   pos // where it is, if not where path is
}

var policySet = regexp.MustCompile(`^policies\[\d+\]\.set$`)

// newIndex indexes body, whose value decodes into a value of type t.
func newIndex(body ast.Node, t reflect.Type) *index {
	x := &index{
		node:      map[string]ast.Node{},
		value:     map[string]ast.Node{},
		keyAt:     map[pos]string{},
		valueAt:   map[pos]string{},
		anchors:   map[string]ast.Node{},
		expanding: map[string]bool{},
	}
	if body != nil {
		x.walk(body, t, "")
	}
	return x
}

// locate returns the position an error about path points at: the path's
// own node, or else that of its closest ancestor in the file (for a
// missing field, the mapping that should hold it).
func (x *index) locate(path string) pos {
	for {
		if n, ok := x.node[path]; ok {
			return nodePos(n)
		}
		if path == "" {
			return pos{1, 1}
		}
		path = parent(path)
	}
}

// parent strips the last element off a path: "a.b[2]" → "a.b" → "a" → "".
func parent(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// register records that the value at path is n; the first record of a
// path or a position wins.
func (x *index) register(path string, n ast.Node) {
	if _, ok := x.node[path]; !ok {
		x.node[path] = x.pointAt(n)
		x.value[path] = n
	}
	p := tokenPos(n.GetToken())
	if _, ok := x.valueAt[p]; !ok {
		x.valueAt[p] = path
	}
}

// walk indexes n, found at path, which decodes into a value of type t (nil
// when unknown, such as below an unknown key).
func (x *index) walk(n ast.Node, t reflect.Type, path string) {
	if n == nil || !x.spend(n) {
		return
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n := n.(type) {
	case *ast.DocumentNode:
		x.walk(n.Body, t, path)
	case *ast.AnchorNode:
		if n.Name != nil && n.Name.GetToken() != nil {
			x.anchors[n.Name.GetToken().Value] = n.Value
		}
		x.walk(n.Value, t, path)
	case *ast.TagNode:
		x.checkTaggedList(n, t, path)
		x.walk(n.Value, t, path)
	case *ast.AliasNode:
		// Index the anchored value under this path too, so that paths
		// inside it exist, but point them all at the alias: that is where
		// the value is used. An alias inside its own anchor is not
		// followed.
		x.register(path, n)
		name := aliasName(n)
		if x.depth >= maxDepth {
			x.problems = append(x.problems, problem{path: path, msg: fmt.Sprintf("aliases nested more than %d deep", maxDepth), at: nodePos(x.pointAt(n))})
			x.full = true
			return
		}
		if target := x.resolve(n); target != nil && !x.expanding[name] {
			outer := x.via
			if outer == nil {
				x.via = n
			}
			x.expanding[name] = true
			x.depth++
			x.enter(n)
			x.walk(target, t, path)
			x.leave()
			x.depth--
			delete(x.expanding, name)
			x.via = outer
		}
	case *ast.MappingNode:
		x.register(path, n)
		x.checkShape(n, t, path)
		x.entries(n, t, path)
	case *ast.MappingValueNode:
		x.register(path, n)
		x.checkShape(n, t, path)
		x.entry(n, t, path)
	case *ast.SequenceNode:
		x.register(path, n)
		x.checkShape(n, t, path)
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		if t != nil && t.Kind() == reflect.Array && len(n.Values) != t.Len() {
			x.problems = append(x.problems, problem{path: path, msg: fmt.Sprintf("want %d items, got %d", t.Len(), len(n.Values))})
		}
		for i, v := range n.Values {
			x.walk(v, elem, fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		x.register(path, n)
		x.checkShape(n, t, path)
		x.checkWhole(n, t, path)
	}
}

// enter and leave bracket the expansion of alias a.
func (x *index) enter(a ast.Node) {
	if x.inAlias == 0 {
		x.outerAlias = a
	}
	x.inAlias++
}

func (x *index) leave() { x.inAlias-- }

// spend counts a visit of n against the budgets and reports whether the
// walk may go on. The first visit over a budget adds a problem at n (or
// at the alias that led there) and stops the walk.
func (x *index) spend(n ast.Node) bool {
	if x.full {
		return false
	}
	x.visits++
	if x.inAlias > 0 {
		x.aliased++
	}
	switch {
	case x.aliased > maxAliased:
		x.problems = append(x.problems, problem{msg: fmt.Sprintf("aliases and merge keys repeat more than %d values in all: triad reads no more", maxAliased), at: nodePos(x.outerAlias)})
	case x.visits > maxVisits:
		x.problems = append(x.problems, problem{msg: fmt.Sprintf("the file holds more than %d values (counting those that aliases repeat): triad reads no more", maxVisits), at: nodePos(x.pointAt(n))})
	default:
		return true
	}
	x.full = true
	return false
}

// pointAt returns the node that errors about n point at: n itself, or the
// alias through which the walk reached it.
func (x *index) pointAt(n ast.Node) ast.Node {
	if x.via != nil {
		return x.via
	}
	return n
}

// resolve returns the node an alias refers to, or nil.
func (x *index) resolve(a *ast.AliasNode) ast.Node {
	return x.anchors[aliasName(a)]
}

func aliasName(a *ast.AliasNode) string {
	if a.Value == nil || a.Value.GetToken() == nil {
		return ""
	}
	return a.Value.GetToken().Value
}

// entries indexes the entries of a mapping at path. Merged entries come
// last, so that a path points at the key that overrides them.
func (x *index) entries(m *ast.MappingNode, t reflect.Type, path string) {
	for _, mv := range m.Values {
		if mv != nil && mv.Key != nil && !mv.Key.IsMergeKey() {
			x.entry(mv, t, path)
		}
	}
	for _, mv := range m.Values {
		if mv != nil && mv.Key != nil && mv.Key.IsMergeKey() {
			x.entry(mv, t, path)
		}
	}
}

// entry indexes one key: value entry of the mapping at path. A merge key
// (<<) adds the entries of the merged mappings to the mapping at path.
func (x *index) entry(mv *ast.MappingValueNode, t reflect.Type, path string) {
	if mv == nil || mv.Key == nil {
		return
	}
	if mv.Key.IsMergeKey() {
		x.merge(mv.Value, t, path, 0)
		return
	}
	key := keyString(mv.Key)
	p := join(path, key)
	kp := tokenPos(mv.Key.GetToken())
	if _, ok := x.keyAt[kp]; !ok {
		x.keyAt[kp] = p
	}
	ft := fieldType(t, key)
	if ft == nil && isStruct(t) {
		// The decoder reports only one unknown key, picked at random.
		at := kp
		if x.via != nil {
			at = nodePos(x.via)
		}
		x.problems = append(x.problems, problem{path: p, msg: fmt.Sprintf("unknown field %q", key), at: at})
	}
	x.walk(mv.Value, ft, p)
	if policySet.MatchString(path) {
		x.node[p] = x.pointAt(mv.Key)
	}
}

// merge indexes the value of a merge key: a mapping, an alias of one, or
// a list of those.
func (x *index) merge(n ast.Node, t reflect.Type, path string, depth int) {
	if n == nil {
		return
	}
	if depth > maxDepth {
		x.problems = append(x.problems, problem{msg: fmt.Sprintf("merge keys and aliases nested more than %d deep", maxDepth), at: nodePos(x.pointAt(n))})
		x.full = true
		return
	}
	if !x.spend(n) {
		return
	}
	switch n := n.(type) {
	case *ast.AnchorNode:
		if n.Name != nil && n.Name.GetToken() != nil {
			x.anchors[n.Name.GetToken().Value] = n.Value
		}
		x.merge(n.Value, t, path, depth+1)
	case *ast.TagNode:
		x.merge(n.Value, t, path, depth+1)
	case *ast.AliasNode:
		name := aliasName(n)
		target := x.resolve(n)
		switch {
		case target == nil:
			x.problems = append(x.problems, problem{msg: fmt.Sprintf("<< merges *%s, which no anchor before it defines", name), at: nodePos(n)})
		case x.expanding[name]:
			x.problems = append(x.problems, problem{msg: fmt.Sprintf("<< merges *%s into itself", name), at: nodePos(n)})
		default:
			x.enter(n)
			x.expanding[name] = true
			x.merge(target, t, path, depth+1)
			delete(x.expanding, name)
			x.leave()
		}
	case *ast.MappingNode:
		x.entries(n, t, path)
	case *ast.MappingValueNode:
		x.entry(n, t, path)
	case *ast.SequenceNode:
		for _, v := range n.Values {
			x.merge(v, t, path, depth+1)
		}
	case *ast.NullNode:
	default:
		x.problems = append(x.problems, problem{msg: fmt.Sprintf("<< merges a mapping or a list of mappings, not %s", describeNode(n)), at: nodePos(n)})
	}
}

// keyString is the text of a mapping key.
func keyString(k ast.MapKeyNode) string {
	switch k := k.(type) {
	case *ast.StringNode:
		return k.Value
	case *ast.MappingKeyNode:
		if s, ok := k.Value.(*ast.StringNode); ok {
			return s.Value
		}
		if k.Value != nil && k.Value.GetToken() != nil {
			return k.Value.GetToken().Value
		}
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

func isStruct(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t != nil && t.Kind() == reflect.Struct
}

// fieldType returns the type that the value of key decodes into inside a
// value of type t, or nil when there is none.
func fieldType(t reflect.Type, key string) reflect.Type {
	if t == nil {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Map:
		return t.Elem()
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "-" {
				continue
			}
			if strings.Contains(","+opts+",", ",inline,") {
				if ft := fieldType(f.Type, key); ft != nil {
					return ft
				}
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			if name == key {
				return f.Type
			}
		}
	}
	return nil
}

// checkWhole reports a fractional number where a whole one is wanted; the
// decoder would truncate it without a word.
func (x *index) checkWhole(n ast.Node, t reflect.Type, path string) {
	if t == nil {
		return
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	default:
		return
	}
	var v float64
	switch n := n.(type) {
	case *ast.FloatNode:
		v = n.Value
	case *ast.StringNode:
		f, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64)
		if err != nil {
			return // the decoder reports it
		}
		v = f
	default:
		return
	}
	if v != math.Trunc(v) && !math.IsNaN(v) && !math.IsInf(v, 0) {
		x.problems = append(x.problems, problem{path: path, msg: fmt.Sprintf("%s is not a whole number", n.GetToken().Value)})
	}
}

// checkTaggedList reports a tagged scalar where a list is wanted, which
// makes goccy/go-yaml v1.19.2 panic instead of returning an error
// (goccy/go-yaml issue #735).
func (x *index) checkTaggedList(n *ast.TagNode, t reflect.Type, path string) {
	if t == nil || (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) {
		return
	}
	v := n.Value
	for {
		switch w := v.(type) {
		case *ast.AnchorNode:
			v = w.Value
			continue
		case *ast.TagNode:
			v = w.Value
			continue
		}
		break
	}
	switch v.(type) {
	case *ast.SequenceNode, *ast.NullNode, *ast.AliasNode:
		return
	}
	what := "the value"
	if v != nil && v.GetToken() != nil {
		what = strconv.Quote(v.GetToken().Value)
	}
	x.problems = append(x.problems, problem{path: path, msg: what + " is not a list"})
}

// checkShape reports a value whose kind cannot decode into t: a list or a
// mapping where a number or a string belongs, a scalar where a list or a
// mapping belongs, text or true/false where a number belongs. The decoder
// stops at the first of these; the index finds them all, in one pass. It
// reports only what the decoder would refuse too.
func (x *index) checkShape(n ast.Node, t reflect.Type, path string) {
	if t == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	want := kindName(t)
	bad, hint := false, ""
	switch n := n.(type) {
	case *ast.NullNode:
		// null, ~ or nothing after the key: the decoder would leave the
		// default in place without a word.
		bad = true
		hint = ": write a value, or leave the key out for its default"
		if strings.HasSuffix(path, "]") {
			hint = "" // an empty list entry ("- " alone)
		}
	case *ast.MappingNode, *ast.MappingValueNode:
		bad = t.Kind() != reflect.Struct && t.Kind() != reflect.Map
	case *ast.SequenceNode:
		bad = t.Kind() != reflect.Slice && t.Kind() != reflect.Array
	case *ast.BoolNode:
		bad = isNumber(t) || isCollection(t)
	case *ast.StringNode:
		quoted := n.GetToken() != nil && n.GetToken().Type != token.StringType
		bad = isCollection(t) || (isNumber(t) && (quoted || !numeric(n.Value)))
		if isNumber(t) && quoted && numeric(n.Value) {
			hint = ": a number is written without quotes"
		}
		if !bad && isWhole(t) {
			x.checkRange(n, t, path)
		}
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		bad = isCollection(t)
		if !bad && isWhole(t) {
			x.checkRange(n, t, path)
		}
	}
	if bad {
		x.problems = append(x.problems, problem{path: path, msg: describeNode(n) + " is not " + want + hint})
	}
}

// checkRange reports a whole number outside the range of t, which the
// decoder would wrap or round without a word (a seed of 2⁶⁴ became 2⁶³).
func (x *index) checkRange(n ast.Node, t reflect.Type, path string) {
	unsigned := t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64
	var text string
	switch v := n.(type) {
	case *ast.StringNode:
		text = strings.TrimSpace(v.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		text = strings.TrimSpace(n.GetToken().Value)
	default:
		return
	}
	var fits bool
	if unsigned {
		u, err := strconv.ParseUint(text, 0, 64)
		fits = err == nil && !t.OverflowUint(u)
	} else {
		i, err := strconv.ParseInt(text, 0, 64)
		fits = err == nil && !t.OverflowInt(i)
	}
	if !fits {
		f, err := strconv.ParseFloat(text, 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange):
			if _, isFloat := n.(*ast.FloatNode); !isFloat {
				return // not a number: checkShape or the decoder reports it
			}
		case f != math.Trunc(f) && !math.IsInf(f, 0):
			return // checkWhole reports it
		case unsigned:
			fits = f >= 0 && f < math.Ldexp(1, t.Bits())
		default:
			fits = f >= -math.Ldexp(1, t.Bits()-1) && f < math.Ldexp(1, t.Bits()-1)
		}
	}
	if fits {
		return
	}
	msg := text + " is out of range for a whole number"
	if unsigned && strings.HasPrefix(text, "-") {
		msg = text + " is not a whole number ≥ 0"
	}
	x.problems = append(x.problems, problem{path: path, msg: msg})
}

func isWhole(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func isNumber(t reflect.Type) bool {
	return isWhole(t) || t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64
}

func isCollection(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return true
	}
	return false
}

// numeric reports whether text, quoted in the file, still decodes as a
// number.
func numeric(text string) bool {
	s := strings.TrimSpace(text)
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseInt(s, 0, 64); err == nil {
		return true
	}
	_, err := strconv.ParseUint(s, 0, 64)
	return err == nil
}

// describeNode names a value in a message: its text for a scalar, "a
// mapping" or "a list" for a collection.
func describeNode(n ast.Node) string {
	switch v := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "null"
	case *ast.StringNode:
		return strconv.Quote(v.Value)
	}
	if n != nil && n.GetToken() != nil {
		return n.GetToken().Value
	}
	return "the value"
}
