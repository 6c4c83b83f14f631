package sim_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// The benchmarks report, for the whole run (model building included):
//
//   - firm-steps/s: firms × steps / wall time;
//   - trials/s: adoption trials (non-adopting firm × commercialized
//     innovation × step, RunResult.Trials) / wall time;
//   - B/firm: peak heap in use / firms.
//
// `make bench` runs them with one and two workers and prints the speedup;
// docs/PERFORMANCE.md records the figures and how they scale.

// diffusionConfig is the diffusion benchmark: pure diffusion over four
// regions holding 20/30/20/30 % of the firms, 80 % of contacts in the own
// region, one innovation seeded in 1 % of the first region's firms, no
// friction and capability 1. Its ties are directed (k = 8 per firm), as
// when the figures of docs/PERFORMANCE.md were first measured, so that
// they stay comparable; reciprocal ties read twice as many ties per trial.
func diffusionConfig(firms, steps int) sim.Config {
	c := sim.NewConfig()
	c.Name = "diffusion"
	c.Seed = 1
	c.Steps = steps
	c.Replicates = 1
	c.Diffusion.K = 8
	c.Diffusion.Ties = sim.TiesDirected
	c.Diffusion.Q = 0.35
	c.DefaultLink = sim.LinkParams{Friction: 0, Coupling: 1}
	for k, share := range []float64{0.2, 0.3, 0.2, 0.3} {
		r := sim.NewRegion()
		r.ID = fmt.Sprintf("r%d", k)
		r.P = 0.001 + 0.0005*float64(k)
		r.Reach = 0.2
		ct := sim.NewCity()
		ct.ID = fmt.Sprintf("c%d", k)
		ct.Firms = int(share * float64(firms))
		r.Cities = []sim.City{ct}
		c.Regions = append(c.Regions, r)
	}
	c.Initial = []sim.Initial{{City: "c0", Share: 0.01}}
	return c
}

// fourRegionConfig is four-region-1m and its siblings: diffusionConfig
// with reciprocal ties, the model's default, so that a firm reads its k
// drawn contacts and the ties drawn to it (2k on average).
func fourRegionConfig(firms, steps int) sim.Config {
	c := diffusionConfig(firms, steps)
	c.Name = "four-region"
	c.Diffusion.Ties = sim.TiesReciprocal
	return c
}

// fourRegionDirectedConfig is four-region-directed-1m (issue 29):
// diffusionConfig with its cross-region contacts spread by one-way links
// whose couplings differ between the two directions of each pair.
func fourRegionDirectedConfig(firms, steps int) sim.Config {
	c := diffusionConfig(firms, steps)
	c.Name = "four-region-directed"
	coupling := [4][4]float64{
		{0, 3, 1, 1},
		{1, 0, 2, 1},
		{0.5, 1, 0, 2},
		{1, 0.5, 1.5, 0},
	}
	for a := range coupling {
		for b, cp := range coupling[a] {
			if a != b {
				c.Links = append(c.Links, sim.Link{From: fmt.Sprintf("r%d", a), To: fmt.Sprintf("r%d", b),
					LinkParams: sim.LinkParams{Friction: 0, Coupling: cp}})
			}
		}
	}
	return c
}

// threeHubsConfig is the built-in three-hubs scenario scaled to about the
// given number of firms, with one replicate. Firms and labs are multiplied
// by the same factor f, but each city's research chance is divided by f, so
// that breakthroughs per step (labs × research), and with them the number
// of innovations, stay those of three-hubs. Scaling labs alone would
// multiply the innovations by f (~240 at a million firms) and make the work
// quadratic: every innovation meets every firm at every step.
func threeHubsConfig(tb testing.TB, firms int) sim.Config {
	tb.Helper()
	c, err := scenarios.Builtin("three-hubs")
	if err != nil {
		tb.Fatal(err)
	}
	total := 0
	for _, r := range c.Regions {
		for _, ct := range r.Cities {
			total += ct.Firms
		}
	}
	f := float64(firms) / float64(total)
	for i := range c.Regions {
		for j := range c.Regions[i].Cities {
			ct := &c.Regions[i].Cities[j]
			ct.Firms = max(1, int(math.Round(float64(ct.Firms)*f)))
			ct.Labs = int(math.Round(float64(ct.Labs) * f))
			ct.Research /= f
		}
	}
	c.Replicates = 1
	return mustValid(tb, c)
}

