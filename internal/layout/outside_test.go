package layout_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// outsideWorld are the calls through which a package would read the
// environment, the machine or the clock, by package and name.
var outsideWorld = map[string]map[string]bool{
	"os":   {"Getenv": true, "LookupEnv": true, "Environ": true, "Hostname": true, "UserHomeDir": true, "Args": true},
	"time": {"Now": true, "Since": true, "Until": true},
}

// TestRunsTakesTheOutsideWorldAsArguments checks that package runs (the
// output folder's protocol) never reads the environment, the host name, the
// home folder, the command line or the clock itself: the command passes
// them in, so that a folder's files depend only on what it was given.
func TestRunsTakesTheOutsideWorldAsArguments(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "runs", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files of package runs: %v", err)
	}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && outsideWorld[pkg.Name][sel.Sel.Name] {
				t.Errorf("%s: runs calls %s.%s: the command passes that in", fset.Position(sel.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
}
