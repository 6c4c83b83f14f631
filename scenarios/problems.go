package scenarios

import (
	"errors"
	"fmt"
	"strings"
)

// Problems returns the problems of err: its Errors when it holds them,
// else err as one problem of file, without a position.
func Problems(err error, file string) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	return Errors{{File: file, Msg: err.Error()}}
}

// Listing returns the first MaxShown problems of es, each on its line
// followed by its snippet of src (see Error.Snippet), then how many more
// there are, as `triad validate` shows them.
func (es Errors) Listing(src []byte) string {
	var b strings.Builder
	for i, e := range es {
		if i == MaxShown {
			fmt.Fprintf(&b, "and %d more\n", len(es)-i)
			break
		}
		b.WriteString(e.Error() + "\n")
		b.WriteString(e.Snippet(src))
	}
	return b.String()
}
