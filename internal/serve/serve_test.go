package serve

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// tiny is a small scenario for runs that take milliseconds.
const tiny = `name: tiny
seed: 7
steps: 30
replications: 4
diffusion: {k: 4, q: 0.3}
regions:
  - id: lab
    role: source
    p: 0.01
    cities: [{id: labcity, labs: 5, firms: 60, research: 0.05}]
  - id: mkt
    role: accelerator
    p: 0.02
    pull: 2
    cities: [{id: mktcity, firms: 80, transform: 0.3}]
links:
  - between: [lab, mkt]
    friction: 0.2
    coupling: 0.5
`

const tinyName = "tiny.yaml"

// memRunner runs in memory with sim.RunTasks and writes one file into the
// folder, standing in for the command's runner.
func memRunner(ctx context.Context, dir string, src []byte, cfg sim.Config, p Progress) ([]*sim.RunResult, error) {
	runs, err := sim.RunTasks(ctx, cfg, cfg.Tasks(), sim.Options{Workers: 1, Done: p.Done, Observe: p.Step, ObserveCities: p.Cities})
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario.yaml"), src, 0o644); err != nil {
		return nil, err
	}
	return runs, nil
}

// blockRunner holds every run until its context is cancelled or release
// is closed.
type blockRunner struct{ started, release chan struct{} }

func newBlockRunner() *blockRunner {
	return &blockRunner{started: make(chan struct{}, 100), release: make(chan struct{})}
}

func (b *blockRunner) run(ctx context.Context, dir string, src []byte, cfg sim.Config, p Progress) ([]*sim.RunResult, error) {
	b.started <- struct{}{}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-b.release:
		return memRunner(ctx, dir, src, cfg, p)
	}
}

func newTestServer(t *testing.T, run Runner, running, waiting int) *httptest.Server {
	t.Helper()
	ts, _ := startServer(t, Options{Run: run, MaxRunning: running, MaxWaiting: waiting})
	return ts
}

// startServer serves a Server of opts on 127.0.0.1, as the command does
// (its Addr and its HTTPServer), with tiny as its scenario, the default
// caps and a temporary folder unless opts sets them.
func startServer(t *testing.T, opts Options) (*httptest.Server, *Server) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	if opts.Sources == nil {
		opts.Sources = []Source{{Name: tinyName, Label: "tiny", Src: []byte(tiny)}}
	}
	if opts.Caps == (scenarios.Caps{}) {
		opts.Caps = scenarios.DefaultCaps
	}
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	opts.Addr = ts.Listener.Addr().String()
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config = srv.HTTPServer()
	ts.Start()
	t.Cleanup(func() {
		ts.CloseClientConnections()
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
		ts.Close()
	})
	return ts, srv
}

// originOf returns the origin of a URL, as a browser sends it.
func originOf(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Scheme + "://" + u.Host
}

// post sends v as JSON from the server's own page and decodes the answer
// into a map.
func post(t *testing.T, url string, v any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(v)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", originOf(t, url))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	body, _ := io.ReadAll(resp.Body)
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: %v: %s", url, err, body)
		}
	}
	return resp.StatusCode, m
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// event is one server-sent event.
type event struct {
	name string
	data []byte
}

// events reads the event stream of run id to its end.
func events(t *testing.T, base, id string) []event {
	t.Helper()
	resp, err := http.Get(base + "/api/runs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events of %s: content type %q", id, ct)
	}
	var evs []event
	var cur event
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = []byte(strings.TrimPrefix(line, "data: "))
		case line == "":
			evs = append(evs, cur)
			cur = event{}
		}
	}
	return evs
}

func start(t *testing.T, base string, req request) (int, map[string]any) {
	t.Helper()
	if req.Scenario == "" {
		req.Scenario = tinyName
	}
	return post(t, base+"/api/runs", req)
}

