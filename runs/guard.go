package runs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Every file triad reads goes through ReadFile (or, for a file only
// hashed, openRegular): only a regular file is opened, and no more than the
// cap of its kind is read, so that reading takes bounded time and memory
// whatever is at the path. The caps are far above the sizes triad writes;
// docs/CLI.md lists them.
const (
	// MaxManifestSize caps manifest.json: the largest built-in's is 12
	// KB, and it holds the resolved scenario, whose file is capped at
	// 16 MiB.
	MaxManifestSize = 64 << 20
	// minRunFileCap caps a run file of any scenario (three-hubs' are 26
	// KB); a scenario whose runs can be larger raises the cap to what
	// they can hold (see RunFileCap).
	minRunFileCap = 64 << 20
	// minResultCap caps each of summary.json, sensitivity.json,
	// compare.json and a chart (connector-sweep's summary.json is 135 KB,
	// its largest chart 34 KB); a sweep whose results can be larger
	// raises the cap (see ResultCap).
	minResultCap = 64 << 20
)

// ReadFile reads the whole file at path, a file of the kind what names
// ("a manifest", "a run file"), of at most max bytes. It reads only a
// regular file (a link to one is followed): a folder, a named pipe, a
// device such as /dev/zero or a socket is refused before a byte is read, so
// that reading never blocks or goes on without end, and a file larger than
// max is refused unread. Such an error wraps ErrBadFile and names the
// file, its kind and the cap. A missing file gives an error for which
// errors.Is(err, fs.ErrNotExist) holds; any other failure wraps
// ErrInaccessible.
func ReadFile(path, what string, max int64) ([]byte, error) {
	f, err := openRegular(path, what, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may grow between the look and the read.
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, mark(fmt.Errorf("read %s: %w", path, err), ErrInaccessible)
	}
	if int64(len(b)) > max {
		return nil, mark(fmt.Errorf("%s has more than %s, the cap on %s", path, Size(max), what), ErrBadFile)
	}
	return b, nil
}

// openRegular opens the file at path for reading when it is a regular
// file of at most max bytes (any size when max < 0), as ReadFile says. It
// looks before it opens, opens without waiting for a writer (a named pipe
// put in place between the look and the open does not block) and looks
// again at what it opened.
func openRegular(path, what string, max int64) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, mark(err, ErrInaccessible)
	}
	if err := isRegular(path, what, st, max); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, mark(err, ErrInaccessible)
	}
	if st, err = f.Stat(); err != nil {
		f.Close()
		return nil, mark(err, ErrInaccessible)
	}
	if err := isRegular(path, what, st, max); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// isRegular returns nil when st, the file at path, is a regular file of at
// most max bytes (any size when max < 0), and otherwise an error wrapping
// ErrBadFile that says what it is.
func isRegular(path, what string, st fs.FileInfo, max int64) error {
	m := st.Mode()
	var is string
	switch {
	case m.IsRegular():
		if max >= 0 && st.Size() > max {
			return mark(fmt.Errorf("%s has %d bytes, more than %s, the cap on %s", path, st.Size(), Size(max), what), ErrBadFile)
		}
		return nil
	case m.IsDir():
		return mark(fmt.Errorf("%s is a folder, not %s", path, what), ErrBadFile)
	case m&fs.ModeNamedPipe != 0:
		is = "a named pipe"
	case m&fs.ModeSocket != 0:
		is = "a socket"
	case m&fs.ModeDevice != 0:
		is = "a device"
	default:
		is = "not a regular file"
	}
	return mark(fmt.Errorf("%s is %s, not %s: triad reads only regular files", path, is, what), ErrBadFile)
}

// Size writes a number of bytes for people: "64 MiB", "16 KiB", "900 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
