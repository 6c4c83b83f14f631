package scenarios

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// oldNames maps a top-level field's old name, which files written before
// the rename still use and Load still reads, to its name.
var oldNames = map[string]string{
	"replicates": "replications",
}

// renameOld renames the top-level keys of body that carry an old name
// (see oldNames) to their new name, in place, before the file is indexed
// and decoded. It returns a note for every key renamed, and a problem for
// an old name given beside its new one.
func renameOld(name string, body ast.Node) (notes, problems Errors) {
	var values []*ast.MappingValueNode
	switch n := body.(type) {
	case *ast.MappingNode:
		values = n.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{n}
	}
	given := map[string]bool{}
	for _, mv := range values {
		if mv != nil && mv.Key != nil {
			given[keyString(mv.Key)] = true
		}
	}
	for _, mv := range values {
		if mv == nil || mv.Key == nil {
			continue
		}
		s, ok := mv.Key.(*ast.StringNode)
		if !ok {
			continue
		}
		newName, ok := oldNames[s.Value]
		if !ok {
			continue
		}
		p := tokenPos(s.GetToken())
		if given[newName] {
			problems = append(problems, Error{File: name, Line: p.line, Col: p.col, Field: s.Value,
				Msg: fmt.Sprintf("is the old name of %s, which the file gives too; keep %s", newName, newName)})
			continue
		}
		notes = append(notes, Error{File: name, Line: p.line, Col: p.col, Field: s.Value,
			Msg: fmt.Sprintf("read as %s, its new name; rename it (the old name is still read)", newName)})
		s.Value = newName
		if tk := s.GetToken(); tk != nil {
			tk.Value = newName
		}
	}
	return notes, problems
}
