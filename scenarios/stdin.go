package scenarios

import (
	"fmt"
	"io"
)

// StdinName names a scenario read from the standard input in messages.
const StdinName = "<stdin>"

// ReadStdin reads a scenario from the standard input r (nil when there is
// none), with the size limit of a scenario file.
func ReadStdin(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("%s: no standard input", StdinName)
	}
	src, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", StdinName, err)
	}
	if len(src) > MaxSize {
		return nil, fmt.Errorf("%s has more than %d bytes, the limit for a scenario", StdinName, MaxSize)
	}
	return src, nil
}
