package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/triad-sim/triad/scenarios"
)

// TestForeignHostIsRefused checks that every path answers 403 to a Host
// that is not the server's, as a page of another site gets by pointing
// its own name at this computer, and answers the server's own names.
func TestForeignHostIsRefused(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	for _, c := range []struct {
		name, host string
		want       int
	}{
		{"another name", "evil.example", http.StatusForbidden},
		{"another name with the port", "evil.example:" + port, http.StatusForbidden},
		{"the address with another port", "127.0.0.1:1", http.StatusForbidden},
		{"the address", "127.0.0.1:" + port, http.StatusOK},
		{"localhost", "localhost:" + port, http.StatusOK},
		{"IPv6 loopback", "[::1]:" + port, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, r := range []struct{ method, path, body string }{
				{"GET", "/", ""},
				{"GET", "/api/scenarios", ""},
				{"GET", "/api/scenario?name=" + tinyName, ""},
				{"GET", "/api/runs/r1/zip", ""},
				{"POST", "/api/check", `{"scenario":"tiny.yaml"}`},
			} {
				req, err := http.NewRequest(r.method, ts.URL+r.path, strings.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				req.Host = c.host
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Origin", "http://"+c.host)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				want := c.want
				if want == http.StatusOK && r.path == "/api/runs/r1/zip" {
					want = http.StatusNotFound // there is no run r1
				}
				if resp.StatusCode != want {
					t.Errorf("%s %s with Host %s: %d, want %d", r.method, r.path, c.host, resp.StatusCode, want)
				}
			}
		})
	}
}

// TestHostRule checks which Host headers each kind of address accepts.
func TestHostRule(t *testing.T) {
	for _, c := range []struct {
		addr string
		yes  []string
		no   []string
	}{
		{"127.0.0.1:8080", []string{"127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"}, []string{"evil.example:8080", "localhost:9090", "localhost", "192.0.2.7:8080"}},
		{"localhost:80", []string{"localhost", "localhost:80", "127.0.0.1", "[::1]"}, []string{"evil.example", "localhost:8080"}},
		{"192.0.2.7:8080", []string{"192.0.2.7:8080"}, []string{"localhost:8080", "evil.example:8080", "192.0.2.8:8080"}},
		{"0.0.0.0:8080", []string{"192.0.2.7:8080", "[2001:db8::1]:8080", "localhost:8080", "0.0.0.0:8080"}, []string{"evil.example:8080", "192.0.2.7:9090"}},
		{":8080", []string{"192.0.2.7:8080", "localhost:8080"}, []string{"evil.example:8080"}},
		{"mybox.lan:8080", []string{"mybox.lan:8080", "MYBOX.LAN:8080"}, []string{"evil.example:8080", "localhost:8080"}},
	} {
		h, err := newHostRule(c.addr)
		if err != nil {
			t.Fatal(err)
		}
		for _, host := range c.yes {
			if !h.allows(host) {
				t.Errorf("served at %s: Host %s refused, want answered", c.addr, host)
			}
		}
		for _, host := range c.no {
			if h.allows(host) {
				t.Errorf("served at %s: Host %s answered, want refused", c.addr, host)
			}
		}
	}
	if _, err := New(Options{Run: memRunner, Sources: []Source{{Name: tinyName, Src: []byte(tiny)}}}); err == nil {
		t.Errorf("New without an address: no error")
	}
}

// TestStateChangingRequestsMustBeSameOrigin checks that a POST is
// answered only when the browser says it comes from the page itself.
func TestStateChangingRequestsMustBeSameOrigin(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	for _, c := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"neither Origin nor Sec-Fetch-Site", nil, http.StatusForbidden},
		{"another origin", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"an opaque origin", map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"the origin on another port", map[string]string{"Origin": "http://127.0.0.1:1"}, http.StatusForbidden},
		{"a cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"a same-site fetch from another port", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"same origin but another Origin", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://evil.example"}, http.StatusForbidden},
		{"the page's origin", map[string]string{"Origin": ts.URL}, http.StatusOK},
		{"a same-origin fetch", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, path := range []string{"/api/check", "/api/runs/r1/cancel"} {
				req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(`{"scenario":"tiny.yaml"}`))
				req.Header.Set("Content-Type", "application/json")
				for k, v := range c.header {
					req.Header.Set(k, v)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				want := c.want
				if want == http.StatusOK && strings.HasSuffix(path, "/cancel") {
					want = http.StatusNotFound // there is no run r1
				}
				if resp.StatusCode != want {
					t.Errorf("POST %s: %d, want %d", path, resp.StatusCode, want)
				}
			}
		})
	}
}