func TestScenarioViewUsesTheParameterTable(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	code, body := get(t, ts.URL+"/api/scenario?name="+tinyName)
	if code != http.StatusOK {
		t.Fatalf("GET scenario: %d %s", code, body)
	}
	var v scenarioView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if v.StepUnit != "step" || v.StepUnits != "steps" {
		t.Errorf("a scenario without step_unit has units %q and %q, want step and steps", v.StepUnit, v.StepUnits)
	}
	want := map[string]string{}
	for _, p := range sim.Params {
		want[p.Scope.String()+"/"+p.Name] = p.Doc
	}
	paths := map[string]paramView{}
	for _, p := range append(v.Settings, v.Params...) {
		paths[p.Path] = p
	}
	for _, c := range []struct{ path, key, value, rng string }{
		{"regions.mkt.p", "region/p", "0.02", "[0, 1]"},
		{"regions.lab.reach", "region/reach", "0.1", "[0, 1]"},
		{"regions.mkt.pull", "region/pull", "2", "[0, ∞)"},
		{"links.lab-mkt.friction", "link/friction", "0.2", "[0, 1)"},
		{"links.lab-mkt.coupling", "link/coupling", "0.5", "[0, ∞)"},
		{"diffusion.q", "scenario/diffusion.q", "0.3", "[0, 1]"},
		{"replications", "scenario/replications", "4", "[1, 100000]"},
		{"steps", "scenario/steps", "30", ""},
		{"seed", "", "7", "[0, 2⁶⁴)"},
	} {
		p, ok := paths[c.path]
		switch {
		case !ok:
			t.Errorf("no field for %s", c.path)
		case p.Value != c.value:
			t.Errorf("%s: value %s, want %s", c.path, p.Value, c.value)
		case c.key != "" && p.Doc != want[c.key]:
			t.Errorf("%s: doc %q, want sim.Params' %q", c.path, p.Doc, want[c.key])
		case c.rng != "" && p.Range != c.rng:
			t.Errorf("%s: range %s, want %s", c.path, p.Range, c.rng)
		}
	}
	if len(v.Regions) != 2 || v.Regions[0].Firms != 60 || v.Regions[0].Labs != 5 || v.Regions[1].Role != "accelerator" {
		t.Errorf("regions of the map: %+v", v.Regions)
	}
	if len(v.Links) != 1 || v.Links[0].Coupling != 0.5 {
		t.Errorf("links of the map: %+v", v.Links)
	}
}

// TestBadInput checks that bad requests get the messages the command gives
// for the same mistakes, and that the caps hold.
func TestBadInput(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	badYAML := strings.Replace(tiny, "pull: 2", "pull: -1", 1)
	_, loadErr := scenarios.Load(tinyName, []byte(badYAML))
	cfg, _ := scenarios.Load(tinyName, []byte(tiny))
	setErr := scenarios.Set(&cfg, []string{"regions.mkt.p=1.5"})
	for _, c := range []struct {
		name string
		req  request
		want []string // in the message, in order
		line int      // the first problem's line (0: none)
	}{
		{"bad YAML is positioned as by validate", request{YAML: badYAML}, []string{loadErr.Error(), "\n    pull: -1\n", "^"}, 14},
		{"a bad --set gets run's message", request{Sets: []string{"regions.mkt.p=1.5"}}, []string{overrides, setErr.Error()}, 0},
		{"an unknown parameter", request{Sets: []string{"regions.mkt.pp=1"}}, []string{`--set regions.mkt.pp=1: regions have no parameter "pp"`}, 0},
		{"replications over the cap", request{Replications: 20000}, []string{"20000 replications is more than the cap of 10000", scenarios.CapFlag}, 0},
		{"firms over the cap", request{Sets: []string{"cities.mktcity.firms=3000000"}}, []string{"more than the cap of 2000000", scenarios.CapFlag}, 0},
		{"a seed that is no number", request{Seed: "12x"}, []string{`seed: "12x" is not a whole number`}, 0},
		{"a scenario not listed", request{Scenario: "nope.yaml"}, []string{`no scenario "nope.yaml"`}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, path := range []string{"/api/check", "/api/runs", "/api/yaml"} {
				c.req.Tab = "t-" + c.name
				if c.req.Scenario == "" {
					c.req.Scenario = tinyName
				}
				code, m := post(t, ts.URL+path, c.req)
				if code != http.StatusBadRequest {
					t.Fatalf("%s: status %d, want 400 (%v)", path, code, m)
				}
				msg, _ := m["error"].(string)
				rest := msg
				for _, w := range c.want {
					i := strings.Index(rest, w)
					if i < 0 {
						t.Fatalf("%s: message\n%s\nlacks %q", path, msg, w)
					}
					rest = rest[i+len(w):]
				}
				if c.line > 0 {
					probs, _ := m["problems"].([]any)
					first, _ := probs[0].(map[string]any)
					if first["line"] != float64(c.line) || first["file"] != tinyName {
						t.Errorf("%s: first problem %v, want %s line %d", path, first, tinyName, c.line)
					}
				}
			}
		})
	}
	// A request from another site's page, or not as JSON.
	for _, c := range []struct {
		name, origin, ctype string
		want                int
	}{
		{"another origin", "http://evil.example", "application/json", http.StatusForbidden},
		{"a form", ts.URL, "text/plain", http.StatusBadRequest},
		{"the page itself", ts.URL, "application/json", http.StatusOK},
	} {
		req, _ := http.NewRequest("POST", ts.URL+"/api/check", strings.NewReader(`{"tab":"x","scenario":"tiny.yaml"}`))
		req.Header.Set("Content-Type", c.ctype)
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
		}
	}
	// A body that is not the request.
	if code, m := post(t, ts.URL+"/api/check", map[string]any{"tab": "x", "bogus": 1}); code != http.StatusBadRequest {
		t.Errorf("unknown field: status %d, want 400 (%v)", code, m)
	}
}

