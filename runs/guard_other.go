//go:build !unix

package runs

import "os"

// openFlags open a file for reading.
const openFlags = os.O_RDONLY
