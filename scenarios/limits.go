package scenarios

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// The limits below bound the work of reading any file, whatever it holds,
// to well under a second and a hundred megabytes for every hostile input
// we know of (deep nesting, long chains of "- ", aliases that multiply).
// They are far above what a scenario needs: the largest scenario within
// DefaultCaps takes a few megabytes. A file beyond a limit is refused with
// its position, never read in part.
const (
	// MaxSize is the largest scenario file, in bytes, that Load reads.
	// Callers that read files should refuse larger ones before reading.
	MaxSize = 16 << 20
	// maxTokens bounds the YAML tokens of a file.
	maxTokens = 3_000_000
	// maxNesting bounds how deeply flow collections ([ ] and { }) nest.
	maxNesting = 64
	// maxColumn bounds the column of the indicators of block collections
	// ("- ", "key:", "? "): nesting blocks costs a column per level at
	// least, and the YAML parser's cost grows with the square of the depth.
	maxColumn = 400
	// maxEmptyWork bounds empty values × tokens: the YAML parser inserts a
	// token into its list for each empty value ("key:" or "- " with
	// nothing after it), at a cost that grows with the file.
	maxEmptyWork = 200_000_000
)

// bom is the UTF-8 byte order mark, which some editors put at the start of
// a file.
var bom = []byte("\xef\xbb\xbf")

// tokenize checks src against the limits above and splits it into YAML
// tokens, which are linear to find whatever the nesting. The error is an
// Errors value at the first limit passed.
func tokenize(name string, src []byte) (token.Tokens, error) {
	if len(src) > MaxSize {
		return nil, Errors{{File: name, Line: 1, Col: 1, Msg: fmt.Sprintf("the file has %d bytes, more than the limit of %d for a scenario", len(src), MaxSize)}}
	}
	if bytes.IndexByte(src, 0) >= 0 {
		p := positionOf(src, bytes.IndexByte(src, 0))
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: "the file holds a NUL byte: it is not a text file"}}
	}
	tokens := lexer.Tokenize(string(src))
	if len(tokens) > maxTokens {
		p := tokenPos(tokens[maxTokens])
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: fmt.Sprintf("the file has more than %d YAML tokens, more than any scenario needs", maxTokens)}}
	}
	depth, empty := 0, 0
	var firstEmpty *token.Token
	for i, tk := range tokens {
		if depth == 0 && isEmptyValue(tokens, i) {
			if empty++; firstEmpty == nil {
				firstEmpty = tk
			}
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
			if depth > maxNesting {
				p := tokenPos(tk)
				return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: fmt.Sprintf("lists and mappings nested more than %d deep, more than any scenario needs", maxNesting)}}
			}
		case token.SequenceEndType, token.MappingEndType:
			depth = max(depth-1, 0)
		case token.SequenceEntryType, token.MappingKeyType, token.MappingValueType:
			if depth == 0 && tk.Position != nil && tk.Position.Column > maxColumn {
				p := tokenPos(tk)
				return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: fmt.Sprintf("a list or mapping starts at column %d, nested more deeply than any scenario needs (the limit is column %d)", p.col, maxColumn)}}
			}
		}
	}
	if empty*len(tokens) > maxEmptyWork {
		p := tokenPos(firstEmpty)
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: fmt.Sprintf("the file has %d empty values (a key or \"- \" with nothing after it), too many for a file of %d YAML tokens", empty, len(tokens))}}
	}
	return tokens, nil
}

// isEmptyValue reports whether tokens[i] is a "- " or a "key:" of a block
// collection with no value after it: the next token (comments aside)
// starts a later line no further right than the entry or key.
func isEmptyValue(tokens token.Tokens, i int) bool {
	tk := tokens[i]
	col := 0
	switch {
	case tk.Type == token.SequenceEntryType && tk.Position != nil:
		col = tk.Position.Column
	case tk.Type == token.MappingValueType && i > 0 && tokens[i-1].Position != nil:
		col = tokens[i-1].Position.Column
	default:
		return false
	}
	for _, next := range tokens[i+1:] {
		if next.Type == token.CommentType {
			continue
		}
		if next.Position == nil || tk.Position == nil || next.Position.Line <= tk.Position.Line {
			return false
		}
		// "key:" then "- " at the key's column is the key's list.
		if tk.Type == token.MappingValueType && next.Type == token.SequenceEntryType && next.Position.Column == col {
			return false
		}
		return next.Position.Column <= col
	}
	return true
}

// positionOf returns the line and column (in bytes, 1-based) of offset i of
// src.
func positionOf(src []byte, i int) pos {
	line := 1 + bytes.Count(src[:i], []byte("\n"))
	return pos{line, i - (bytes.LastIndexByte(src[:i], '\n') + 1) + 1}
}
