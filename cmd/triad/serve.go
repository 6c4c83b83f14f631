package main

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/fit"
	"github.com/triad-sim/triad/internal/serve"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// serveOptions are the flags of `triad serve`.
type serveOptions struct {
	addr      string
	public    bool
	workers   int
	posterior string
}

func (o *serveOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on, HOST:PORT (port 0: any free port)")
	fs.BoolVar(&o.public, "public", false, "allow an address other computers can reach (the page has no password)")
	fs.IntVarP(&o.workers, "workers", "w", runtime.GOMAXPROCS(0), "goroutines per run; never changes the numbers")
	fs.StringVar(&o.posterior, "posterior", "", "make every run a posterior predictive run: each replicate draws the fitted parameters from the fit in this folder")
}

func (o *serveOptions) execute(e *env, fs *pflag.FlagSet) error {
	if o.workers < 1 {
		return usagef("serve", "--workers must be at least 1, got %d", o.workers)
	}
	local, err := serve.Loopback(o.addr)
	if err != nil {
		return usagef("serve", "--addr %s: %v", o.addr, err)
	}
	if !local && !o.public {
		return usagef("serve", "--addr %s can be reached from other computers; add --public if that is what you want (anyone who reaches it can run scenarios on this computer)", o.addr)
	}
	sources, err := serve.Sources(fs.Args(), func(arg string) (string, []byte, sim.Config, error) { return loadScenario(arg, false) })
	if _, ok := errors.AsType[*serve.BadSourceError](err); ok {
		return &inputError{err}
	}
	if err != nil {
		return err
	}
	var post *sim.Posterior
	if o.posterior != "" {
		if post, err = fit.ReadPosterior(o.posterior); err != nil {
			return &inputError{fmt.Errorf("--posterior: %w", err)}
		}
	}
	dir, err := os.MkdirTemp("", "triad-serve-")
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer os.RemoveAll(dir)
	ln, served, err := listen(o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	srv, err := serve.New(serve.Options{Sources: sources, Program: e.program(), Workers: o.workers, Caps: scenarios.DefaultCaps, Dir: dir, Addr: served, Posterior: post})
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String() + "/"
	if local {
		fmt.Fprintf(e.stdout, "triad explorer: open %s in a browser\nlocal only: other computers cannot reach it. Stop with Ctrl-C.\n", url)
	} else {
		fmt.Fprintf(e.stderr, "triad serve: warning: %s can be reached from other computers; anyone who reaches it can run scenarios here, and the page has no password\n", ln.Addr())
		fmt.Fprintf(e.stdout, "triad explorer: open %s in a browser. Stop with Ctrl-C.\n", url)
	}
	return srv.Serve(e.ctx, ln)
}

// listen listens on addr (see serve.Listen); a port in use is an input
// error that says how to choose another.
func listen(addr string) (net.Listener, string, error) {
	ln, served, err := serve.Listen(addr)
	if pe, ok := errors.AsType[*serve.PortInUseError](err); ok {
		return nil, "", &inputError{fmt.Errorf("serve: port %s is in use on %s (by another triad serve, or another program): choose another with --addr %s, or --addr %s to take any free port",
			pe.Port, cmp.Or(pe.Host, "every interface"), net.JoinHostPort(pe.Host, cmp.Or(pe.Next, "PORT")), net.JoinHostPort(pe.Host, "0"))}
	}
	if err != nil {
		return nil, "", &inputError{fmt.Errorf("serve: %w", err)}
	}
	return ln, served, nil
}
