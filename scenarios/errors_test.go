package scenarios

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestErrorFormatsPositionFieldAndMessage(t *testing.T) {
	tests := []struct {
		name string
		e    Error
		want string
	}{
		{"all parts", Error{"north.yaml", 9, 20, "regions[1].p", "1.5 is outside [0, 1]"}, "north.yaml:9:20: regions[1].p: 1.5 is outside [0, 1]"},
		{"no field", Error{"north.yaml", 3, 1, "", "sequence end token ']' not found"}, "north.yaml:3:1: sequence end token ']' not found"},
		{"no position", Error{"--set seed=x", 0, 0, "", `"x" is not a whole number ≥ 0`}, `--set seed=x: "x" is not a whole number ≥ 0`},
		{"field only", Error{"", 0, 0, "diffusion.k", "8 contacts per firm needs more than 5 firms"}, "diffusion.k: 8 contacts per firm needs more than 5 firms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.e.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorsPrintAtMostTenThenCountTheRest(t *testing.T) {
	for _, n := range []int{1, 10, 11, 25} {
		t.Run(fmt.Sprint(n, " problems"), func(t *testing.T) {
			es := make(Errors, n)
			for i := range es {
				es[i] = Error{File: "f.yaml", Line: i + 1, Col: 1, Field: "steps", Msg: "is required"}
			}
			lines := strings.Split(es.Error(), "\n")
			wantLines := min(n, MaxShown)
			if n > MaxShown {
				wantLines++
				if last := lines[len(lines)-1]; last != fmt.Sprintf("and %d more", n-MaxShown) {
					t.Errorf("last line: got %q, want %q", last, fmt.Sprintf("and %d more", n-MaxShown))
				}
			}
			if len(lines) != wantLines {
				t.Errorf("got %d lines, want %d:\n%s", len(lines), wantLines, es.Error())
			}
		})
	}
}

func TestSnippetPutsACaretUnderTheColumn(t *testing.T) {
	src := []byte("steps: 12\nregions:\n  - id: north\n    p: 1.5\n\tq: x\nname: \"北京\" # ok\n")
	tests := []struct {
		name string
		line int
		col  int
		want string
	}{
		{"value in a nested mapping", 4, 8, "    p: 1.5\n       ^\n"},
		{"first column", 1, 1, "steps: 12\n^\n"},
		{"tabs kept so the caret lines up", 5, 5, "\tq: x\n\t   ^\n"},
		{"columns count characters", 6, 12, "name: \"北京\" # ok\n           ^\n"},
		{"column past the end of the line", 1, 40, "steps: 12\n          ^\n"},
		{"line past the end of the file", 99, 1, ""},
		{"no position", 0, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Error{Line: tc.line, Col: tc.col}.Snippet(src)
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParentStripsTheLastElement(t *testing.T) {
	tests := []struct{ path, want string }{
		{"regions[1].cities[0].transform", "regions[1].cities[0]"},
		{"regions[1].cities[0]", "regions[1].cities"},
		{"regions[1]", "regions"},
		{"regions", ""},
		{"policies[0].set.regions.gba.p", "policies[0].set.regions.gba"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := parent(tc.path); got != tc.want {
			t.Errorf("parent(%q): got %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestSnippetEscapesControlCharacters(t *testing.T) {
	src := []byte("steps: 12\nx: 1 # \x1b[2J\x1b[HALL CHECKS PASSED\ny: \x1b]0;title\x07 2\n")
	e := Error{File: "a\x1b[31m.yaml", Line: 3, Col: 15, Msg: "bad \x1b[2J"}
	got := e.Snippet(src)
	if strings.ContainsRune(got, 0x1b) || strings.ContainsRune(got, 0x07) {
		t.Errorf("snippet holds control characters: %q", got)
	}
	// The caret stays under the value, past the escaped characters.
	if want := "y: \\x1b]0;title\\a 2\n" + strings.Repeat(" ", 18) + "^\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if msg := e.Error(); strings.ContainsRune(msg, 0x1b) {
		t.Errorf("message holds control characters: %q", msg)
	}
	if got := (Error{Line: 2, Col: 1}).Snippet(src); strings.ContainsRune(got, 0x1b) {
		t.Errorf("comment echoed with its escapes: %q", got)
	}
}

// TestSnippetCutsLongLinesAroundTheColumn holds that a snippet shows at
// most SnippetWidth characters of its line, around the column, and that
// the caret still stands under the character the error points at.
func TestSnippetCutsLongLinesAroundTheColumn(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		b.WriteByte(byte('a' + i%26))
	}
	line := b.String()
	src := []byte("steps: 1\n" + line + "\n")
	for _, col := range []int{1, 50, 500, 999, 1000, 1001, 5000} {
		t.Run(fmt.Sprint("column ", col), func(t *testing.T) {
			got := Error{Line: 2, Col: col}.Snippet(src)
			text, caret, ok := strings.Cut(strings.TrimSuffix(got, "\n"), "\n")
			if !ok {
				t.Fatalf("got %q, want two lines", got)
			}
			if n := utf8.RuneCountInString(text); n > SnippetWidth+2 {
				t.Errorf("the line has %d characters, want at most %d and the ellipses", n, SnippetWidth)
			}
			if !strings.HasSuffix(caret, "^") || strings.TrimLeft(caret, " ") != "^" {
				t.Fatalf("caret line %q", caret)
			}
			at := len(caret) - 1 // the caret's column in the shown line, from 0
			shown := []rune(text)
			switch {
			case col <= len(line):
				if at >= len(shown) || shown[at] != rune(line[col-1]) {
					t.Errorf("the caret stands under %q, want %q:\n%s", string(shown[min(at, len(shown)-1)]), line[col-1], got)
				}
			default: // past the end: after the last character
				if at < len(shown) || at > len(shown)+1 {
					t.Errorf("the caret stands at %d, want %d or %d, after the line:\n%s", at, len(shown), len(shown)+1, got)
				}
			}
		})
	}
}
