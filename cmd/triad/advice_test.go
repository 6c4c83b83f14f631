package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
)

// TestEveryFixHasWords reads the Fix constants of package runs from its
// source and checks that the command words each of them (what to do
// about an error of the folder protocol), and that message adds the
// words after the error's own text, however it is wrapped.
func TestEveryFixHasWords(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../../runs/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for i, s := range g.Specs {
			if id, ok := s.(*ast.ValueSpec).Type.(*ast.Ident); ok && id.Name == "Fix" && i == 0 {
				n = len(g.Specs)
			}
		}
	}
	if n == 0 {
		t.Fatal("found no Fix constants in runs/errors.go")
	}
	for fix := runs.Fix(1); fix <= runs.Fix(n); fix++ {
		a := &runs.Advice{Err: errors.New("the problem"), Dir: "out", Fix: fix}
		words := advice(a)
		if words == "" {
			t.Errorf("Fix %d has no words in advice", fix)
			continue
		}
		got := message(fmt.Errorf("context: %w", a))
		if !strings.HasPrefix(got, "context: the problem") || !strings.HasSuffix(got, words) {
			t.Errorf("Fix %d: message gives %q, want the error's text, then %q", fix, got, words)
		}
	}
	if words := advice(&runs.Advice{Fix: runs.Fix(n + 1)}); words != "" {
		t.Errorf("Fix %d, past the last constant, has words %q", n+1, words)
	}
}
