package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// loadArg loads a scenario file or a built-in name, as the command does.
func loadArg(arg string) (string, []byte, sim.Config, error) {
	name, src, err := scenarios.Resolve(arg, os.ReadFile)
	if err != nil {
		return "", nil, sim.Config{}, err
	}
	cfg, err := scenarios.Load(name, src)
	return name, src, cfg, err
}

// runFolder makes dir the folder of a run of tiny, as far as Sources
// reads it: its manifest.
func runFolder(t *testing.T, dir string) runs.Manifest {
	t.Helper()
	cfg, err := scenarios.Load(tinyName, []byte(tiny))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	man := runs.NewManifest(runs.Program{Version: "test"}, cfg, []byte(tiny))
	if err := runs.SaveManifest(dir, man); err != nil {
		t.Fatal(err)
	}
	return man
}

// TestSourcesListsGivenSources checks the page's list: given scenarios
// and folders first, then the built-ins not given; without any given, the
// default scenario first.
func TestSourcesListsGivenSources(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	man := runFolder(t, out)
	srcs, err := Sources([]string{"three-hubs", out}, loadArg)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != len(scenarios.List())+1 {
		t.Errorf("%d sources, want the %d built-ins and the folder", len(srcs), len(scenarios.List()))
	}
	if srcs[0].Name != "builtin/three-hubs.yaml" || srcs[1].Name != filepath.Join(out, runs.ManifestName) {
		t.Errorf("first sources %s, %s: want the given ones", srcs[0].Name, srcs[1].Name)
	}
	if want := "tiny (from " + out + ")"; srcs[1].Label != want {
		t.Errorf("the folder is labelled %q, want %q", srcs[1].Label, want)
	}
	// Without any given, the page opens on the default scenario.
	if none, err := Sources(nil, loadArg); err != nil || none[0].Name != "builtin/three-hubs.yaml" {
		t.Errorf("with no scenario given, the first listed is %s (%v), want the default three-hubs", none[0].Name, err)
	}
	cfg, err := scenarios.Load(srcs[1].Name, srcs[1].Src)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, man.Scenario) {
		t.Errorf("the folder's scenario as listed differs from its manifest's")
	}
}

// TestSourcesRefuses checks that a folder without a manifest is bad input
// that names the manifest, and that the loader's errors come back as
// they are.
func TestSourcesRefuses(t *testing.T) {
	dir := t.TempDir()
	_, err := Sources([]string{dir}, loadArg)
	if _, ok := errors.AsType[*BadSourceError](err); !ok || !strings.Contains(err.Error(), dir+" is a folder without a readable "+runs.ManifestName) {
		t.Errorf("a folder without a manifest: %v, want a *BadSourceError that names it and %s", err, runs.ManifestName)
	}
	bad := errors.New("no such scenario")
	_, err = Sources([]string{"nothing"}, func(string) (string, []byte, sim.Config, error) { return "", nil, sim.Config{}, bad })
	if err != bad {
		t.Errorf("a scenario that does not load: %v, want the loader's error %v", err, bad)
	}
}

func TestLoopback(t *testing.T) {
	for _, c := range []struct {
		addr  string
		local bool
		bad   bool
	}{
		{"127.0.0.1:8080", true, false},
		{"127.1.2.3:0", true, false},
		{"[::1]:8080", true, false},
		{"localhost:8080", true, false},
		{":8080", false, false},
		{"0.0.0.0:8080", false, false},
		{"192.0.2.1:8080", false, false},
		{"example.org:8080", false, false},
		{"127.0.0.1", false, true},
	} {
		local, err := Loopback(c.addr)
		if local != c.local || (err != nil) != c.bad {
			t.Errorf("Loopback(%q) = %v, %v; want %v, an error %v", c.addr, local, err, c.local, c.bad)
		}
	}
}

// TestListenBusyPort checks that a port in use is a *PortInUseError that
// names it and the port after it.
func TestListenBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	n, _ := strconv.Atoi(port)
	again, _, err := Listen(ln.Addr().String())
	if err == nil {
		again.Close()
		t.Fatalf("Listen(%s) listens on a port in use", ln.Addr())
	}
	pe, ok := errors.AsType[*PortInUseError](err)
	if !ok || pe.Host != "127.0.0.1" || pe.Port != port || pe.Next != strconv.Itoa(n+1) {
		t.Errorf("Listen(%s): %#v, want a *PortInUseError for 127.0.0.1, port %s, next %d", ln.Addr(), err, port, n+1)
	}
}

// TestListenServesAtTheHostGiven checks the address the page is served
// at: the host as given, a name too, with the port taken.
func TestListenServesAtTheHostGiven(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		ln, served, err := Listen(addr)
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		host, _, _ := net.SplitHostPort(addr)
		if want := net.JoinHostPort(host, port); served != want || port == "0" {
			t.Errorf("Listen(%s) serves at %s, want %s (port taken %s)", addr, served, want, port)
		}
		ln.Close()
	}
}

// TestServeStopsWithItsContext checks that Serve answers until its
// context is done, then returns without an error.
func TestServeStopsWithItsContext(t *testing.T) {
	ln, served, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv, err := New(Options{Sources: []Source{{Name: tinyName, Label: "tiny", Src: []byte(tiny)}}, Run: memRunner, Caps: scenarios.DefaultCaps, Dir: t.TempDir(), Addr: served})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Serve(ctx, ln) }()
	resp, err := http.Get(fmt.Sprintf("http://%s/api/scenarios", ln.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "tiny") {
		t.Errorf("GET /api/scenarios: %d %s, want 200 with tiny", resp.StatusCode, body)
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Errorf("Serve after its context is done: %v, want nil", err)
	}
}
