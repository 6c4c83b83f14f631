package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/parser"

	"github.com/triad-sim/triad/sim"
)

// Edit is one change to a scenario's text: the parameter at Path (as for
// --set) takes Value, and Comment replaces the line's comment (the old
// value and comment are kept after it).
type Edit struct {
	Path    string
	Value   float64
	Comment string
}

// Rewrite returns the scenario src with the edits made in its text, so
// that every other line and comment stays as it was; header lines are put
// before it as comments, and name and description, when not empty,
// replace the scenario's. Each edited parameter must be written in the
// file (not left to its default), on a line of its own. The result is
// loaded again and checked to hold the new values.
func Rewrite(name string, src []byte, header []string, newName, description string, edits []Edit) ([]byte, error) {
	src = bytes.TrimPrefix(src, bom)
	cfg, err := Load(name, src)
	if err != nil {
		return nil, err
	}
	tokens, err := tokenize(name, src, DefaultCaps)
	if err != nil {
		return nil, err
	}
	file, err := parser.Parse(tokens, parser.ParseComments)
	if err != nil {
		return nil, Errors{yamlError(name, err, nil)}
	}
	body, _ := document(file)
	x := newIndex(body, reflect.TypeFor[sim.Config]())
	lines := strings.Split(string(src), "\n")
	replace := func(field, text, comment string) error {
		n := x.valueOf(field)
		if n == nil {
			return fmt.Errorf("%s: %s is not written in the file; write it there to change it", name, field)
		}
		tk := n.GetToken()
		if tk == nil || tk.Position == nil {
			return fmt.Errorf("%s: %s has no position", name, field)
		}
		l, c := tk.Position.Line-1, tk.Position.Column-1
		line := []rune(lines[l])
		old := []rune(tk.Value)
		if c < 0 || c+len(old) > len(line) || string(line[c:c+len(old)]) != tk.Value {
			return fmt.Errorf("%s:%d: %s: cannot find its value %q in the line", name, l+1, field, tk.Value)
		}
		rest := string(line[c+len(old):])
		pad, oldComment, _ := strings.Cut(rest, "#")
		out := string(line[:c]) + text
		if comment != "" {
			pad = strings.Repeat(" ", max(1, len([]rune(pad))-len([]rune(text))+len(old)))
			out += pad + "# " + comment + "; was " + tk.Value
			if oc := strings.TrimSpace(oldComment); oc != "" {
				out += ": " + oc
			}
		} else {
			out += rest
		}
		lines[l] = out
		return nil
	}
	for _, e := range edits {
		field, err := cfg.ParamField(e.Path)
		if err != nil {
			return nil, err
		}
		if err := replace(field, strconv.FormatFloat(e.Value, 'g', -1, 64), e.Comment); err != nil {
			return nil, err
		}
	}
	if newName != "" {
		if err := replace("name", newName, ""); err != nil {
			return nil, err
		}
	}
	if description != "" {
		n, ok := x.value["description"]
		if !ok {
			return nil, fmt.Errorf("%s: the file has no description to replace", name)
		}
		// The description's lines: from its key to the line before the
		// next top-level key or comment.
		start := nodePos(n).line - 1
		for start > 0 && !strings.HasPrefix(lines[start], "description:") {
			start--
		}
		end := start + 1
		for end < len(lines) && (strings.HasPrefix(lines[end], " ") || strings.TrimSpace(lines[end]) == "") && !strings.HasPrefix(strings.TrimSpace(lines[end]), "#") {
			end++
		}
		for end > start+1 && strings.TrimSpace(lines[end-1]) == "" {
			end--
		}
		desc := []string{"description: >-"}
		desc = append(desc, wrap(description, 72, "  ")...)
		lines = append(lines[:start], append(desc, lines[end:]...)...)
	}
	var b strings.Builder
	for _, h := range header {
		b.WriteString(strings.TrimRight("# "+h, " ") + "\n")
	}
	if len(header) > 0 {
		b.WriteString("#\n")
	}
	b.WriteString(strings.Join(lines, "\n"))
	out := []byte(b.String())
	got, err := Load(name, out)
	if err != nil {
		return nil, fmt.Errorf("the rewritten scenario does not load: %w", err)
	}
	for _, e := range edits {
		if v, err := got.ParamValue(e.Path); err != nil || v != e.Value {
			return nil, fmt.Errorf("the rewritten scenario does not hold %s = %g", e.Path, e.Value)
		}
	}
	return out, nil
}

// wrap breaks text into lines of at most width characters, each starting
// with indent.
func wrap(text string, width int, indent string) []string {
	var lines []string
	line := indent
	for _, w := range strings.Fields(text) {
		if len([]rune(line))+len([]rune(w))+1 > width && line != indent {
			lines = append(lines, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += w
	}
	if line != indent {
		lines = append(lines, line)
	}
	return lines
}
