package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/triad-sim/triad/scenarios"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var serveURL = regexp.MustCompile(`open (http://\S+/) in a browser`)

// startServe runs `triad serve args...` in the background until the test
// ends and returns the URL it prints.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if c := <-code; c != 0 {
			t.Errorf("triad serve ended with exit %d\n%s", c, stderr.String())
		}
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := serveURL.FindStringSubmatch(stdout.String()); m != nil {
			if !strings.Contains(stdout.String(), "local only") {
				t.Errorf("triad serve on the loopback address does not say it is local only:\n%s", stdout.String())
			}
			return m[1]
		}
		select {
		case c := <-code:
			t.Fatalf("triad serve ended with exit %d before printing its address\n%s%s", c, stdout.String(), stderr.String())
		default:
		}
	}
	t.Fatalf("triad serve printed no address:\n%s%s", stdout.String(), stderr.String())
	return ""
}

// TestServeInChromium drives the explorer in headless Chromium: load the
// page, which opens on three-hubs, change the accelerator's p and the replications,
// run, see the adoption curve redrawn while runs are still going, and see
// the final headline table equal what `triad run` prints for the same
// settings (and the run folder's summary.csv equal triad run's, byte for
// byte); then pin the run and see the next compared with it, cancel a
// long run, and break the YAML to see the positioned message of triad
// validate.
func TestServeInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; make test runs it once, in the pass without -race")
	}
	bin := chromium()
	if bin == "" {
		t.Skip("chromium is not installed (Debian: apt-get install chromium); skipping the browser check of triad serve")
	}
	// One worker, so that runs finish one after the other and the page
	// sees curves over some of them before the end.
	url := startServe(t, "--workers", "1")

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelT()
	var mu sync.Mutex
	var pageErrors []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil {
				msg += " " + ex.Description
			}
			pageErrors = append(pageErrors, msg)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value))
				}
				pageErrors = append(pageErrors, strings.Join(parts, " "))
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	const scenario = "builtin/three-hubs.yaml"
	const p, reps = "0.002", 12
	// setField types v into the field of path as a student would.
	setField := func(path, v string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const f = document.querySelector('#params input[data-path=%q]'); f.value = %q; f.dispatchEvent(new Event('input')); })()`, path, v))
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(url),
		// The page opens on the default scenario.
		chromedp.WaitVisible(chromedp.CSS(`#params input[data-path="regions.gba.p"]`)),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById('scenario').value === %q`, scenario), chromedp.WithPollingTimeout(time.Minute)),
		setField("regions.gba.p", p),
		setField("replications", fmt.Sprint(reps)),
		chromedp.Click(chromedp.CSS("#run")),
		// The live curve: redrawn over some of the runs, before the end.
		chromedp.Poll[chromedp.Void](`document.getElementById('adoption').dataset.partial === 'true' || document.body.dataset.state === 'done'`, chromedp.WithPollingTimeout(2*time.Minute)),
	)
	if err != nil {
		t.Fatalf("drive the page: %v", err)
	}
	partial, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('adoption').dataset.partial || 'false'`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.body.dataset.state === 'done'`, chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
		t.Fatalf("wait for the results: %v", err)
	}
	headline, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#headline")))
	if err != nil {
		t.Fatal(err)
	}
	if partial != "true" {
		t.Errorf("the adoption curve was not redrawn while the runs were going (only at the end)")
	}

	// triad run with the same settings.
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	args := []string{"run", "three-hubs", "--set", "regions.gba.p=" + p, "--replications", fmt.Sprint(reps), "--out", out}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("triad %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	_, rest, _ := strings.Cut(stdout.String(), "\n\n")
	want, _, _ := strings.Cut(rest, "\nTables:")
	if strings.TrimSpace(headline) != strings.TrimSpace(want) {
		t.Errorf("the page's headline table differs from triad run's:\n--- page\n%s\n--- triad run\n%s", headline, want)
	}
	got := zipFile(t, url+"api/runs/r1/zip", "summary.csv")
	wantCSV, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantCSV) {
		t.Errorf("summary.csv of the page's run differs from triad run's")
	}

	// Pin the run and compare the next one, on the same seeds, with it.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#pin")),
		setField("regions.gba.p", "0.004"),
		chromedp.Click(chromedp.CSS("#run")),
		chromedp.Poll[chromedp.Void](`!document.getElementById('compare-box').hidden && document.querySelectorAll('#compare tr').length > 1`, chromedp.WithPollingTimeout(2*time.Minute)),
	)
	if err != nil {
		t.Fatalf("pin and compare: %v", err)
	}
	note, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#compare-note")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "paired") {
		t.Errorf("the comparison of two runs on the same seeds is not paired: %s", note)
	}
	// A long run, cancelled from the page.
	err = chromedp.Do(ctx,
		setField("replications", "500"),
		chromedp.Click(chromedp.CSS("#run")),
		chromedp.Poll[chromedp.Void](`document.body.dataset.state === 'running' && !document.getElementById('cancel').disabled`, chromedp.WithPollingTimeout(time.Minute)),
		chromedp.Click(chromedp.CSS("#cancel")),
		chromedp.Poll[chromedp.Void](`document.body.dataset.state === 'cancelled'`, chromedp.WithPollingTimeout(time.Minute)),
	)
	if err != nil {
		t.Fatalf("cancel a run: %v", err)
	}
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(t.ArtifactDir(), "serve.png"), shot, 0o644)
	}

	// A broken YAML gets triad validate's message, with line and column.
	src, err := scenarios.Source("three-hubs")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "pull: 1.9", "pull: -3", 1)
	_, verr := scenarios.Load(scenario, []byte(bad))
	if verr == nil {
		t.Fatal("the broken scenario loads")
	}
	wantMsg := strings.Split(verr.Error(), "\n")[0]
	if !regexp.MustCompile(`^builtin/three-hubs\.yaml:\d+:\d+: regions\[1\]\.pull: `).MatchString(wantMsg) {
		t.Fatalf("the expected message has no position: %s", wantMsg)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const y = document.getElementById('yaml'); y.value = %q; y.dispatchEvent(new Event('input')); })()`, bad)),
		chromedp.WaitVisible(chromedp.CSS("#errors")),
	)
	if err != nil {
		t.Fatalf("break the YAML: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#errors")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(shown, wantMsg) {
		t.Errorf("the page shows\n%s\nwant the message of triad validate:\n%s", shown, wantMsg)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, e := range pageErrors {
		t.Errorf("the page logged an error: %s", e)
	}
}

// zipFile downloads the zip archive at url and returns the file whose
// name ends in /name.
func zipFile(t *testing.T, url, name string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v %s", url, resp.StatusCode, err, body)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/"+name) && strings.Count(f.Name, "/") == 1 {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("the zip of %s holds no %s", url, name)
	return nil
}

// TestServeRefuses checks what serve refuses before it listens: an address
// other computers can reach without --public, a scenario that does not
// load, a folder that is no output folder.
func TestServeRefuses(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\nsteps: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"all interfaces without --public", []string{"--addr", ":8080"}, "--public"},
		{"a public address without --public", []string{"--addr", "192.0.2.1:8080"}, "--public"},
		{"an address without a port", []string{"--addr", "127.0.0.1"}, "missing port"},
		{"no workers", []string{"--workers", "0", "--addr", "127.0.0.1:0"}, "--workers must be at least 1, got 0"},
		{"a scenario with a mistake", []string{bad, "--addr", "127.0.0.1:0"}, "bad.yaml:2:8: steps"},
		{"a folder without a manifest", []string{dir, "--addr", "127.0.0.1:0"}, "manifest.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"serve"}, c.args...), &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, want %d with %q in\n%s", code, exitUsage, c.want, stderr.String())
			}
		})
	}
}

// TestServeBusyPort checks that a port in use is refused with a message
// that names it and the flag that chooses another.
func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	n, _ := strconv.Atoi(port)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", ln.Addr().String()}, &stdout, &stderr)
	for _, want := range []string{"port " + port + " is in use", fmt.Sprintf("--addr 127.0.0.1:%d", n+1), "--addr 127.0.0.1:0"} {
		if code != exitUsage || !strings.Contains(stderr.String(), want) {
			t.Errorf("exit %d, want %d with %q in\n%s", code, exitUsage, want, stderr.String())
		}
	}
}

// TestServeAnswersItsOwnHostOnly checks that the command serves the page
// at the address it prints and at localhost, and refuses another name
// for this computer, as a page of another site gets by DNS rebinding.
func TestServeAnswersItsOwnHostOnly(t *testing.T) {
	base := startServe(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		host string
		want int
	}{
		{u.Host, http.StatusOK},
		{"localhost:" + u.Port(), http.StatusOK},
		{"evil.example", http.StatusForbidden},
		{"evil.example:" + u.Port(), http.StatusForbidden},
	} {
		req, err := http.NewRequest("GET", base+"api/scenarios", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = c.host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("Host %s: %d, want %d", c.host, resp.StatusCode, c.want)
		}
	}
}

// TestServePublicWarns checks that --public listens where asked and warns.
func TestServePublicWarns(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() { code <- run(ctx, []string{"serve", "--addr", "0.0.0.0:0", "--public"}, &stdout, &stderr) }()
	deadline := time.Now().Add(30 * time.Second)
	for !serveURL.MatchString(stdout.String()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d\n%s", c, stderr.String())
	}
	if !strings.Contains(stderr.String(), "warning") || strings.Contains(stdout.String(), "local only") {
		t.Errorf("--public on all interfaces: stdout\n%s\nstderr\n%s\nwant a warning and no claim of local only", stdout.String(), stderr.String())
	}
}
