package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// PortInUseError is an address whose port another program (another
// triad serve, or any other) listens on. Next is the port after it, to
// try instead, or "" when there is none (a port that is no number from 1
// to 65534).
type PortInUseError struct {
	Host, Port, Next string
	Err              error
}

func (e *PortInUseError) Error() string { return e.Err.Error() }
func (e *PortInUseError) Unwrap() error { return e.Err }

// wsaeaddrinuse is Windows' error for an address in use, which package
// syscall does not name.
const wsaeaddrinuse = syscall.Errno(10048)

// Listen listens on addr, HOST:PORT (port 0: any free port), and returns
// the address the page is served at, Options.Addr: HOST as given (a name
// such as localhost stays a name), with the port taken. A port in use is a
// *PortInUseError.
func Listen(addr string) (ln net.Listener, served string, err error) {
	ln, err = net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) || runtime.GOOS == "windows" && errors.Is(err, wsaeaddrinuse) {
		host, port, _ := net.SplitHostPort(addr)
		next := ""
		if n, err := strconv.Atoi(port); err == nil && n > 0 && n < 65535 {
			next = strconv.Itoa(n + 1)
		}
		return nil, "", &PortInUseError{Host: host, Port: port, Next: next, Err: err}
	}
	if err != nil {
		return nil, "", err
	}
	host, _, _ := net.SplitHostPort(addr)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return ln, net.JoinHostPort(host, port), nil
}

// Loopback reports whether addr (HOST:PORT) listens on the loopback
// interface only, which other computers cannot reach.
func Loopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// Serve serves the page on ln until ctx is done or the listener fails,
// then stops: the runs first (an event stream ends with its run), then
// the HTTP server, which waits up to 5 seconds for the requests under way.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.HTTPServer()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	closeErr := s.Close()
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(stop)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return closeErr
}
