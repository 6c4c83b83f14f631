//go:build unix

package runs

import (
	"os"
	"syscall"
)

// openFlags open a file for reading without waiting: a named pipe opened
// this way does not block its opener until a writer comes.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
