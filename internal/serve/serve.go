package serve

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

//go:embed static
var staticFS embed.FS

// Runner runs cfg, read from src, into the empty folder dir as `triad run`
// does, telling p how it goes (Server.runFolder is the one that does,
// through runs.Folder.Run, as the command's run does; tests stand in for
// it). It returns every run in replicate order, as the folder's tables
// hold them. Cancelling ctx stops the work and Runner returns an error.
type Runner func(ctx context.Context, dir string, src []byte, cfg sim.Config, p Progress) ([]*sim.RunResult, error)

// Progress is what a Runner tells the server while it runs: Done each run
// as it finishes, Step and Cities each step of every run as it is
// computed (as sim.Options' Observe and ObserveCities), so that the
// page's curves grow step by step. Each may be called concurrently, in
// any order, and must not change what it is given; a Runner may leave
// Step and Cities uncalled (the curves then grow run by run).
type Progress struct {
	Done   func(*sim.RunResult)
	Step   func(point, replicate, step int, rows []sim.Row)
	Cities func(point, replicate, step int, shares []float64)
}

// Source is a scenario the page lists: its name in messages (as
// scenarios.Resolve returns it, "builtin/three-hubs.yaml" for a built-in),
// the label the page shows, and its YAML text.
type Source struct {
	Name, Label, Description string
	Src                      []byte
}

// Options configure a Server.
type Options struct {
	// Sources are the scenarios the page lists, the first one shown first.
	Sources []Source
	// Run runs a checked scenario; see Runner. Nil runs it as `triad run`
	// does, into a folder of the runs package.
	Run Runner
	// Program is the triad that serves, as the manifests of its run
	// folders record it.
	Program runs.Program
	// Workers is the number of goroutines of each run; zero means
	// GOMAXPROCS. It never changes the numbers.
	Workers int
	// Caps are the size caps a request must keep (scenarios.DefaultCaps
	// for the command's).
	Caps scenarios.Caps
	// Posterior, when set, makes every run a posterior predictive run:
	// each replicate draws some parameters from a fit's final population
	// (see sim.Posterior), as triad run --posterior does.
	Posterior *sim.Posterior
	// Dir is where run folders are made; each run gets its own folder,
	// removed when the run is evicted or the server closed.
	Dir string
	// MaxRunning and MaxWaiting bound the queue: runs at the same time,
	// and runs waiting for a turn; one more is refused with 503. Zero
	// means 2 and 8.
	MaxRunning, MaxWaiting int
	// Keep is how many finished runs stay available for comparison and
	// download; zero means 16.
	Keep int
	// Addr is the address the page is served at, HOST:PORT with the port
	// the server listens on. A request must name it as its Host, or, when
	// HOST is a loopback address or localhost, localhost, 127.0.0.1 or
	// [::1] with the port; when HOST is unspecified (0.0.0.0, ::), those
	// or any IP address with the port. A page of another site whose name
	// was made to point at this computer (DNS rebinding) is refused.
	Addr string
	// MaxChecks bounds the requests checked at the same time (a scenario
	// checked, exported or started); one more is refused with 503. Zero
	// means GOMAXPROCS, and at least 2.
	MaxChecks int
	// ReadTimeout bounds the time to read a request with its body (see
	// HTTPServer); zero means 30 seconds.
	ReadTimeout time.Duration
}

// Server serves the page and its API. It is an http.Handler.
type Server struct {
	opts   Options
	hosts  hostRule
	mux    *http.ServeMux
	checks chan struct{} // one per request being checked
	slots  chan struct{} // one per running run
	mu     sync.Mutex
	jobs   map[string]*job
	order  []string          // job ids, oldest first
	tabs   map[string]string // tab id → its unfinished job
	queued int               // jobs accepted and not finished
	nextID int
	closed bool
	wg     sync.WaitGroup
}

