//go:build unix

// Command scaling measures how the time and memory of a triad run grow with
// firms, innovations, steps and workers, and writes the table and plot of
// docs/PERFORMANCE.md:
//
//	go run ./internal/scaling -out docs
//
// writes docs/scaling.csv, docs/scaling.svg and docs/scaling.png and prints
// the table as Markdown; -replot redraws the plots from docs/scaling.csv.
// Each measurement runs in a fresh child process (this program with -one),
// so that its peak resident memory is its own, -repeat times; the table
// keeps the fastest run, since other work on a shared machine only slows a
// run down. It takes a few minutes on a two-core machine; it is a tool for
// the docs, not a test.
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// job is one measurement: a scenario, its size and the workers.
type job struct {
	Series      string // which panel: firms, innovations, steps, workers
	Scenario    string // diffusion or three-hubs
	Firms       int
	Innovations int // diffusion: products seeded at step 0
	Steps       int
	Workers     int
}

// result is what a child reports, plus the parent's view of its memory.
type result struct {
	job
	Wall      float64 // seconds of sim.RunTasks, model building included
	Trials    int64
	PeakHeap  uint64 // bytes
	MaxRSS    uint64 // bytes, the whole child process
	Innovated int    // innovations commercialized (three-hubs) or seeded
}

func jobs() []job {
	var js []job
	for _, f := range []int{10_000, 100_000, 1_000_000, 10_000_000} {
		for _, w := range []int{1, 2} {
			js = append(js, job{"firms", "diffusion", f, 1, 100, w})
		}
	}
	for _, m := range []int{1, 4, 16, 64} {
		js = append(js, job{"innovations", "diffusion", 1_000_000, m, 100, 2})
	}
	for _, s := range []int{30, 60, 120, 240} {
		js = append(js, job{"steps", "three-hubs", 100_000, 0, s, 2})
	}
	for _, w := range []int{1, 2, 3, 4} {
		js = append(js, job{"workers", "diffusion", 1_000_000, 1, 100, w})
		js = append(js, job{"workers", "three-hubs", 100_000, 0, 120, w})
	}
	return js
}

func main() {
	out := flag.String("out", "docs", "folder for scaling.csv and scaling.svg")
	one := flag.String("one", "", "run one measurement given as JSON and print its result (used by the parent)")
	replot := flag.Bool("replot", false, "redraw the plots from the folder's scaling.csv without measuring")
	repeat := flag.Int("repeat", 3, "runs per measurement; the table keeps the fastest")
	flag.Parse()
	if *replot {
		rs, err := readCSV(filepath.Join(*out, "scaling.csv"))
		if err != nil {
			fail(err)
		}
		if err := writePlots(*out, rs); err != nil {
			fail(err)
		}
		return
	}
	if *one != "" {
		var j job
		if err := json.Unmarshal([]byte(*one), &j); err != nil {
			fail(err)
		}
		r, err := measure(j)
		if err != nil {
			fail(err)
		}
		json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	var rs []result
	for _, j := range jobs() {
		var r result
		for k := range max(1, *repeat) {
			rk, err := child(j)
			if err != nil {
				fail(err)
			}
			if k == 0 || rk.Wall < r.Wall {
				r = rk
			}
		}
		fmt.Fprintf(os.Stderr, "%-11s %-10s firms=%-8d innovations=%-3d steps=%-3d workers=%d: %.2fs, %.0f MB\n",
			j.Series, j.Scenario, j.Firms, r.Innovated, j.Steps, j.Workers, r.Wall, float64(r.MaxRSS)/1e6)
		rs = append(rs, r)
	}
	if err := writeCSV(filepath.Join(*out, "scaling.csv"), rs); err != nil {
		fail(err)
	}
	if err := writePlots(*out, rs); err != nil {
		fail(err)
	}
	writeMarkdown(os.Stdout, rs)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "scaling:", err)
	os.Exit(1)
}

// child runs one job in a fresh process and adds its peak resident memory.
func child(j job) (result, error) {
	arg, _ := json.Marshal(j)
	cmd := exec.Command(os.Args[0], "-one", string(arg))
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %w", arg, err)
	}
	var r result
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return result{}, fmt.Errorf("%s: %w", arg, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSS = uint64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return r, nil
}

