package serve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/triad-sim/triad/sim"
)

// explore is the scenario of the browser tests: a region of two cities
// with labs, and a market whose pull is 1.9, the value the tutorial pulls
// down to 1.
const explore = `name: explore
seed: 5
steps: 40
replications: 4
diffusion: {k: 4, q: 0.3}
regions:
  - id: lab
    role: source
    p: 0.01
    cities:
      - {id: north, labs: 5, firms: 60, research: 0.05}
      - {id: south, labs: 2, firms: 30, research: 0.05}
  - id: mkt
    role: accelerator
    p: 0.02
    pull: 1.9
    cities: [{id: mktcity, firms: 80, transform: 0.3}]
links:
  - between: [lab, mkt]
    friction: 0.2
    coupling: 0.5
`

// gate holds the first run it sees at a step until released, so that a
// test sees the page in the middle of a run without depending on time.
type gate struct {
	at      int
	run     Runner
	reached chan struct{} // closed when the first run is held
	release chan struct{} // closed by the test
	once    sync.Once
}

func newGate(at int, run Runner) *gate {
	return &gate{at: at, run: run, reached: make(chan struct{}), release: make(chan struct{})}
}

func (g *gate) runner(ctx context.Context, dir string, src []byte, cfg sim.Config, p Progress) ([]*sim.RunResult, error) {
	if step := p.Step; step != nil {
		p.Step = func(point, rep, s int, rows []sim.Row) {
			step(point, rep, s, rows)
			if rep == 0 && s == g.at {
				g.once.Do(func() { close(g.reached) })
				select {
				case <-g.release:
				case <-ctx.Done():
				}
			}
		}
	}
	return g.run(ctx, dir, src, cfg, p)
}

// chromiumPath returns the Chromium or Chrome on the PATH, "" for none.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browse starts headless Chromium for a test and returns its context; the
// errors the page logs or throws are the test's errors. It skips the test
// in -short mode or without Chromium.
func browse(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser; make test runs it once, in the pass without -race")
	}
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium is not installed (Debian: apt-get install chromium); skipping the browser checks of the explorer")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
	var mu sync.Mutex
	var pageErrors []string
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		mu.Lock()
		defer mu.Unlock()
		for _, e := range pageErrors {
			t.Errorf("the page logged an error: %s", e)
		}
	})
	if err := chromedp.Listen(ctx, func(ev any) {
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
	}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// js evaluates expr in the page and returns its value.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// poll waits, with a generous timeout, until expr is true in the page.
func poll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
		t.Fatalf("wait for %s: %v", what, err)
	}
}

