package layout_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// carriageReturns lists the files allowed a "\r" in a literal, each with
// the reason. Go writes "\n" alone on every platform (fmt, encoding/csv
// without UseCRLF, encoding/json), so a "\r" elsewhere would put a Windows
// line ending into a file.
var carriageReturns = map[string]string{
	"output/progress.go":  "redraws the progress line on a terminal's standard error, never a file",
	"output/chart/png.go": "the PNG signature, bytes of a binary format",
	"output/checkmd.go":   "replaces the line breaks of a table cell, \\r among them, with spaces",
	"scenarios/errors.go": "trims the \\r of a CRLF scenario file from the line an error quotes",
	"scenarios/limits.go": "reads a scenario's bytes, where the \\r of a CRLF file is a blank between tokens",
}

// contentPackages compute what goes into the files and never touch the
// file system: they have no business with the platform's paths.
var contentPackages = []string{"sim", "output", "internal/calibrate", "internal/portable"}

// TestFileContentsAreTheSameOnWindows checks the source for what would
// make a file written on Windows differ from the same file written on
// Linux: a carriage return in a literal; in the packages that compute the
// files' contents, any use of path/filepath but filepath.Ext (whose
// results carry the platform's separator) or of os.PathSeparator; and in
// runs and cmd/triad, a file list of a manifest (a map named hashes or
// files, or a Files field) keyed by a path built with path/filepath
// without filepath.ToSlash. The release builds for windows/amd64 (make
// dist), so the rest compiles there.
func TestFileContentsAreTheSameOnWindows(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || name == "out" || name == "dist") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		pkg := filepath.ToSlash(filepath.Dir(rel))
		content := false
		for _, p := range contentPackages {
			content = content || pkg == p || strings.HasPrefix(pkg, p+"/")
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING && n.Kind != token.CHAR {
					return true
				}
				v := n.Value
				if n.Kind == token.STRING {
					v, _ = strconv.Unquote(n.Value)
				}
				if strings.Contains(v, "\r") || n.Kind == token.CHAR && n.Value == `'\r'` {
					if _, ok := carriageReturns[rel]; !ok {
						t.Errorf("%s: a carriage return in %s: files end their lines with \\n alone", fset.Position(n.Pos()), n.Value)
					}
				}
			case *ast.SelectorExpr:
				id, ok := n.X.(*ast.Ident)
				if !ok || !content {
					return true
				}
				switch {
				case id.Name == "filepath" && n.Sel.Name != "Ext",
					id.Name == "os" && (n.Sel.Name == "PathSeparator" || n.Sel.Name == "PathListSeparator"):
					t.Errorf("%s: %s uses %s.%s: what it computes goes into files, which must not depend on the platform's paths", fset.Position(n.Pos()), pkg, id.Name, n.Sel.Name)
				}
			case *ast.FuncDecl:
				if (pkg == "runs" || pkg == "cmd/triad") && n.Body != nil {
					for _, pos := range platformKeys(n.Body) {
						t.Errorf("%s: a manifest's file list is keyed by a path of the platform: wrap it in filepath.ToSlash", fset.Position(pos))
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files", checked)
	}
}

// isFileList says whether e names a manifest's list of files: a variable
// hashes or files, or a field Files.
func isFileList(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "hashes" || e.Name == "files"
	case *ast.SelectorExpr:
		return e.Sel.Name == "Files"
	}
	return false
}

// platformKeys returns where body stores into a manifest's file list
// under a key built with path/filepath (directly, or through a variable
// assigned in body) without filepath.ToSlash.
func platformKeys(body *ast.BlockStmt) []token.Pos {
	assigned := map[string][]ast.Expr{}
	ast.Inspect(body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok && len(a.Lhs) == len(a.Rhs) {
			for i, lhs := range a.Lhs {
				if id, ok := lhs.(*ast.Ident); ok {
					assigned[id.Name] = append(assigned[id.Name], a.Rhs[i])
				}
			}
		}
		return true
	})
	var found []token.Pos
	ast.Inspect(body, func(n ast.Node) bool {
		a, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for _, lhs := range a.Lhs {
			ix, ok := lhs.(*ast.IndexExpr)
			if !ok || !isFileList(ix.X) {
				continue
			}
			key := []ast.Expr{ix.Index}
			if id, ok := ix.Index.(*ast.Ident); ok {
				key = assigned[id.Name]
			}
			for _, k := range key {
				if builtByFilepath(k) {
					found = append(found, ix.Pos())
				}
			}
		}
		return true
	})
	return found
}

// builtByFilepath says whether e calls a path/filepath function other than
// ToSlash outside a call of filepath.ToSlash.
func builtByFilepath(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == "filepath" {
			if sel.Sel.Name == "ToSlash" {
				return false
			}
			found = true
		}
		return true
	})
	return found
}