// measure runs one job in this process.
func measure(j job) (result, error) {
	cfg, err := config(j)
	if err != nil {
		return result{}, err
	}
	if err := cfg.Validate(); err != nil {
		return result{}, err
	}
	r := result{job: j}
	heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	start := time.Now()
	runs, err := sim.RunTasks(context.Background(), cfg, []sim.Task{{}}, sim.Options{Workers: j.Workers,
		Observe: func(int, int, int, []sim.Row) {
			metrics.Read(heap)
			r.PeakHeap = max(r.PeakHeap, heap[0].Value.Uint64())
		}})
	r.Wall = time.Since(start).Seconds()
	if err != nil {
		return result{}, err
	}
	r.Trials = runs[0].Trials
	r.Innovated = j.Innovations
	if j.Scenario == "three-hubs" {
		r.Innovated = 0
		for _, row := range runs[0].Rows {
			r.Innovated += row.Commercialized
		}
	}
	return r, nil
}

// config builds the job's scenario: the diffusion benchmark (as in
// sim/bench_test.go) with j.Innovations products, or three-hubs scaled to
// j.Firms with research divided by the scale so that breakthroughs per step
// stay those of three-hubs.
func config(j job) (sim.Config, error) {
	if j.Scenario == "three-hubs" {
		c, err := scenarios.Builtin("three-hubs")
		if err != nil {
			return c, err
		}
		total := 0
		for _, r := range c.Regions {
			for _, ct := range r.Cities {
				total += ct.Firms
			}
		}
		f := float64(j.Firms) / float64(total)
		for i := range c.Regions {
			for k := range c.Regions[i].Cities {
				ct := &c.Regions[i].Cities[k]
				ct.Firms = max(1, int(math.Round(float64(ct.Firms)*f)))
				ct.Labs = int(math.Round(float64(ct.Labs) * f))
				ct.Research /= f
			}
		}
		c.Replicates, c.Steps = 1, j.Steps
		return c, nil
	}
	c := sim.NewConfig()
	c.Name, c.Seed, c.Steps, c.Replicates = "diffusion", 1, j.Steps, 1
	c.Diffusion.K, c.Diffusion.Q = 8, 0.35
	c.DefaultLink = sim.LinkParams{Friction: 0, Coupling: 1}
	for k, share := range []float64{0.2, 0.3, 0.2, 0.3} {
		r := sim.NewRegion()
		r.ID, r.P, r.Reach = fmt.Sprintf("r%d", k), 0.001+float64(0.0005*float64(k)), 0.2
		ct := sim.NewCity()
		ct.ID, ct.Firms = fmt.Sprintf("c%d", k), int(share*float64(j.Firms))
		r.Cities = []sim.City{ct}
		c.Regions = append(c.Regions, r)
	}
	for m := range j.Innovations {
		c.Initial = append(c.Initial, sim.Initial{City: fmt.Sprintf("c%d", m%4), Share: 0.01})
	}
	return c, nil
}

var header = []string{"series", "scenario", "firms", "innovations", "steps", "workers",
	"wall_s", "firm_steps_per_s", "trials_per_s", "peak_heap_mb", "max_rss_mb", "bytes_per_firm"}

func (r result) fields() []string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	return []string{r.Series, r.Scenario, strconv.Itoa(r.Firms), strconv.Itoa(r.Innovated),
		strconv.Itoa(r.Steps), strconv.Itoa(r.Workers), g(r.Wall),
		g(float64(r.Firms) * float64(r.Steps) / r.Wall), g(float64(r.Trials) / r.Wall),
		g(float64(r.PeakHeap) / 1e6), g(float64(r.MaxRSS) / 1e6), g(float64(r.PeakHeap) / float64(r.Firms))}
}

func writeCSV(path string, rs []result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	for _, r := range rs {
		w.Write(r.fields())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readCSV reads back what writeCSV wrote.
func readCSV(path string) ([]result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var rs []result
	for _, rec := range recs[1:] {
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s: %d fields, want %d", path, len(rec), len(header))
		}
		num := func(i int) float64 {
			v, e := strconv.ParseFloat(rec[i], 64)
			if e != nil && err == nil {
				err = fmt.Errorf("%s: %s: %w", path, header[i], e)
			}
			return v
		}
		r := result{job: job{Series: rec[0], Scenario: rec[1], Firms: int(num(2)), Steps: int(num(4)), Workers: int(num(5))}}
		r.Innovated, r.Innovations = int(num(3)), int(num(3))
		r.Wall = num(6)
		r.Trials = int64(num(8) * r.Wall)
		r.PeakHeap, r.MaxRSS = uint64(num(9)*1e6), uint64(num(10)*1e6)
		rs = append(rs, r)
	}
	return rs, err
}

func writeMarkdown(w io.Writer, rs []result) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat(" --- |", len(header)))
	for _, r := range rs {
		fmt.Fprintf(w, "| %s |\n", strings.Join(r.fields(), " | "))
	}
}