// TestOversizeBodyIs413 checks that a body beyond a scenario's size limit
// is refused with 413 before it is decoded.
func TestOversizeBodyIs413(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	body := `{"scenario":"tiny.yaml","yaml":"` + strings.Repeat("x", maxBody) + `"}`
	for _, path := range []string{"/api/check", "/api/yaml", "/api/runs"} {
		req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", ts.URL)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(fmt.Sprint(m["error"]), "bytes") {
			t.Errorf("POST %s of %d bytes: %d %v, want 413 naming the limit", path, len(body), resp.StatusCode, m["error"])
		}
	}
}

// garbage returns a scenario of about size bytes with a problem every few
// characters: a long line of unknown keys (one line: the case that made
// each snippet as long as the file) or many lines of bad values.
func garbage(size int, oneLine bool) string {
	var b strings.Builder
	if oneLine {
		b.WriteString("{")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "k%d: %d, ", i, i)
		}
		b.WriteString("z: 0}")
		return b.String()
	}
	b.WriteString("name: junk\nsteps: 10\nregions:\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "  - {id: r%d, p: 5, reach: 7, pull: -1, cities: [{id: c%d, firms: -1}]}\n", i, i)
	}
	return b.String()
}

// TestGarbageGetsBoundedProblems checks that a scenario of 40 KB with
// thousands of problems is answered with the first few, as triad
// validate shows them, each snippet a line of bounded width, and a
// count of the rest: an answer of a few kilobytes.
func TestGarbageGetsBoundedProblems(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	for _, oneLine := range []bool{true, false} {
		src := garbage(40<<10, oneLine)
		_, loadErr := scenarios.Load(tinyName, []byte(src))
		var es scenarios.Errors
		if !errors.As(loadErr, &es) || len(es) < 1000 {
			t.Fatalf("the garbage (one line: %v) has %d problems, want thousands: %v", oneLine, len(es), loadErr)
		}
		b, _ := json.Marshal(request{Scenario: tinyName, YAML: src})
		req, _ := http.NewRequest("POST", ts.URL+"/api/check", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", ts.URL)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var m struct {
			Error    string
			Problems []problem
			More     int
		}
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusBadRequest || len(m.Problems) != scenarios.MaxShown || m.More != len(es)-scenarios.MaxShown {
			t.Errorf("one line %v: %d with %d problems and %d more, want 400 with %d and %d more", oneLine, resp.StatusCode, len(m.Problems), m.More, scenarios.MaxShown, len(es)-scenarios.MaxShown)
		}
		if !strings.HasSuffix(m.Error, fmt.Sprintf("and %d more", len(es)-scenarios.MaxShown)) {
			t.Errorf("one line %v: the message does not end with the count of the rest:\n%s", oneLine, m.Error)
		}
		for i, p := range m.Problems {
			if p.Text != es[i].Error() {
				t.Errorf("problem %d: %q, want validate's %q", i, p.Text, es[i].Error())
			}
			for _, line := range strings.Split(p.Snippet, "\n") {
				if n := len([]rune(line)); n > scenarios.SnippetWidth+2 { // the width and an ellipsis at each end
					t.Errorf("problem %d: a snippet line of %d characters", i, n)
				}
			}
		}
		if len(body) > 64<<10 {
			t.Errorf("one line %v: an answer of %d bytes to a request of %d", oneLine, len(body), len(b))
		}
	}
}