// New returns a Server for opts.
func New(opts Options) (*Server, error) {
	if len(opts.Sources) == 0 {
		return nil, errors.New("serve: no scenario to show")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.MaxRunning <= 0 {
		opts.MaxRunning = 2
	}
	if opts.MaxWaiting < 0 {
		opts.MaxWaiting = 0
	} else if opts.MaxWaiting == 0 {
		opts.MaxWaiting = 8
	}
	if opts.Keep <= 0 {
		opts.Keep = 16
	}
	if opts.MaxChecks <= 0 {
		opts.MaxChecks = max(2, runtime.GOMAXPROCS(0))
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = 30 * time.Second
	}
	hosts, err := newHostRule(opts.Addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:   opts,
		hosts:  hosts,
		checks: make(chan struct{}, opts.MaxChecks),
		slots:  make(chan struct{}, opts.MaxRunning),
		jobs:   map[string]*job{},
		tabs:   map[string]string{},
	}
	if s.opts.Run == nil {
		s.opts.Run = s.runFolder
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	s.mux = http.NewServeMux()
	s.mux.Handle("GET /", http.FileServerFS(static))
	s.mux.HandleFunc("GET /api/scenarios", s.handleScenarios)
	s.mux.HandleFunc("GET /api/scenario", s.handleScenario)
	s.mux.HandleFunc("POST /api/check", s.handleCheck)
	s.mux.HandleFunc("POST /api/yaml", s.handleYAML)
	s.mux.HandleFunc("POST /api/runs", s.handleStart)
	s.mux.HandleFunc("POST /api/batch", s.handleBatch)
	s.mux.HandleFunc("GET /api/runs/{id}/events", s.handleEvents)
	s.mux.HandleFunc("POST /api/runs/{id}/cancel", s.handleCancel)
	s.mux.HandleFunc("GET /api/runs/{id}/zip", s.handleZip)
	s.mux.HandleFunc("GET /api/compare", s.handleCompare)
	s.mux.HandleFunc("GET /api/compare/zip", s.handleCompareZip)
	return s, nil
}

// ServeHTTP serves the page and the API. A request that names another
// host than the server's (see Options.Addr) is refused, whatever it asks:
// it comes from a page of another site, by a name that was made to point
// here. A request that changes something (any but GET, HEAD and OPTIONS)
// must come from the explorer's own page (see sameOrigin), so that
// another site open in the same browser cannot start or cancel runs.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if !s.hosts.allows(r.Host) {
		writeError(w, http.StatusForbidden, fmt.Errorf("this server answers at %s only, not at %q: open the page at its address", s.opts.Addr, clip(r.Host)))
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		if err := sameOrigin(r); err != nil {
			writeError(w, http.StatusForbidden, err)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// hostRule says which Host headers the server answers (see Options.Addr).
type hostRule struct {
	names map[string]bool // HOST:PORT, lower case
	port  string
	anyIP bool // any IP address with the port
}

func newHostRule(addr string) (hostRule, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return hostRule{}, fmt.Errorf("serve: the address %q: %w", addr, err)
	}
	h := hostRule{names: map[string]bool{strings.ToLower(net.JoinHostPort(host, port)): true}, port: port}
	ip := net.ParseIP(host)
	switch {
	case host == "" || ip != nil && ip.IsUnspecified():
		h.anyIP = true
		fallthrough // the loopback names reach it too
	case strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback():
		for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
			h.names[net.JoinHostPort(name, port)] = true
		}
	}
	return h, nil
}

// allows reports whether the server answers a request for host, the
// request's Host header (HOST:PORT, or HOST for port 80).
func (h hostRule) allows(host string) bool {
	host = strings.ToLower(host)
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), "80")
	}
	if h.names[host] {
		return true
	}
	name, port, err := net.SplitHostPort(host)
	return h.anyIP && err == nil && port == h.port && net.ParseIP(name) != nil
}

// sameOrigin returns an error unless r comes from a page of the host it
// asks: its Sec-Fetch-Site header, when it has one, says same-origin, and
// its Origin header, when it has one, names that host. A request with
// neither is refused too: browsers send them with every such request, and
// the explorer has no clients but its page.
func sameOrigin(r *http.Request) error {
	site, origin := r.Header.Get("Sec-Fetch-Site"), r.Header.Get("Origin")
	if site == "" && origin == "" {
		return errors.New("a request that changes something must come from the explorer's page, and this one has neither an Origin nor a Sec-Fetch-Site header")
	}
	if site != "" && site != "same-origin" {
		return fmt.Errorf("a request from another site (Sec-Fetch-Site: %s) is refused: only the explorer's own page may run scenarios", clip(site))
	}
	if origin != "" {
		if u, err := url.Parse(origin); err != nil || u.Scheme != "http" && u.Scheme != "https" || !strings.EqualFold(u.Host, r.Host) {
			return fmt.Errorf("a request from %s is refused: only the explorer's own page may run scenarios", clip(origin))
		}
	}
	return nil
}