// TestRunStreamsTheEngine runs tiny with a change and checks the stream:
// progress with partial curves, then results equal to those of sim.Run
// over the same config, summarized by output as triad run does.
func TestRunStreamsTheEngine(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	code, m := start(t, ts.URL, request{Tab: "a", Sets: []string{"regions.mkt.p=0.05"}, Replications: 6, Seed: "99"})
	if code != http.StatusAccepted {
		t.Fatalf("start: %d %v", code, m)
	}
	id := m["id"].(string)
	evs := events(t, ts.URL, id)
	if len(evs) < 2 || evs[len(evs)-1].name != "done" {
		t.Fatalf("events end with %v, want done", evs[len(evs)-1].name)
	}
	for _, e := range evs[:len(evs)-1] {
		if e.name != "progress" {
			t.Errorf("event %s before the end, want progress", e.name)
		}
	}
	var res struct {
		Headline string
		Bands    bandsView
		Summary  []struct {
			Metric, Region string
			Mean           *float64
		}
	}
	if err := json.Unmarshal(evs[len(evs)-1].data, &res); err != nil {
		t.Fatal(err)
	}

	cfg, err := scenarios.Load(tinyName, []byte(tiny))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seed, cfg.Replicates = 99, 6
	if err := scenarios.Set(&cfg, []string{"regions.mkt.p=0.05"}); err != nil {
		t.Fatal(err)
	}
	want, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := output.Headline(&b, want, output.Summarize(want.Regions, want.Runs)); err != nil {
		t.Fatal(err)
	}
	if res.Headline != b.String() {
		t.Errorf("headline:\n%s\nwant\n%s", res.Headline, b.String())
	}
	if res.Bands.Runs != 6 || len(res.Bands.Steps) != 30 {
		t.Errorf("bands over %d runs and %d steps, want 6 and 30", res.Bands.Runs, len(res.Bands.Steps))
	}
	bands := output.Bands(want)
	for r, band := range bands {
		for k, mean := range band.Mean {
			if float64(res.Bands.Regions[r].Mean[k]) != mean {
				t.Fatalf("band of %s at step %d: %v, want %v", band.Region, k, res.Bands.Regions[r].Mean[k], mean)
			}
		}
	}
	// The YAML of the edited scenario loads back into the config run.
	b.Reset()
	body, _ := json.Marshal(request{Scenario: tinyName, Sets: []string{"regions.mkt.p=0.05"}, Replications: 6, Seed: "99"})
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/yaml", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	back, err := scenarios.Load(tinyName, src)
	if err != nil {
		t.Fatalf("the downloaded YAML does not load: %v\n%s", err, src)
	}
	if !reflect.DeepEqual(back, cfg) {
		t.Errorf("the downloaded YAML loads into\n%+v\nwant\n%+v", back, cfg)
	}
	// The folder, as a zip.
	code, zb := get(t, ts.URL+"/api/runs/"+id+"/zip")
	if code != http.StatusOK {
		t.Fatalf("zip: %d %s", code, zb)
	}
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "tiny-"+id+"/scenario.yaml" {
		t.Errorf("zip holds %v, want tiny-%s/scenario.yaml", zr.File, id)
	}
}

