package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/triad-sim/triad/sim"
)

// Error is one problem in a scenario, at a position in its source.
type Error struct {
	// File is the scenario's name as the user typed it (or, for a --set
	// assignment, the flag and its argument).
	File string
	// Line and Col are 1-based; Col counts characters. They are 0 when the
	// problem has no position in a file, as for --set assignments.
	Line, Col int
	// Field is the field path, such as "regions[1].cities[0].transform",
	// or "" when the problem is not about one field (a YAML syntax error).
	Field string
	// Msg says what is wrong, in lower case.
	Msg string
}

// Error formats e as "FILE:LINE:COL: FIELD: MESSAGE", leaving out the
// parts that are empty or zero.
func (e Error) Error() string {
	var b strings.Builder
	b.WriteString(Printable(e.File))
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(Printable(e.Field))
		b.WriteString(": ")
	}
	b.WriteString(Printable(e.Msg))
	return b.String()
}

// Printable returns s with every control character other than newline and
// tab, and every character that reorders text on a terminal, written as a
// Go escape (\x1b, \u202e), so that text echoed from a file can neither
// move the cursor nor clear the screen nor disguise itself.
func Printable(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteString(shown(r))
	}
	return b.String()
}

// hidden reports whether r must be escaped when shown: newlines and tabs
// are shown as they are, whatever sim.Unprintable says is not.
func hidden(r rune) bool {
	return r != '\n' && r != '\t' && sim.Unprintable(r)
}

// shown is how r is shown: itself, or its escape if it is hidden.
func shown(r rune) string {
	if !hidden(r) {
		return string(r)
	}
	q := strconv.QuoteRune(r)
	if r == utf8.RuneError || !strings.HasPrefix(q, "'\\") {
		q = fmt.Sprintf("'\\u%04x'", r)
	}
	return q[1 : len(q)-1]
}

// Snippet returns the line of src that e points at and, below it, a caret
// under e's column, each line ending in a newline, for showing the problem
// in context. A line longer than SnippetWidth characters is cut to that
// many around the column, with "…" where it was cut. It returns "" when e
// has no position in src.
func (e Error) Snippet(src []byte) string {
	if e.Line < 1 {
		return ""
	}
	rest := src
	for range e.Line - 1 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return ""
		}
		rest = rest[i+1:]
	}
	line := rest
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, "\r")
	if e.Line == 1 {
		line = bytes.TrimPrefix(line, bom)
	}
	// The window of at most SnippetWidth characters around the column,
	// found without decoding more of the line than it needs.
	first := max(0, e.Col-1-SnippetWidth/2) // characters skipped
	lo := 0
	for n := 0; n < first && lo < len(line); n++ {
		_, size := utf8.DecodeRune(line[lo:])
		lo += size
	}
	if lo == len(line) { // a column past the end: show the line's end
		first, lo = 0, 0
		for chars := utf8.RuneCount(line); chars > SnippetWidth; chars-- {
			_, size := utf8.DecodeRune(line[lo:])
			lo += size
			first++
		}
	}
	hi, width := lo, 0
	for ; hi < len(line) && width < SnippetWidth; width++ {
		_, size := utf8.DecodeRune(line[hi:])
		hi += size
	}
	// Control characters are shown escaped, and the caret moves with them.
	var text, pad strings.Builder
	if lo > 0 {
		text.WriteString("…")
		pad.WriteByte(' ')
	}
	col := first + 1
	for _, r := range string(line[lo:hi]) {
		s := shown(r)
		text.WriteString(s)
		if col >= e.Col {
			continue
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteString(strings.Repeat(" ", utf8.RuneCountInString(s)))
		}
		col++
	}
	if hi < len(line) {
		text.WriteString("…")
	}
	// A column past the end of the line (an error at the end of input)
	// puts the caret just after the last character.
	for ; col < e.Col && col <= first+width+1; col++ {
		pad.WriteByte(' ')
	}
	return text.String() + "\n" + pad.String() + "^\n"
}