// HTTPServer returns an http.Server that serves s with the timeouts a
// local page needs: ten seconds for a request's header, ReadTimeout for
// the whole request with its body (a scenario at the size limit takes
// well under a second to send within a computer), two minutes for an
// idle connection. It has no write timeout: an event stream lasts as long
// as its run, and a download as long as the browser takes.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.opts.ReadTimeout,
		IdleTimeout:       2 * time.Minute,
	}
}

// Close cancels every run, waits for them and removes their folders (a
// folder being sent as a zip when the download ends).
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	jobs := make([]*job, 0, len(s.jobs))
	for _, id := range s.order {
		jobs = append(jobs, s.jobs[id])
	}
	s.mu.Unlock()
	for _, j := range jobs {
		j.cancel()
	}
	s.wg.Wait()
	var errs []error
	for _, j := range jobs {
		s.mu.Lock()
		j.evicted = true
		idle := j.readers == 0
		s.mu.Unlock()
		if idle {
			errs = append(errs, os.RemoveAll(j.dir))
		}
	}
	return errors.Join(errs...)
}

// maxBody is the largest request body: a scenario's size limit and room
// for the rest.
const maxBody = scenarios.MaxSize + 64<<10

// maxText is the most bytes of a message, field path or header echoed
// from a request that the server sends back; the rest is cut (see clip).
const maxText = 1000

// clip returns s cut to maxText bytes at a character's start, marked with
// "…" where it is cut.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	i := maxText
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// request is what the page sends to check, export or run a scenario: the
// scenario it shows, its edited YAML text (empty: the scenario's own) and
// the changes of its fields, as `triad run` takes them on the command line.
type request struct {
	// Tab names the browser tab, which may have one run at a time.
	Tab      string `json:"tab"`
	Scenario string `json:"scenario"`
	YAML     string `json:"yaml"`
	// Sets are PATH=VALUE assignments, as for --set.
	Sets []string `json:"sets"`
	// Seed (a decimal string, since JavaScript numbers cannot hold every
	// seed), Replications and Steps override the scenario's when set, as
	// --seed, --replications and --steps do.
	Seed         string `json:"seed"`
	Replications int    `json:"replications"`
	Steps        int    `json:"steps"`
	// Sweep, for a batch, are the parameters swept and their values.
	Sweep []sweepParam `json:"sweep,omitempty"`
}

// problem is one message for the page: the text the command would print
// and, for a scenario error, its parts.
type problem struct {
	Text  string `json:"text"`
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	Col   int    `json:"col,omitempty"`
	Field string `json:"field,omitempty"`
	Msg   string `json:"msg,omitempty"`
	// Snippet is the line of the YAML text at fault with a caret under
	// the column, as triad validate shows it.
	Snippet string `json:"snippet,omitempty"`
}

// badInput is a request the page must correct, with the first problems
// found, as many as triad validate shows (scenarios.MaxShown), and how
// many more there are.
type badInput struct {
	// Context says at which stage the problems were found, as the
	// command's message does ("after the command-line overrides").
	Context  string    `json:"context,omitempty"`
	Problems []problem `json:"problems"`
	More     int       `json:"more,omitempty"`
}

// Error lists the problems as triad validate prints them: each with its
// snippet, then how many more there are.
func (b *badInput) Error() string {
	var w strings.Builder
	if b.Context != "" {
		w.WriteString(b.Context + ":\n")
	}
	for _, p := range b.Problems {
		w.WriteString(p.Text + "\n")
		w.WriteString(p.Snippet)
	}
	if b.More > 0 {
		fmt.Fprintf(&w, "and %d more\n", b.More)
	}
	return strings.TrimSuffix(w.String(), "\n")
}