// TestExplorerInChromium drives the page as a student would: the field of
// the market's pull shows the scenario's value and the allowed range;
// its slider, pulled from 1.9 down to 1, gives exactly 1, and a typed
// value is kept as typed; the run's curves grow while the first run is
// held in the middle; the headline figures are a table with intervals and
// meanings; the region map's labels are drawn over the arrows at every
// frame; the city view changes over the steps; a pinned run and the next
// download as a comparison folder with its manifest.
func TestExplorerInChromium(t *testing.T) {
	g := newGate(20, folderRunner)
	ts, _ := startServer(t, Options{Run: g.runner, Sources: []Source{{Name: "explore.yaml", Label: "explore", Src: []byte(explore)}}})
	ctx := browse(t)
	const pull = `#params input[type=number][data-path="regions.mkt.pull"]`
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(pull))); err != nil {
		t.Fatal(err)
	}

	// The field: the scenario's value and the range, not the default.
	doc := js[string](t, ctx, `document.querySelector('`+pull+`').closest('.param').querySelector('.doc').textContent`)
	if !strings.Contains(doc, "scenario: 1.9") || !strings.Contains(doc, "allowed [0, ∞)") || strings.Contains(doc, "default") {
		t.Errorf("the field of pull says %q: want the scenario's 1.9 and the range [0, ∞), and no format default", doc)
	}
	// The slider, pulled down nine stops from 1.9.
	got := js[string](t, ctx, `(() => {
		const s = document.querySelector('#params input[type=range][data-slider="regions.mkt.pull"]');
		for (let i = 0; i < 9; i++) { s.stepDown(); s.dispatchEvent(new Event('input')); }
		return document.querySelector('`+pull+`').value + ' step ' + s.step;
	})()`)
	if got != "1 step 0.1" {
		t.Errorf("pulling the slider from 1.9 down nine stops gives %q, want exactly 1 in steps of 0.1", got)
	}
	typed := js[string](t, ctx, `(() => {
		const f = document.querySelector('#params input[type=number][data-path="regions.lab.p"]');
		f.value = '0.0123'; f.dispatchEvent(new Event('input'));
		return f.value + ' ' + JSON.stringify(request().sets);
	})()`)
	if typed != `0.0123 ["regions.lab.p=0.0123","regions.mkt.pull=1"]` {
		t.Errorf("typed 0.0123 and pulled 1: the field and the page's request say %s", typed)
	}

	// The run: its curves grow while the first run is held at step 20.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#run"))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the run to start", `document.body.dataset.state === 'running' || !document.getElementById('errors').hidden`)
	if msg := js[string](t, ctx, `document.getElementById('errors').textContent`); msg != "" {
		t.Fatalf("the run did not start: %s", msg)
	}
	<-g.reached
	// The page gets the steps as they come: it must come to show steps
	// 0 to 20, of 40, while the run is held there.
	poll(t, ctx, "the curves to grow to step 20 while the first run is held there",
		`document.getElementById('adoption').dataset.grew === 'true' && document.getElementById('adoption').dataset.points === '21'`)
	mid := js[string](t, ctx, `document.body.dataset.state + ' ' + document.getElementById('adoption').dataset.points + ' of ' + document.getElementById('adoption').dataset.steps + ' ' + document.getElementById('progress').textContent`)
	if !strings.HasPrefix(mid, "running 21 of 40 runs 0 of 4 finished, the furthest at step 20") {
		t.Errorf("with the first run held at step 20 the page shows %q, want running, 21 of 40 steps drawn, and the furthest step", mid)
	}
	close(g.release)
	poll(t, ctx, "the run to end", `document.body.dataset.state === 'done'`)

	// The headline table.
	table := js[string](t, ctx, `(() => {
		const t = document.getElementById('headline-table');
		const rows = t.querySelectorAll('tr').length;
		const km = [...t.querySelectorAll('th')].find((th) => th.textContent.includes('KM'));
		const ci = t.querySelector('td .ci');
		return rows + '|' + (km ? km.title : '') + '|' + (ci ? ci.textContent : '');
	})()`)
	parts := strings.SplitN(table, "|", 3)
	if len(parts) != 3 || parts[0] != "3" || !strings.Contains(parts[1], "Kaplan–Meier") || !strings.HasPrefix(parts[2], "[") {
		t.Errorf("headline table: %q, want 3 rows, a KM heading that explains Kaplan–Meier, intervals in brackets", table)
	}

	// The region map: labels over the arrows at every frame.
	frames := js[int](t, ctx, `Number(document.getElementById('time').max) + 1`)
	for _, k := range []int{0, frames / 2, frames - 1} {
		got := js[string](t, ctx, fmt.Sprintf(`(() => {
			const s = document.getElementById('time'); s.value = %d; s.dispatchEvent(new Event('input'));
			const svg = document.getElementById('anim');
			const last = svg.lastElementChild;
			const inside = [...svg.querySelectorAll('text')].every((t) => { const b = t.getBBox(); return b.x >= 0 && b.y >= 0 && b.x + b.width <= 420 && b.y + b.height <= 320; });
			return [last.classList.contains('labels'), last.querySelectorAll('text.halo').length, svg.querySelectorAll('text').length, inside, svg.querySelectorAll('path[marker-end]').length].join(' ');
		})()`, k))
		var onTop, inside bool
		var halo, texts, arrows int
		if _, err := fmt.Sscan(got, &onTop, &halo, &texts, &inside, &arrows); err != nil {
			t.Fatalf("frame %d: %q: %v", k, got, err)
		}
		if !onTop || halo != 4 || texts != 4 || !inside {
			t.Errorf("frame %d: labels on top %v, %d of %d texts on a halo, all inside the map %v: want the 4 labels (names and shares) in the last layer, on a halo, uncut", k, onTop, halo, texts, inside)
		}
		if k == frames-1 && arrows == 0 {
			t.Errorf("frame %d: no arrow drawn, so the check says nothing", k)
		}
	}

	// The city view: a dot per city, coloured differently at the first
	// and the last step.
	fills := func(k int) string {
		return js[string](t, ctx, fmt.Sprintf(`(() => { const s = document.getElementById('time'); s.value = %d; s.dispatchEvent(new Event('input')); return document.getElementById('cities').dataset.fills; })()`, k))
	}
	first, last := fills(0), fills(frames-1)
	if n := len(strings.Fields(last)); n != 3 || first == last {
		t.Errorf("city view: %d dots, fills %q at the first step and %q at the last: want 3 dots that change", n, first, last)
	}

	// Pin, run again with another p, and download the comparison.
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#pin")),
		chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector('#params input[type=number][data-path="regions.mkt.p"]'); f.value = '0.05'; f.dispatchEvent(new Event('input')); })()`),
		chromedp.Click(chromedp.CSS("#run")),
	)
	if err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the comparison", `!document.getElementById('compare-box').hidden && !document.getElementById('compare-zip').hidden && document.querySelectorAll('#compare tr').length > 1`)
	href := js[string](t, ctx, `document.getElementById('compare-zip').href`)
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	files := unzip(t, readAll(t, resp))
	var names []string
	for name := range files {
		names = append(names, name)
	}
	screenshot(t, ctx, "explorer.png")
	wantFolder := "compare-explore-r1-vs-explore-r2/"
	for _, want := range []string{"manifest.json", "compare.csv", "report.html"} {
		if _, ok := files[wantFolder+want]; !ok {
			t.Errorf("the comparison's zip lacks %s%s: %v", wantFolder, want, names)
		}
	}
}

// TestBatchInChromium runs a batch from the page: the market's p at three
// values; the chart shows the chosen figure of both regions at the three
// points with their intervals, the table a row per point, and the folder
// downloads with the sweep's tables.
func TestBatchInChromium(t *testing.T) {
	ts, _ := startServer(t, Options{Run: folderRunner, Sources: []Source{{Name: "explore.yaml", Label: "explore", Src: []byte(explore)}}})
	ctx := browse(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#params input[data-path="regions.mkt.p"]`)),
		chromedp.Click(chromedp.CSS("#tab-batch")),
		chromedp.WaitVisible(chromedp.CSS("#batch-run")),
	)
	if err != nil {
		t.Fatal(err)
	}
	proposed := js[string](t, ctx, `(() => { const s = document.getElementById('batch-p1'); s.value = 'regions.mkt.p'; s.dispatchEvent(new Event('change')); return document.getElementById('batch-v1').value; })()`)
	if proposed != "0.01, 0.02, 0.03, 0.04" {
		t.Errorf("values proposed for p = 0.02: %q, want readable values around it", proposed)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById('batch-v1').value = '0.01, 0.03, 0.05'`),
		chromedp.Click(chromedp.CSS("#batch-run")),
	)
	if err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the batch to end", `document.body.dataset.batch === 'done'`)
	chart := js[string](t, ctx, `(() => {
		const f = document.getElementById('batch-figure'); f.value = 'commercialized'; f.dispatchEvent(new Event('change'));
		const svg = document.getElementById('batch-chart');
		return svg.dataset.points + ' ' + svg.dataset.series + ' ' + svg.querySelectorAll('g[data-series] line').length + ' ' + (document.querySelectorAll('#batch-table tr').length - 1);
	})()`)
	// 3 points × 2 regions, each with an interval bar and its two ticks.
	if chart != "6 2 18 3" {
		t.Errorf("batch chart and table: %q, want 6 points in 2 series with 18 interval lines, and 3 rows", chart)
	}
	screenshot(t, ctx, "batch.png")
	href := js[string](t, ctx, `document.getElementById('batch-zip').hidden ? '' : document.getElementById('batch-zip').href`)
	if href == "" {
		t.Fatal("no download of the batch's folder")
	}
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	files := unzip(t, readAll(t, resp))
	for _, want := range []string{"explore-r1/manifest.json", "explore-r1/points.csv", "explore-r1/summary.csv"} {
		if _, ok := files[want]; !ok {
			t.Errorf("the batch's zip lacks %s", want)
		}
	}
}

// screenshot keeps a picture of the whole page among the test's
// artifacts, for a human to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(t.ArtifactDir(), name), shot, 0o644)
	}
}

// readAll reads the body of resp, which must be 200.
func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v %s", resp.Request.URL, resp.StatusCode, err, b)
	}
	return b
}