func mustValid(tb testing.TB, c sim.Config) sim.Config {
	tb.Helper()
	if err := c.Validate(); err != nil {
		tb.Fatalf("config does not validate:\n%v", err)
	}
	return c
}

// BenchmarkDiffusion is diffusion-1m and its smaller and larger siblings.
func BenchmarkDiffusion(b *testing.B) {
	for _, firms := range []int{1_000, 100_000, 1_000_000} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("firms=%d/workers=%d", firms, w), func(b *testing.B) {
				benchRun(b, mustValid(b, diffusionConfig(firms, 100)), w)
			})
		}
	}
}

// BenchmarkFourRegion is four-region-1m (fourRegionConfig, the scenario
// docs/bench/four-region-1m.yaml) and a 100,000-firm sibling, small enough
// to count its instructions under a simulator.
func BenchmarkFourRegion(b *testing.B) {
	for _, firms := range []int{100_000, 1_000_000} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("firms=%d/workers=%d", firms, w), func(b *testing.B) {
				benchRun(b, mustValid(b, fourRegionConfig(firms, 100)), w)
			})
		}
	}
}

// BenchmarkFourRegionDirected is four-region-directed-1m
// (fourRegionDirectedConfig, docs/bench/four-region-directed-1m.yaml): the
// simulation that cmd/triad's BenchmarkWholeProcess times as a process.
func BenchmarkFourRegionDirected(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("firms=1000000/workers=%d", w), func(b *testing.B) {
			benchRun(b, mustValid(b, fourRegionDirectedConfig(1_000_000, 100)), w)
		})
	}
}

// BenchmarkSmallRun is the cost of one small run, as a sweep point or a
// fit's proposal pays it: one run of the built-in three-hubs (4,220 firms,
// 120 steps) in process, results kept and no file written, one run per
// iteration; and the same run cut to one step, whose time is about the
// run's fixed cost (validating the Config, building the model, the
// summary of its innovations). runs/s is the inverse of the time per run;
// with -benchmem, allocs/op and B/op are per run, and allocs/step is the
// allocations of a run per step (TestQuietStepsDoNotAllocate checks that
// the steps themselves allocate nothing once the run has its room).
func BenchmarkSmallRun(b *testing.B) {
	cfg, err := scenarios.Builtin("three-hubs")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Replicates = 1
	for _, steps := range []int{cfg.Steps, 1} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("three-hubs/steps=%d/workers=%d", steps, w), func(b *testing.B) {
				cfg := cfg
				cfg.Steps = steps
				b.ReportAllocs()
				task := []sim.Task{{}}
				var ms0, ms1 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				for b.Loop() {
					if _, err := sim.RunTasks(context.Background(), cfg, task, sim.Options{Workers: w}); err != nil {
						b.Fatal(err)
					}
				}
				runtime.ReadMemStats(&ms1)
				sec := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(1/sec, "runs/s")
				b.ReportMetric(sec*1e3, "ms/run")
				b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(b.N)/float64(cfg.Steps), "allocs/step")
				reportSpeedup(b, sec)
			})
		}
	}
}

// BenchmarkSmallRuns is the runs per second of three-hubs when many runs
// go at once, as in a sweep or a fit's generation: 200 replications per
// iteration on 1 and 2 workers (one run per worker at a time), results
// handed to Done and dropped, no file written.
func BenchmarkSmallRuns(b *testing.B) {
	const runs = 200
	cfg, err := scenarios.Builtin("three-hubs")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Replicates = runs
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("three-hubs/runs=%d/workers=%d", runs, w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sim.RunTasks(context.Background(), cfg, cfg.Tasks(), sim.Options{Workers: w, Stream: true, Done: func(*sim.RunResult) {}}); err != nil {
					b.Fatal(err)
				}
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(runs/sec, "runs/s")
			b.ReportMetric(sec/runs*1e3, "ms/run")
			reportSpeedup(b, sec)
		})
	}
}

