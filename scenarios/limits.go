package scenarios

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// The limits below bound the work of reading any file, whatever it holds
// (deep nesting, long chains of "- ", aliases that multiply, mappings of
// many keys), and are checked before the work they bound: the bytes are
// counted before they are lexed, the tokens before they are parsed. They
// hold even with NoCaps. The caps of DefaultCaps on a file's bytes and
// tokens bound it further, to under a second and a hundred megabytes for
// any file (docs/SCENARIOS.md gives the measurements). A file beyond a
// limit or a cap is refused with its position, never read in part.
const (
	// MaxSize is the largest scenario file, in bytes, that Load reads.
	// Callers that read files should refuse larger ones before reading.
	MaxSize = 16 << 20
	// maxTokens bounds the YAML tokens of a file, with or without caps:
	// the largest files a scenario needs (20,000 cities) have about
	// 600,000, and a flow list of a million numbers takes half a
	// gigabyte to read.
	maxTokens = 1_000_000
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
	// maxBlockKeys bounds the keys of one block mapping: the YAML parser
	// copies a mapping's entries once per key, at a cost that grows with
	// the square of their number (5,000 keys allocate about 100 MB,
	// 10,000 keys 400 MB, 30,000 keys 3.6 GB).
	maxBlockKeys = 5_000
)

// bom is the UTF-8 byte order mark, which some editors put at the start of
// a file.
var bom = []byte("\xef\xbb\xbf")

// tokenize checks src against the limits above and the caps on bytes and
// tokens, and splits it into YAML tokens, which are linear to find
// whatever the nesting. The error is an Errors value at the first limit
// passed.
func tokenize(name string, src []byte, c Caps) (token.Tokens, error) {
	if len(src) > MaxSize {
		return nil, Errors{{File: name, Line: 1, Col: 1, Msg: fmt.Sprintf("the file has %d bytes, more than the limit of %d for a scenario", len(src), MaxSize)}}
	}
	if c.Bytes > 0 && len(src) > c.Bytes {
		p := positionOf(src, c.Bytes)
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: fmt.Sprintf("the file has %d bytes, more than the cap of %d for a scenario, which bounds the time and memory of reading it; %s lifts it", len(src), c.Bytes, CapFlag)}}
	}
	if bytes.IndexByte(src, 0) >= 0 {
		p := positionOf(src, bytes.IndexByte(src, 0))
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: "the file holds a NUL byte: it is not a text file"}}
	}
	limit, capped := maxTokens, c.Tokens > 0 && c.Tokens < maxTokens
	if capped {
		limit = c.Tokens
	}
	if at := pastTokens(src, limit); at >= 0 {
		p := positionOf(src, at)
		msg := fmt.Sprintf("the file has more than %d YAML tokens, more than any scenario needs", limit)
		if capped {
			msg = fmt.Sprintf("the file has more than %d YAML tokens (keys, values and the : - , [ ] { } between them), the cap for a scenario, which bounds the time and memory of reading it; %s lifts it", limit, CapFlag)
		}
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: msg}}
	}
	tokens := lexer.Tokenize(string(src))
	if len(tokens) > limit { // pastTokens counts at least half as many
		p := tokenPos(tokens[limit])
		msg := fmt.Sprintf("the file has more than %d YAML tokens, more than any scenario needs", limit)
		if capped {
			msg = fmt.Sprintf("the file has more than %d YAML tokens, the cap for a scenario, which bounds the time and memory of reading it; %s lifts it", limit, CapFlag)
		}
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: msg}}
	}
	depth, empty := 0, 0
	var firstEmpty *token.Token
	var keys blockKeys
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
		if depth == 0 && !keys.add(tokens, i) {
			p := tokenPos(tokens[i-1])
			return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: fmt.Sprintf("a mapping has more than %d keys, more than any scenario needs", maxBlockKeys)}}
		}
	}
	if empty*len(tokens) > maxEmptyWork {
		p := tokenPos(firstEmpty)
		return nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: fmt.Sprintf("the file has %d empty values (a key or \"- \" with nothing after it), too many for a file of %d YAML tokens", empty, len(tokens))}}
	}
	return tokens, nil
}

// pastTokens returns the offset in src where its count of YAML tokens
// passes limit, or -1 if it does not. It counts, in one pass that
// allocates nothing: every tab; every run of characters between blanks
// and the indicators , [ ] { } and ":"; each of those indicators; and each
// other indicator (& * ! | > % " ' @ `: of an anchor, an alias, a tag, a
// block scalar, a directive, a quote) once more, wherever it stands. That
// is about as many as the lexer finds in a scenario, more in text (a
// quoted text or a comment of several words counts a token a word), and
// at least half as many in any file (the lexer adds empty tokens around
// some block scalars), as FuzzLoad holds: the lexer is never given a file
// of more than twice the limit.
func pastTokens(src []byte, limit int) int {
	n, inRun := 0, false
	for i, b := range src {
		switch b {
		case ' ', '\r', '\n':
			inRun = false
			continue
		case '\t':
			// A tab where YAML wants spaces is a token of its own.
			inRun = false
			n++
		case ',', '[', ']', '{', '}':
			inRun = false
			n++
		case ':':
			// The indicator, and in a flow collection ({0:0}) the end
			// of the run before it and the start of another.
			inRun = false
			n++
		default:
			switch b {
			case '&', '*', '!', '|', '>', '%', '"', '\'', '@', '`':
				n++ // an indicator, which may stand before another token
			}
			if !inRun {
				inRun = true
				n++
			}
		}
		if n > limit {
			return i
		}
	}
	return -1
}

// blockKeys counts the keys of the block mappings open at each column
// as tokens outside flow collections go by.
type blockKeys struct {
	// cols holds the columns of the open mappings, innermost last, and
	// counts the keys of each.
	cols, counts []int
}

// add takes tokens[i] and reports whether every open mapping still has
// at most maxBlockKeys keys. A ":" counts a key at the column of the
// token before it, a "- " closes the mappings right of it; a key closes
// those right of its own column.
func (k *blockKeys) add(tokens token.Tokens, i int) bool {
	tk := tokens[i]
	if tk.Position == nil {
		return true
	}
	col := 0
	switch {
	case tk.Type == token.SequenceEntryType:
		k.close(tk.Position.Column)
		return true
	case tk.Type == token.MappingValueType && i > 0 && tokens[i-1].Position != nil:
		col = tokens[i-1].Position.Column
	default:
		return true
	}
	k.close(col)
	if n := len(k.cols); n == 0 || k.cols[n-1] != col {
		k.cols = append(k.cols, col)
		k.counts = append(k.counts, 0)
	}
	k.counts[len(k.counts)-1]++
	return k.counts[len(k.counts)-1] <= maxBlockKeys
}

// close forgets the mappings open right of column col.
func (k *blockKeys) close(col int) {
	for n := len(k.cols); n > 0 && k.cols[n-1] > col; n-- {
		k.cols, k.counts = k.cols[:n-1], k.counts[:n-1]
	}
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

// positionOf returns the line and column (in characters, 1-based) of
// offset i of src.
func positionOf(src []byte, i int) pos {
	line := 1 + bytes.Count(src[:i], []byte("\n"))
	return pos{line, utf8.RuneCount(src[bytes.LastIndexByte(src[:i], '\n')+1:i]) + 1}
}