// problemsOf turns an error of the scenarios or sim package into messages,
// the first scenarios.MaxShown of its problems with their snippets, as
// triad validate shows them; src is the YAML text the positions point
// into (nil: none). The work is that of the problems shown, however many
// there are.
func problemsOf(context string, err error, src []byte) *badInput {
	b := &badInput{Context: context}
	scenario := func(e scenarios.Error) problem {
		return problem{Text: clip(e.Error()), File: clip(e.File), Line: e.Line, Col: e.Col, Field: clip(e.Field), Msg: clip(e.Msg), Snippet: e.Snippet(src)}
	}
	var ses scenarios.Errors
	var se scenarios.Error
	var fes sim.Errors
	switch {
	case errors.As(err, &ses):
		for _, e := range ses[:min(len(ses), scenarios.MaxShown)] {
			b.Problems = append(b.Problems, scenario(e))
		}
		b.More = len(ses) - len(b.Problems)
	case errors.As(err, &se):
		b.Problems = append(b.Problems, scenario(se))
	case errors.As(err, &fes):
		for _, e := range fes[:min(len(fes), scenarios.MaxShown)] {
			b.Problems = append(b.Problems, problem{Text: clip(e.Error()), Field: clip(e.Field), Msg: clip(e.Msg)})
		}
		b.More = len(fes) - len(b.Problems)
	default:
		b.Problems = append(b.Problems, problem{Text: clip(err.Error())})
	}
	return b
}

// overrides is the context of problems found after the page's changes,
// worded as the command words those of its flags.
const overrides = "after the changes made on the page"

// source returns the listed scenario called name.
func (s *Server) source(name string) (Source, bool) {
	i := slices.IndexFunc(s.opts.Sources, func(src Source) bool { return src.Name == name })
	if i < 0 {
		return Source{}, false
	}
	return s.opts.Sources[i], true
}

// prepare checks a request as `triad run` checks a scenario and its flags:
// load with the caps (positioned errors), the overrides, then the sweep
// size, validation and the caps again. A scenario's own sweep is dropped:
// the explorer runs the sweep of a batch request only (see
// request.sweep). It returns the scenario's name, the source
// it was loaded from and the config to run. It stops between the stages
// when ctx is done (the page has gone) and returns ctx's error.
func (s *Server) prepare(ctx context.Context, req request) (string, []byte, sim.Config, error) {
	if err := ctx.Err(); err != nil {
		return "", nil, sim.Config{}, err
	}
	src, ok := s.source(req.Scenario)
	if !ok {
		return "", nil, sim.Config{}, &badInput{Problems: []problem{{Text: fmt.Sprintf("no scenario %q on this page", req.Scenario)}}}
	}
	text := src.Src
	if req.YAML != "" {
		text = []byte(req.YAML)
	}
	if len(text) > scenarios.MaxSize {
		return "", nil, sim.Config{}, &badInput{Problems: []problem{{Text: fmt.Sprintf("%s has more than %d bytes, the limit for a scenario", src.Name, scenarios.MaxSize)}}}
	}
	cfg, err := scenarios.LoadCapped(src.Name, text, s.opts.Caps)
	if err != nil {
		return "", nil, cfg, problemsOf("", err, text)
	}
	if err := ctx.Err(); err != nil {
		return "", nil, cfg, err
	}
	// The page's batch is the only sweep, never the scenario's own.
	sw := req.sweep()
	ov := scenarios.Overrides{Sets: req.Sets, Sweep: sw, NoSweep: sw == nil, Caps: s.opts.Caps, Posterior: s.opts.Posterior}
	if req.Seed != "" {
		var seed uint64
		if _, err := fmt.Sscan(req.Seed, &seed); err != nil || fmt.Sprint(seed) != strings.TrimSpace(req.Seed) {
			return "", nil, cfg, &badInput{Context: overrides, Problems: []problem{{Text: fmt.Sprintf("seed: %q is not a whole number in [0, 2⁶⁴)", req.Seed), Field: "seed"}}}
		}
		ov.Seed = &seed
	}
	if req.Replications != 0 {
		ov.Replications = &req.Replications
	}
	if req.Steps != 0 {
		ov.Steps = &req.Steps
	}
	if err := ov.Apply(&cfg); err != nil {
		return "", nil, cfg, problemsOf(overrides, err, nil)
	}
	if err := ctx.Err(); err != nil {
		return "", nil, cfg, err
	}
	return src.Name, text, cfg, nil
}