// BenchmarkBuild times, on one worker, building the model of four-region-1m
// (capabilities and contacts) and then the whole 100-step run, build
// included, and reports build-share: the build's part of the run's time.
func BenchmarkBuild(b *testing.B) {
	cfg := mustValid(b, fourRegionConfig(1_000_000, 100))
	b.Run("four-region-1m/workers=1", func(b *testing.B) {
		var build, whole time.Duration
		for b.Loop() {
			runtime.GC()
			t0 := time.Now()
			sim.BuildModel(cfg, 1)
			t1 := time.Now()
			runtime.GC()
			t2 := time.Now()
			if _, err := sim.RunTasks(context.Background(), cfg, []sim.Task{{Point: 0, Replicate: 0}}, sim.Options{Workers: 1}); err != nil {
				b.Fatal(err)
			}
			build += t1.Sub(t0)
			whole += time.Since(t2)
		}
		b.ReportMetric(build.Seconds()*1e3/float64(b.N), "build-ms")
		b.ReportMetric(build.Seconds()/whole.Seconds(), "build-share")
	})
}

// BenchmarkThreeHubs is three-hubs-1m: the built-in scenario scaled to a
// million firms (see threeHubsConfig), 120 steps, one replicate, and a
// 100,000-firm sibling.
func BenchmarkThreeHubs(b *testing.B) {
	for _, firms := range []int{100_000, 1_000_000} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("firms=%d/workers=%d", firms, w), func(b *testing.B) {
				benchRun(b, threeHubsConfig(b, firms), w)
			})
		}
	}
}

func benchRun(b *testing.B, cfg sim.Config, workers int) {
	firms := 0
	for _, r := range cfg.Regions {
		for _, c := range r.Cities {
			firms += c.Firms
		}
	}
	var trials float64
	var peak uint64
	sample := func(int, int, int, []sim.Row) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	for b.Loop() {
		runtime.GC()
		opts := sim.Options{Workers: workers}
		if peak == 0 { // measure memory in the first run only: ReadMemStats stops the world
			opts.Observe = sample
		}
		res, err := sim.RunTasks(context.Background(), cfg, []sim.Task{{Point: 0, Replicate: 0}}, opts)
		if err != nil {
			b.Fatal(err)
		}
		trials = float64(res[0].Trials)
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(firms)*float64(cfg.Steps)/sec, "firm-steps/s")
	b.ReportMetric(trials/sec, "trials/s")
	b.ReportMetric(float64(peak)/float64(firms), "B/firm")
	reportSpeedup(b, sec)
}

// benchSecs holds the seconds per operation of finished benchmarks, by name,
// so that a workers=2 benchmark can report its speedup over workers=1.
var benchSecs sync.Map

// reportSpeedup records b's seconds per operation and, for workers=2, reports
// the speedup over the same benchmark with workers=1 if that ran before.
func reportSpeedup(b *testing.B, sec float64) {
	benchSecs.Store(b.Name(), sec)
	if !strings.Contains(b.Name(), "workers=2") {
		return
	}
	if one, ok := benchSecs.Load(strings.Replace(b.Name(), "workers=2", "workers=1", 1)); ok {
		b.ReportMetric(one.(float64)/sec, "speedup")
	}
}

// TestBenchScenarioFilesMatchTheBenchmark checks that the scenario files
// docs/PERFORMANCE.md times with `triad run` hold the benchmark's Config.
func TestBenchScenarioFilesMatchTheBenchmark(t *testing.T) {
	for name, want := range map[string]sim.Config{
		"diffusion-1m":            diffusionConfig(1_000_000, 100),
		"diffusion-10m":           diffusionConfig(10_000_000, 100),
		"four-region-1m":          fourRegionConfig(1_000_000, 100),
		"four-region-directed-1m": fourRegionDirectedConfig(1_000_000, 100),
	} {
		path := filepath.Join("..", "docs", "bench", name+".yaml")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scenarios.LoadCapped(path, src, scenarios.NoCaps)
		if err != nil {
			t.Fatal(err)
		}
		got.Description = ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", path, got, want)
		}
	}
}