func TestOneRunPerTabAndABoundedQueue(t *testing.T) {
	br := newBlockRunner()
	ts := newTestServer(t, br.run, 1, 1)
	code, a := start(t, ts.URL, request{Tab: "a"})
	if code != http.StatusAccepted {
		t.Fatalf("tab a: %d %v", code, a)
	}
	<-br.started
	if code, m := start(t, ts.URL, request{Tab: "a"}); code != http.StatusConflict {
		t.Errorf("a second run of tab a: %d %v, want 409", code, m)
	}
	if code, m := start(t, ts.URL, request{Tab: "b"}); code != http.StatusAccepted {
		t.Errorf("tab b, to the queue: %d %v, want 202", code, m)
	}
	code, m := start(t, ts.URL, request{Tab: "c"})
	if code != http.StatusServiceUnavailable || !strings.Contains(m["error"].(string), "busy") {
		t.Errorf("tab c beyond 1 running and 1 waiting: %d %v, want 503 saying busy", code, m)
	}
	// Cancelling a's run frees its place and its tab.
	if code, m := post(t, ts.URL+"/api/runs/"+a["id"].(string)+"/cancel", nil); code != http.StatusOK {
		t.Fatalf("cancel: %d %v", code, m)
	}
	evs := events(t, ts.URL, a["id"].(string))
	if last := evs[len(evs)-1].name; last != "cancelled" {
		t.Errorf("the cancelled run's stream ends with %s, want cancelled", last)
	}
	<-br.started // b runs now
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, _ := start(t, ts.URL, request{Tab: "a"})
		if code == http.StatusAccepted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tab a cannot run again after its cancel: %d", code)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(br.release)
}

func TestComparePairsRunsOnTheSameSeeds(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	run := func(tab string, req request) string {
		req.Tab = tab
		code, m := start(t, ts.URL, req)
		if code != http.StatusAccepted {
			t.Fatalf("start: %d %v", code, m)
		}
		id := m["id"].(string)
		if evs := events(t, ts.URL, id); evs[len(evs)-1].name != "done" {
			t.Fatalf("run %s ended with %s", id, evs[len(evs)-1].name)
		}
		return id
	}
	base := run("a", request{Replications: 12})
	same := run("a", request{Replications: 12, Sets: []string{"regions.mkt.pull=4"}})
	other := run("a", request{Replications: 12, Seed: "8"})
	for _, c := range []struct {
		other  string
		paired bool
	}{{same, true}, {other, false}} {
		code, body := get(t, ts.URL+"/api/compare?base="+base+"&other="+c.other)
		if code != http.StatusOK {
			t.Fatalf("compare: %d %s", code, body)
		}
		var v compareView
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if v.Paired != c.paired || len(v.Rows) == 0 {
			t.Errorf("compare %s with %s: paired %v with %d rows, want paired %v (%s)", base, c.other, v.Paired, len(v.Rows), c.paired, v.Why)
		}
	}
	if code, _ := get(t, ts.URL+"/api/compare?base="+base+"&other=r99"); code != http.StatusNotFound {
		t.Errorf("compare with an unknown run: %d, want 404", code)
	}
}

// TestScenarioYAMLRoundTrips checks that every built-in scenario, written
// by ScenarioYAML, loads back into the same config.
func TestScenarioYAMLRoundTrips(t *testing.T) {
	for _, info := range scenarios.List() {
		cfg, err := scenarios.Builtin(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ScenarioYAML(&cfg)
		if err != nil {
			t.Fatal(err)
		}
		back, err := scenarios.Load(info.Name, b)
		if err != nil {
			t.Errorf("%s: %v", info.Name, err)
			continue
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Errorf("%s: the written YAML loads into another config", info.Name)
		}
	}
}

func TestPageAndAssetsAreEmbedded(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	for _, c := range []struct{ path, want string }{
		{"/", "triad explorer"},
		{"/app.js", "EventSource"},
		{"/vendor/uplot/uPlot.iife.min.js", "uPlot"},
		{"/vendor/uplot/LICENSE", "MIT"},
	} {
		code, body := get(t, ts.URL+c.path)
		if code != http.StatusOK || !bytes.Contains(body, []byte(c.want)) {
			t.Errorf("GET %s: %d, want 200 with %q", c.path, code, c.want)
		}
	}
	// Nothing on the page comes from the network.
	_, page := get(t, ts.URL+"/")
	if bytes.Contains(page, []byte("http://")) || bytes.Contains(page, []byte("https://")) {
		t.Errorf("the page loads something from the network")
	}
}
