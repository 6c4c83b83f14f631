package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/triad-sim/triad/runs"
)

// reportScenario is a small scenario with a policy, so that every section
// of the report has something in it.
const reportScenario = `name: tiny
description: Two small regions for the report tests <script>alert(1)</script>.
seed: 5
steps: 12
replications: 3
diffusion:
  k: 4
  q: 0.4
transfer:
  attempts: 2
  max_pending: 6
regions:
  - id: north
    name: The North
    role: source
    p: 0.01
    reach: 0.2
    cities:
      - id: lab-town
        labs: 10
        firms: 60
        research: 0.1
        transform: 0.3
  - id: south
    role: accelerator
    p: 0.02
    reach: 0.2
    pull: 2
    cities:
      - id: factory-town
        firms: 80
        transform: 0.6
links:
  - between: [north, south]
    friction: 0.2
    coupling: 0.5
policies:
  - at: 6
    name: open the border
    set: {links.north-south.friction: 0.05}
`

// runReportScenario runs reportScenario into dir/out with the given extra
// arguments and returns the output folder.
func runReportScenario(t *testing.T, dir string, args ...string) string {
	t.Helper()
	scen := filepath.Join(dir, "tiny.yaml")
	if err := os.WriteFile(scen, []byte(reportScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	args = append([]string{"run", scen, "--quiet", "--force", "--out", out}, args...)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("triad %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return out
}

// TestReportDeterministic checks that report.html does not depend on the
// number of workers, that the manifest records its hash, and that triad
// report rebuilds the same bytes.
func TestReportDeterministic(t *testing.T) {
	dir := t.TempDir()
	out := runReportScenario(t, dir, "--workers", "1")
	one, err := os.ReadFile(filepath.Join(out, runs.ReportName))
	if err != nil {
		t.Fatal(err)
	}
	man, err := runs.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if man.Files[runs.ReportName] == "" {
		t.Errorf("the manifest lists no %s", runs.ReportName)
	}
	out = runReportScenario(t, dir, "--workers", "4")
	four, err := os.ReadFile(filepath.Join(out, runs.ReportName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one, four) {
		t.Error("report.html differs between 1 and 4 workers")
	}
	for _, bad := range []string{"<script", filepath.ToSlash(dir)} {
		if bytes.Contains(one, []byte(bad)) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	if err := os.Remove(filepath.Join(out, runs.ReportName)); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"report", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("triad report: exit %d\n%s", code, stderr.String())
	}
	again, err := os.ReadFile(filepath.Join(out, runs.ReportName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one, again) {
		t.Error("triad report wrote other bytes than the run")
	}
	man2, err := runs.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if man2.Files[runs.ReportName] != man.Files[runs.ReportName] {
		t.Errorf("the manifest's hash of the rebuilt report is %s, want %s", man2.Files[runs.ReportName], man.Files[runs.ReportName])
	}
}

// chromium returns the path of a Chromium or Chrome binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// headless runs Chromium headless on url with the extra flags and returns
// its stdout and stderr. Each call has its own profile folder, and every
// background service that might reach the network is off.
func headless(t *testing.T, bin, url string, extra ...string) (stdout, stderr []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir(), "--window-size=1280,2000",
	}
	args = append(append(args, extra...), url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, e.String())
	}
	return o.Bytes(), e.Bytes()
}

// probeHead and probeBody are added to a copy of the report: the first
// records errors from the start, the second measures the page once it
// has loaded and writes what it found into the DOM as JSON.
const (
	probeHead = `<script>
window.__errors = [];
window.addEventListener("error", function (e) {
  window.__errors.push("error: " + (e.message || (e.target && (e.target.src || e.target.href)) || "a resource failed"));
}, true);
window.addEventListener("unhandledrejection", function () { window.__errors.push("unhandled rejection"); });
["error", "warn"].forEach(function (k) {
  var f = console[k];
  console[k] = function () { window.__errors.push("console." + k + ": " + Array.prototype.join.call(arguments, " ")); f.apply(console, arguments); };
});
</script>`
	probeBody = `<script>
window.addEventListener("load", function () {
  var svgs = Array.prototype.map.call(document.querySelectorAll("figure svg"), function (s) {
    var r = s.getBoundingClientRect();
    return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height, paths: s.querySelectorAll("path").length};
  });
  var out = {
    svgs: svgs,
    resources: performance.getEntriesByType("resource").map(function (e) { return e.name; }),
    errors: window.__errors,
    title: document.title,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth
  };
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>`
)

// probe is what probeBody reports.
type probe struct {
	SVGs []struct {
		X, Y, W, H float64
		Paths      int
	}
	Resources   []string
	Errors      []string
	Title       string
	ScrollWidth int
	InnerWidth  int
}

var probeOut = regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`)

// TestReportInChromium opens the report of a small run in headless
// Chromium: the page must load without console errors, fetch nothing,
// fit a laptop's width, and show every chart with a non-zero size and
// drawn pixels.
func TestReportInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; make test runs it once, in the pass without -race")
	}
	bin := chromium()
	if bin == "" {
		t.Skip("chromium is not installed (Debian: apt-get install chromium); skipping the browser check of report.html")
	}
	dir := t.TempDir()
	out := runReportScenario(t, dir)
	page := filepath.Join(out, runs.ReportName)
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	art := t.ArtifactDir()

	// The page as written: a screenshot, with the console on stderr.
	shot := filepath.Join(art, "report.png")
	_, logs := headless(t, bin, fileURL(page), "--enable-logging=stderr", "--v=0", "--screenshot="+shot)
	for _, line := range strings.Split(string(logs), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("console message: %s", line)
		}
	}

	// A copy with the probe: errors, network and the charts' boxes.
	probed := bytes.Replace(src, []byte("<head>"), []byte("<head>\n"+probeHead), 1)
	probed = bytes.Replace(probed, []byte("</body>"), []byte(probeBody+"\n</body>"), 1)
	probePage := filepath.Join(out, "report-probe.html")
	if err := os.WriteFile(probePage, probed, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, _ := headless(t, bin, fileURL(probePage), "--dump-dom")
	os.WriteFile(filepath.Join(art, "report-dom.html"), dom, 0o644)
	m := probeOut.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe wrote nothing into the DOM (see %s)", filepath.Join(art, "report-dom.html"))
	}
	var p probe
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &p); err != nil {
		t.Fatalf("probe output: %v", err)
	}
	for _, e := range p.Errors {
		t.Errorf("page error: %s", e)
	}
	if len(p.Resources) > 0 {
		t.Errorf("the page loaded resources, want none: %v", p.Resources)
	}
	if p.Title != "tiny · triad report" {
		t.Errorf("title %q, want %q", p.Title, "tiny · triad report")
	}
	if p.ScrollWidth > p.InnerWidth {
		t.Errorf("the page is %d px wide in a %d px window", p.ScrollWidth, p.InnerWidth)
	}
	if len(p.SVGs) != 3 {
		t.Fatalf("got %d charts on the page, want 3 (adoption, pipeline, transfer)", len(p.SVGs))
	}
	for i, s := range p.SVGs {
		if s.W < 300 || s.H < 150 || s.Paths == 0 {
			t.Errorf("chart %d is %.0f×%.0f px with %d paths; want at least 300×150 and some paths", i, s.W, s.H, s.Paths)
		}
	}

	// The first chart must be drawn in the screenshot: many pixels that
	// are not the background, in several colours.
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	c := p.SVGs[0]
	box := image.Rect(int(c.X), int(c.Y), int(c.X+c.W), int(c.Y+c.H)).Intersect(img.Bounds())
	if box.Dy() < 100 {
		t.Fatalf("the first chart (%+v) is not in the %v screenshot", c, img.Bounds())
	}
	inked, colours := 0, map[[3]uint32]bool{}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || b < 0xf000 {
				inked++
				colours[[3]uint32{r >> 12, g >> 12, b >> 12}] = true
			}
		}
	}
	if share := float64(inked) / float64(box.Dx()*box.Dy()); share < 0.02 || len(colours) < 4 {
		t.Errorf("the first chart looks blank in the screenshot: %.1f %% of its pixels drawn in %d colours (see %s)", 100*share, len(colours), shot)
	}
}

// fileURL returns the file:// URL of an absolute path.
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/... on Windows
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