// SnippetWidth is the most characters of a line that Snippet shows.
const SnippetWidth = 200

// MaxShown is how many problems Errors.Error prints before it summarizes
// the rest; `triad validate` shows as many.
const MaxShown = 10

// Errors is every problem found in a scenario, sorted by position. Its
// Error method prints at most ten, then says how many more there are.
type Errors []Error

// Error prints one problem per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == MaxShown {
			fmt.Fprintf(&b, "\nand %d more", len(es)-MaxShown)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// sortErrors sorts es by position, problems at the same position keeping
// their order, and drops repeated problems.
func sortErrors(es Errors) Errors {
	slices.SortStableFunc(es, func(a, b Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	seen := make(map[Error]bool, len(es))
	return slices.DeleteFunc(es, func(e Error) bool {
		dup := seen[e]
		seen[e] = true
		return dup
	})
}

// at builds an Error about path at its position in the file.
func (x *index) at(name, path, msg string) Error {
	p := x.locate(path)
	return Error{File: name, Line: p.line, Col: p.col, Field: path, Msg: msg}
}

// yamlError turns an error of the YAML parser or decoder into an Error at
// its position. x may be nil (a syntax error leaves nothing to index).
func yamlError(name string, err error, x *index) Error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return Error{File: name, Line: 1, Col: 1, Msg: lowerFirst(err.Error())}
	}
	tp := tokenPos(ye.GetToken())
	e := Error{File: name, Line: tp.line, Col: tp.col, Msg: lowerFirst(ye.GetMessage())}
	if x == nil {
		return e
	}
	// The path of the value the decoder choked on, and where it starts.
	value := func() {
		if path, ok := x.valueAt[tp]; ok {
			e.Field = path
			p := x.locate(path)
			e.Line, e.Col = p.line, p.col
		}
	}
	var (
		unknown    *yaml.UnknownFieldError
		typeErr    *yaml.TypeError
		overflow   *yaml.OverflowError
		unexpected *yaml.UnexpectedNodeTypeError
	)
	switch {
	case errors.As(err, &unknown):
		e.Field = x.keyAt[tp]
	case errors.As(err, &typeErr):
		value()
		e.Msg = describe(x.node[e.Field], ye) + " is not " + kindName(typeErr.DstType)
	case errors.As(err, &overflow):
		value()
		e.Msg = overflowMsg(overflow)
	case errors.As(err, &unexpected):
		value()
		e.Msg = describe(x.node[e.Field], ye) + " is not " + nodeTypeName(unexpected.Expected)
	default:
		if path, ok := x.keyAt[tp]; ok {
			e.Field = path
		}
	}
	return e
}

// describe names the value a decode error is about: its text for a
// scalar, "a mapping" or "a list" for a collection (behind any anchor or
// tag), or the error's own token when there is no node.
func describe(n ast.Node, ye yaml.Error) string {
	for n != nil {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
			continue
		case *ast.TagNode:
			n = v.Value
			continue
		}
		break
	}
	if d := describeNode(n); n != nil && d != "the value" {
		return d
	}
	if tk := ye.GetToken(); tk != nil {
		return strconv.Quote(tk.Value)
	}
	return "the value"
}

func kindName(t reflect.Type) string {
	if t == nil {
		return "of the right type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	}
	return "a " + t.String()
}

func nodeTypeName(t ast.NodeType) string {
	switch t {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	}
	return "a " + t.YAMLName()
}

func overflowMsg(e *yaml.OverflowError) string {
	unsigned := false
	if e.DstType != nil {
		switch e.DstType.Kind() {
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			unsigned = true
		}
	}
	if unsigned && strings.HasPrefix(e.SrcNum, "-") {
		return e.SrcNum + " is not a whole number ≥ 0"
	}
	return e.SrcNum + " is out of range for a whole number"
}

// lowerFirst lower-cases the first letter of a message and drops a
// trailing period.
func lowerFirst(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || n == 0 {
		return s
	}
	return strings.ToLower(string(r)) + s[n:]
}