// TestCancelledRequestDoesNoWork checks that a request whose page has
// gone is not checked and starts no run.
func TestCancelledRequestDoesNoWork(t *testing.T) {
	br := newBlockRunner()
	srv, err := New(Options{Sources: []Source{{Name: tinyName, Src: []byte(tiny)}}, Run: br.run, Caps: scenarios.DefaultCaps, Dir: t.TempDir(), Addr: "127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := srv.prepare(ctx, request{Scenario: tinyName, YAML: garbage(40<<10, true)}); !errors.Is(err, context.Canceled) {
		t.Errorf("prepare with a cancelled context: %v, want context.Canceled", err)
	}
	for _, path := range []string{"/api/check", "/api/runs"} {
		req := httptest.NewRequestWithContext(ctx, "POST", "http://127.0.0.1:8080"+path, strings.NewReader(`{"tab":"a","scenario":"tiny.yaml"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", "http://127.0.0.1:8080")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code == http.StatusOK || w.Code == http.StatusAccepted || strings.Contains(w.Body.String(), `"regions"`) {
			t.Errorf("POST %s with the page gone: %d %s, want no answer of work done", path, w.Code, w.Body)
		}
	}
	srv.mu.Lock()
	jobs := len(srv.jobs)
	srv.mu.Unlock()
	if jobs != 0 || len(br.started) != 0 {
		t.Errorf("a run request with the page gone made %d runs and started %d", jobs, len(br.started))
	}
}

// gateReader is a request body that blocks at its first read until open
// is closed, reporting the read on reading.
type gateReader struct {
	reading, open chan struct{}
	r             io.Reader
}

func (g *gateReader) Read(p []byte) (int, error) {
	if g.reading != nil {
		close(g.reading)
		g.reading = nil
		<-g.open
	}
	return g.r.Read(p)
}

// TestChecksAreBounded checks that a request beyond MaxChecks being
// checked is refused with 503 and Retry-After, and that the slot is free
// again once the check ends.
func TestChecksAreBounded(t *testing.T) {
	srv, err := New(Options{Sources: []Source{{Name: tinyName, Src: []byte(tiny)}}, Run: memRunner, Caps: scenarios.DefaultCaps, Dir: t.TempDir(), Addr: "127.0.0.1:8080", MaxChecks: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	check := func(body io.Reader) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "http://127.0.0.1:8080/api/check", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", "http://127.0.0.1:8080")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		return w
	}
	const ok = `{"scenario":"tiny.yaml"}`
	g := &gateReader{reading: make(chan struct{}), open: make(chan struct{}), r: strings.NewReader(ok)}
	first := make(chan *httptest.ResponseRecorder)
	reading := g.reading
	go func() { first <- check(g) }()
	<-reading // the first check holds the only slot
	if w := check(strings.NewReader(ok)); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("a second check at once: %d (Retry-After %q), want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	close(g.open)
	if w := <-first; w.Code != http.StatusOK {
		t.Errorf("the first check: %d %s", w.Code, w.Body)
	}
	if w := check(strings.NewReader(ok)); w.Code != http.StatusOK {
		t.Errorf("a check after the first: %d %s, want 200", w.Code, w.Body)
	}
}

// TestSlowBodyTimesOut checks that a request whose body does not arrive
// is answered 408 after ReadTimeout and its connection closed, and that an
// event stream outlives ReadTimeout.
func TestSlowBodyTimesOut(t *testing.T) {
	br := newBlockRunner()
	ts, _ := startServer(t, Options{Run: br.run, ReadTimeout: 100 * time.Millisecond})
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	host := ts.Listener.Addr().String()
	fmt.Fprintf(conn, "POST /api/check HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"scenario\":", host, host)
	// Not forever: the test fails rather than hangs if the server waits.
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("a stalled body: %d, want 408", resp.StatusCode)
	}

	code, m := start(t, ts.URL, request{Tab: "a"})
	if code != http.StatusAccepted {
		t.Fatalf("start: %d %v", code, m)
	}
	<-br.started
	time.AfterFunc(5*ts.Config.ReadTimeout, func() { close(br.release) })
	if evs := events(t, ts.URL, m["id"].(string)); evs[len(evs)-1].name != "done" {
		t.Errorf("an event stream longer than ReadTimeout ends with %s, want done", evs[len(evs)-1].name)
	}
}