// checked reads the request of r and prepares it (see prepare), as one of
// at most MaxChecks requests at a time; needTab says that the request
// must name its tab. When it fails, or the page has gone, it writes why
// and returns false.
func (s *Server) checked(w http.ResponseWriter, r *http.Request, needTab bool) (request, string, []byte, sim.Config, bool) {
	select {
	case s.checks <- struct{}{}:
		defer func() { <-s.checks }()
	default:
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, fmt.Errorf("the server is busy checking %d other scenarios: try again in a moment", s.opts.MaxChecks))
		return request{}, "", nil, sim.Config{}, false
	}
	req, status, err := s.readRequest(w, r)
	if err != nil {
		writeError(w, status, err)
		return req, "", nil, sim.Config{}, false
	}
	if needTab && req.Tab == "" {
		writeError(w, http.StatusBadRequest, &badInput{Problems: []problem{{Text: "the request names no tab"}}})
		return req, "", nil, sim.Config{}, false
	}
	name, src, cfg, err := s.prepare(r.Context(), req)
	switch {
	case r.Context().Err() != nil:
		writeError(w, http.StatusServiceUnavailable, errors.New("the request was cancelled"))
		return req, "", nil, cfg, false
	case err != nil:
		writeError(w, http.StatusBadRequest, err)
		return req, "", nil, cfg, false
	}
	return req, name, src, cfg, true
}

// readRequest decodes the JSON body of r, of at most maxBody bytes, and
// returns the status of its error: 413 for a body too large, 408 for one
// that takes longer than ReadTimeout to arrive, 400 for any other.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request) (request, int, error) {
	var req request
	// JSON only: a form of another site cannot send it without asking.
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return req, http.StatusBadRequest, &badInput{Problems: []problem{{Text: "bad request: the body must be JSON (Content-Type: application/json)"}}}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	var tooLarge *http.MaxBytesError
	var ne net.Error
	switch {
	case err == nil:
		return req, 0, nil
	case errors.As(err, &tooLarge):
		return req, http.StatusRequestEntityTooLarge, fmt.Errorf("the request has more than %d bytes: a scenario has at most %d", tooLarge.Limit, scenarios.MaxSize)
	case errors.As(err, &ne) && ne.Timeout():
		return req, http.StatusRequestTimeout, fmt.Errorf("the request took more than %s to arrive", s.opts.ReadTimeout)
	}
	return req, http.StatusBadRequest, &badInput{Problems: []problem{{Text: "bad request: " + clip(err.Error())}}}
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes err as JSON: a badInput as 400 with its problems,
// anything else with status and its text.
func writeError(w http.ResponseWriter, status int, err error) {
	var b *badInput
	if errors.As(err, &b) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": b.Error(), "context": b.Context, "problems": b.Problems, "more": b.More})
		return
	}
	writeJSON(w, status, map[string]any{"error": err.Error()})
}

func (s *Server) handleScenarios(w http.ResponseWriter, r *http.Request) {
	type item struct {
		Name        string `json:"name"`
		Label       string `json:"label"`
		Description string `json:"description"`
	}
	var list []item
	for _, src := range s.opts.Sources {
		list = append(list, item{src.Name, src.Label, src.Description})
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	src, ok := s.source(name)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Errorf("no scenario %q on this page", name))
		return
	}
	cfg, err := scenarios.LoadCapped(src.Name, src.Src, s.opts.Caps)
	if err != nil {
		writeError(w, http.StatusBadRequest, problemsOf("", err, src.Src))
		return
	}
	writeJSON(w, http.StatusOK, newScenarioView(src, &cfg))
}

// handleCheck checks a request: the scenario view of the config it gives
// (the map follows the edits), or its problems.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	_, name, _, cfg, ok := s.checked(w, r, false)
	if !ok {
		return
	}
	src, _ := s.source(name)
	writeJSON(w, http.StatusOK, newScenarioView(src, &cfg))
}

// handleYAML returns the edited scenario as a YAML file to download.
func (s *Server) handleYAML(w http.ResponseWriter, r *http.Request) {
	_, _, _, cfg, ok := s.checked(w, r, false)
	if !ok {
		return
	}
	b, err := ScenarioYAML(&cfg)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", cfg.Name+".yaml"))
	_, _ = w.Write(b)
}

// ScenarioYAML writes cfg as a scenario file that loads back into cfg.
func ScenarioYAML(cfg *sim.Config) ([]byte, error) {
	b, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("write the scenario as YAML: %w", err)
	}
	head := "# " + cfg.Name + ", as edited in triad serve: run it with `triad run " + cfg.Name + ".yaml`\n"
	return append([]byte(head), b...), nil
}
