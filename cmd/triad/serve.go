package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/fit"
	"github.com/triad-sim/triad/internal/serve"
	"github.com/triad-sim/triad/runs"
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
	local, err := loopback(o.addr)
	if err != nil {
		return usagef("serve", "--addr %s: %v", o.addr, err)
	}
	if !local && !o.public {
		return usagef("serve", "--addr %s can be reached from other computers; add --public if that is what you want (anyone who reaches it can run scenarios on this computer)", o.addr)
	}
	sources, err := serveSources(fs.Args())
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
	ln, err := listen(o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	// The page is served at the address given, with the port taken.
	host, _, _ := net.SplitHostPort(o.addr)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	srv, err := serve.New(serve.Options{Sources: sources, Program: e.program(), Workers: o.workers, Caps: scenarios.DefaultCaps, Dir: dir, Addr: net.JoinHostPort(host, port), Posterior: post})
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
	hs := srv.HTTPServer()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case <-e.ctx.Done():
	case err = <-served:
	}
	// Stop the runs first: an event stream ends with its run.
	closeErr := srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(ctx)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return closeErr
}

// wsaeaddrinuse is Windows' error for an address in use, which package
// syscall does not name.
const wsaeaddrinuse = syscall.Errno(10048)

// listen listens on addr; a port in use is an input error that says
// how to choose another.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) || runtime.GOOS == "windows" && errors.Is(err, wsaeaddrinuse) {
		host, port, _ := net.SplitHostPort(addr)
		next := "PORT"
		if n, err := strconv.Atoi(port); err == nil && n > 0 && n < 65535 {
			next = strconv.Itoa(n + 1)
		}
		return nil, &inputError{fmt.Errorf("serve: port %s is in use on %s (by another triad serve, or another program): choose another with --addr %s, or --addr %s to take any free port",
			port, cmp.Or(host, "every interface"), net.JoinHostPort(host, next), net.JoinHostPort(host, "0"))}
	}
	if err != nil {
		return nil, &inputError{fmt.Errorf("serve: %w", err)}
	}
	return ln, nil
}

// loopback reports whether addr (HOST:PORT) listens on the loopback
// interface only.
func loopback(addr string) (bool, error) {
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

// serveSources are the scenarios the page lists: those given (a scenario
// file or built-in name, or the output folder of a run, whose scenario its
// manifest holds), then every built-in not given.
func serveSources(args []string) ([]serve.Source, error) {
	var sources []serve.Source
	given := map[string]bool{}
	for _, arg := range args {
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			man, err := runs.ReadManifest(arg)
			if err != nil {
				return nil, &inputError{fmt.Errorf("%s is a folder without a readable %s: give serve scenarios or output folders: %w", arg, runs.ManifestName, err)}
			}
			src, err := serve.ScenarioYAML(&man.Scenario)
			if err != nil {
				return nil, err
			}
			name := filepath.Join(arg, runs.ManifestName)
			if _, err := scenarios.LoadCapped(name, src, scenarios.DefaultCaps); err != nil {
				return nil, &inputError{err}
			}
			sources = append(sources, serve.Source{Name: name, Label: man.Scenario.Name + " (from " + arg + ")", Description: man.Scenario.Description, Src: src})
			continue
		}
		name, src, cfg, err := loadScenario(arg, false)
		if err != nil {
			return nil, err
		}
		given[name] = true
		sources = append(sources, serve.Source{Name: name, Label: cfg.Name + " (" + arg + ")", Description: cfg.Description, Src: src})
	}
	// The default scenario (the one triad init starts from) comes first
	// of the built-ins: the page opens on the first scenario listed.
	builtins := scenarios.List()
	if i := slices.IndexFunc(builtins, func(in scenarios.Info) bool { return in.Name == scenarios.StarterBase }); i > 0 {
		builtins = append(append([]scenarios.Info{builtins[i]}, builtins[:i]...), builtins[i+1:]...)
	}
	for _, info := range builtins {
		name, src, err := scenarios.Resolve(info.Name, func(string) ([]byte, error) { return nil, os.ErrNotExist })
		if err != nil {
			return nil, err
		}
		if !given[name] {
			sources = append(sources, serve.Source{Name: name, Label: info.Name, Description: info.Description, Src: src})
		}
	}
	return sources, nil
}
