package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/triad-sim/triad/runs"
)

// clippedCells is a script that returns, for every table of the report,
// the cells that end right of the visible page (the window, or the box
// of a scrolling parent), and the tables wider than the box that holds
// them: a column that needs scrolling to be seen, or that paper cuts off.
const clippedCells = `(() => {
  const out = [];
  const right = document.documentElement.clientWidth;
  document.querySelectorAll("table").forEach((t, ti) => {
    const box = t.parentElement.getBoundingClientRect();
    if (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1) {
      out.push("table " + ti + " (" + t.className + ") scrolls: " + t.parentElement.scrollWidth + " px in " + t.parentElement.clientWidth);
    }
    t.querySelectorAll("th, td").forEach((c) => {
      const r = c.getBoundingClientRect();
      if (r.width > 0 && (r.right > right + 1 || r.right > box.right + 1)) {
        out.push("table " + ti + " (" + t.className + "): cell " + JSON.stringify(c.textContent.trim().slice(0, 30)) + " ends at " + Math.round(r.right) + " px, the page at " + Math.round(Math.min(right, box.right)));
      }
    });
  });
  return out;
})()`

// TestReportTablesFitInChromium opens the report of three-hubs, and that
// of a comparison of three scenarios, in headless
// Chromium at 1000 px, then as print media at the width of an A4 page's
// print area (186 mm, 703 px), and checks that every column of every table
// is on the page, wrapped if need be, never clipped or left to scrolling;
// then prints the page to PDF. The results table of three-hubs, nine
// columns of five regions with their intervals, is the widest.
func TestReportTablesFitInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; make test runs it once, in the pass without -race")
	}
	bin := chromium()
	if bin == "" {
		t.Skip("chromium is not installed (Debian: apt-get install chromium); skipping the print check of report.html")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cmp := filepath.Join(dir, "cmp")
	for _, args := range [][]string{
		{"run", "three-hubs", "--replications", "4", "--quiet", "--out", out},
		{"compare", "three-hubs", "no-connector", "gba-customs-reform", "--replications", "4", "--quiet", "--out", cmp},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
			t.Fatalf("triad %v: exit %d\n%s", args, code, stderr.String())
		}
	}
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
		chromedp.WindowSize(1000, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelT()

	check := func(how string, width int64, media string, heads int) {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900))
		if err == nil {
			_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		}
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("table.headline th").length`))
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		if got != heads {
			t.Errorf("%s: the results table has %d column heads, want %d", how, got, heads)
		}
		clipped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](clippedCells))
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		for _, c := range clipped {
			t.Errorf("%s: %s", how, c)
		}
	}
	// The comparison's report, of three sets, has the widest table after
	// the results (two columns per set and four per difference).
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(filepath.Join(cmp, runs.ReportName)))); err != nil {
		t.Fatal(err)
	}
	check("comparison on screen at 1000 px", 1000, "screen", 0)
	check("comparison in print on A4", 703, "print", 0)
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(filepath.Join(out, runs.ReportName)))); err != nil {
		t.Fatal(err)
	}
	check("on screen at 1000 px", 1000, "screen", 9)
	check("in print on A4", 703, "print", 9)

	if err := chromedp.Do(ctx, chromedp.ResetViewport()); err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), func(p *page.PrintToPDFParams) { yes := true; p.PreferCSSPageSize = &yes }))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 10_000 {
		t.Errorf("print to PDF gave %d bytes starting %q, want a PDF", len(pdf), fmt.Sprintf("%.8s", pdf))
	}
	os.WriteFile(filepath.Join(t.ArtifactDir(), "report.pdf"), pdf, 0o644)
}