// writePlots draws scaling.svg and scaling.png into dir.
func writePlots(dir string, rs []result) error {
	for _, ext := range []string{"svg", "png"} {
		if err := writePlot(filepath.Join(dir, "scaling."+ext), rs); err != nil {
			return err
		}
	}
	return nil
}

// writePlot draws four panels: time and memory against firms, time
// against innovations, steps and workers; the format follows the file's
// extension.
func writePlot(path string, rs []result) error {
	pick := func(series, scenario string, workers int) []result {
		var out []result
		for _, r := range rs {
			if r.Series == series && r.Scenario == scenario && (workers == 0 || r.Workers == workers) {
				out = append(out, r)
			}
		}
		return out
	}
	line := func(name string, rs []result, x func(result) float64, y func(result) float64, c int) chart.Line {
		l := chart.Line{Name: name, Color: c}
		for _, r := range rs {
			l.X, l.Y = append(l.X, x(r)), append(l.Y, y(r))
		}
		return l
	}
	wall := func(r result) float64 { return r.Wall }
	seconds := []float64{0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30}

	firms := chart.Panel{Title: "diffusion, 100 steps: time and memory vs firms", XLabel: "firms", YLabel: "seconds / GB", LogLog: true, YTicks: seconds}
	byFirms := func(r result) float64 { return float64(r.Firms) }
	for w := 1; w <= 2; w++ {
		firms.Lines = append(firms.Lines, line(fmt.Sprintf("time, %d worker(s)", w), pick("firms", "diffusion", w), byFirms, wall, w-1))
	}
	firms.Lines = append(firms.Lines, line("peak RSS (GB), 2 workers", pick("firms", "diffusion", 2), byFirms, func(r result) float64 { return float64(r.MaxRSS) / 1e9 }, 2))

	inns := chart.Panel{Title: "diffusion, 1M firms, 2 workers: time vs innovations", XLabel: "innovations seeded", YLabel: "seconds", LogLog: true,
		XTicks: []float64{1, 4, 16, 64}, YTicks: seconds,
		Lines: []chart.Line{line("time", pick("innovations", "diffusion", 0), func(r result) float64 { return float64(r.Innovated) }, wall, 0)}}

	steps := chart.Panel{Title: "three-hubs, 100k firms, 2 workers: time vs steps", XLabel: "steps", YLabel: "seconds", LogLog: true,
		XTicks: []float64{30, 60, 120, 240}, YTicks: seconds,
		Lines: []chart.Line{line("time", pick("steps", "three-hubs", 0), func(r result) float64 { return float64(r.Steps) }, wall, 0)}}

	workers := chart.Panel{Title: "speedup over 1 worker (2 cores)", XLabel: "workers", YLabel: "speedup",
		YMin: 0, YMax: 2.2, XTicks: []float64{1, 2, 3, 4}, YTicks: []float64{0, 0.5, 1, 1.5, 2}}
	for c, sc := range []string{"diffusion", "three-hubs"} {
		rs := pick("workers", sc, 0)
		if len(rs) == 0 {
			continue
		}
		one := rs[0].Wall
		name := map[string]string{"diffusion": "diffusion-1m", "three-hubs": "three-hubs-100k"}[sc]
		workers.Lines = append(workers.Lines, line(name, rs, func(r result) float64 { return float64(r.Workers) }, func(r result) float64 { return one / r.Wall }, c))
	}
	workers.Lines = append(workers.Lines, chart.Line{Name: "two cores' limit", X: []float64{1, 2, 4}, Y: []float64{1, 2, 2}, Reference: true})

	format := "svg"
	if filepath.Ext(path) == ".png" {
		format = "png"
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := chart.WritePanels(f, format, [][]chart.Panel{{firms, inns}, {steps, workers}}, 12, 8); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
