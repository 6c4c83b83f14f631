package serve

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

//go:embed static
var staticFS embed.FS

// Runner runs cfg, read from src, into the empty folder dir as `triad run`
// does, calling done with each run as it finishes (possibly concurrently,
// in any order; the run must not be changed). It returns every run in
// replicate order, as the folder's tables hold them. Cancelling ctx stops
// the work and Runner returns an error.
type Runner func(ctx context.Context, dir string, src []byte, cfg sim.Config, done func(*sim.RunResult)) ([]*sim.RunResult, error)

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
	// Run runs a checked scenario; see Runner.
	Run Runner
	// Caps are the size caps a request must keep (scenarios.DefaultCaps
	// for the command's).
	Caps scenarios.Caps
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
}

// Server serves the page and its API. It is an http.Handler.
type Server struct {
	opts   Options
	mux    *http.ServeMux
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
	if opts.Run == nil {
		return nil, errors.New("serve: no Runner")
	}
	if len(opts.Sources) == 0 {
		return nil, errors.New("serve: no scenario to show")
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
	s := &Server{
		opts:  opts,
		slots: make(chan struct{}, opts.MaxRunning),
		jobs:  map[string]*job{},
		tabs:  map[string]string{},
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
	s.mux.HandleFunc("GET /api/runs/{id}/events", s.handleEvents)
	s.mux.HandleFunc("POST /api/runs/{id}/cancel", s.handleCancel)
	s.mux.HandleFunc("GET /api/runs/{id}/zip", s.handleZip)
	s.mux.HandleFunc("GET /api/compare", s.handleCompare)
	return s, nil
}

// ServeHTTP serves the page and the API. A request that changes something
// (POST) from a page of another origin is refused: another site open in
// the same browser must not start or cancel runs here.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || u.Host != r.Host {
				writeError(w, http.StatusForbidden, fmt.Errorf("a request from %s is refused: only the explorer's own page may run scenarios", o))
				return
			}
		}
	}
	s.mux.ServeHTTP(w, r)
}

// Close cancels every run, waits for them and removes their folders.
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
		errs = append(errs, os.RemoveAll(j.dir))
	}
	return errors.Join(errs...)
}

// maxBody is the largest request body: a scenario's size limit and room
// for the rest.
const maxBody = scenarios.MaxSize + 64<<10

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

// badInput is a request the page must correct, with every problem found.
type badInput struct {
	// Context says at which stage the problems were found, as the
	// command's message does ("after the command-line overrides").
	Context  string    `json:"context,omitempty"`
	Problems []problem `json:"problems"`
}

// Error lists the problems as triad validate prints them: each with its
// snippet, the first scenarios.MaxShown of them.
func (b *badInput) Error() string {
	var w strings.Builder
	if b.Context != "" {
		w.WriteString(b.Context + ":\n")
	}
	for i, p := range b.Problems {
		if i == scenarios.MaxShown {
			fmt.Fprintf(&w, "and %d more\n", len(b.Problems)-i)
			break
		}
		w.WriteString(p.Text + "\n")
		w.WriteString(p.Snippet)
	}
	return strings.TrimSuffix(w.String(), "\n")
}

// problemsOf turns an error of the scenarios or sim package into messages;
// src is the YAML text the positions point into (nil: none).
func problemsOf(context string, err error, src []byte) *badInput {
	b := &badInput{Context: context}
	var ses scenarios.Errors
	var se scenarios.Error
	var fes sim.Errors
	switch {
	case errors.As(err, &ses):
		for _, e := range ses {
			b.Problems = append(b.Problems, problem{Text: e.Error(), File: e.File, Line: e.Line, Col: e.Col, Field: e.Field, Msg: e.Msg, Snippet: e.Snippet(src)})
		}
	case errors.As(err, &se):
		b.Problems = append(b.Problems, problem{Text: se.Error(), File: se.File, Line: se.Line, Col: se.Col, Field: se.Field, Msg: se.Msg, Snippet: se.Snippet(src)})
	case errors.As(err, &fes):
		for _, e := range fes {
			b.Problems = append(b.Problems, problem{Text: e.Error(), Field: e.Field, Msg: e.Msg})
		}
	default:
		b.Problems = append(b.Problems, problem{Text: err.Error()})
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
// size, validation and the caps again. The explorer runs no sweep: a
// scenario's sweep is dropped. It returns the scenario's name, the source
// it was loaded from and the config to run.
func (s *Server) prepare(req request) (string, []byte, sim.Config, error) {
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
	if req.Seed != "" {
		var seed uint64
		if _, err := fmt.Sscan(req.Seed, &seed); err != nil || fmt.Sprint(seed) != strings.TrimSpace(req.Seed) {
			return "", nil, cfg, &badInput{Context: overrides, Problems: []problem{{Text: fmt.Sprintf("seed: %q is not a whole number in [0, 2⁶⁴)", req.Seed), Field: "seed"}}}
		}
		cfg.Seed = seed
	}
	if req.Replications != 0 {
		cfg.Replicates = req.Replications
	}
	if req.Steps != 0 {
		cfg.Steps = req.Steps
	}
	if err := scenarios.Set(&cfg, req.Sets); err != nil {
		return "", nil, cfg, problemsOf(overrides, err, nil)
	}
	cfg.Sweep = nil
	if err := scenarios.CheckSweepSize(&cfg, s.opts.Caps); err != nil {
		return "", nil, cfg, problemsOf(overrides, err, nil)
	}
	if err := cfg.Validate(); err != nil {
		return "", nil, cfg, problemsOf(overrides, err, nil)
	}
	if err := scenarios.CheckCaps(&cfg, s.opts.Caps); err != nil {
		return "", nil, cfg, problemsOf(overrides, err, nil)
	}
	return src.Name, text, cfg, nil
}

// readRequest decodes the JSON body of r.
func readRequest(w http.ResponseWriter, r *http.Request) (request, error) {
	var req request
	// JSON only: a form of another site cannot send it without asking.
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return req, &badInput{Problems: []problem{{Text: "bad request: the body must be JSON (Content-Type: application/json)"}}}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, &badInput{Problems: []problem{{Text: "bad request: " + err.Error()}}}
	}
	return req, nil
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
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": b.Error(), "context": b.Context, "problems": b.Problems})
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
	req, err := readRequest(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	name, _, cfg, err := s.prepare(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	src, _ := s.source(name)
	writeJSON(w, http.StatusOK, newScenarioView(src, &cfg))
}

// handleYAML returns the edited scenario as a YAML file to download.
func (s *Server) handleYAML(w http.ResponseWriter, r *http.Request) {
	req, err := readRequest(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	_, _, cfg, err := s.prepare(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
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
