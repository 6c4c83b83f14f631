package sim

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

// diffusionConfig is the diffusion benchmark: pure diffusion over four
// regions holding 20/30/20/30 % of the firms, 80 % of contacts in the own
// region, one innovation seeded in 1 % of the first region's firms, no
// friction and capability 1.
func diffusionConfig(firms, steps int) Config {
	c := NewConfig()
	c.Name = "diffusion"
	c.Seed = 1
	c.Steps = steps
	c.Replicates = 1
	c.Diffusion.K = 8
	c.Diffusion.Q = 0.35
	c.DefaultLink = LinkParams{Friction: 0, Coupling: 1}
	for k, share := range []float64{0.2, 0.3, 0.2, 0.3} {
		r := NewRegion()
		r.ID = fmt.Sprintf("r%d", k)
		r.P = 0.001 + 0.0005*float64(k)
		r.Reach = 0.2
		ct := NewCity()
		ct.ID = fmt.Sprintf("c%d", k)
		ct.Firms = int(share * float64(firms))
		r.Cities = []City{ct}
		c.Regions = append(c.Regions, r)
	}
	c.Initial = []Initial{{City: "c0", Share: 0.01}}
	return c
}

// BenchmarkDiffusion reports firm-steps per second (firms × steps / time),
// adoption trials per second and bytes per firm (peak heap / firms) for the
// whole run, model building included.
func BenchmarkDiffusion(b *testing.B) {
	for _, firms := range []int{1_000, 100_000, 1_000_000} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("firms=%d/workers=%d", firms, w), func(b *testing.B) {
				cfg := mustValid(b, diffusionConfig(firms, 100))
				benchRun(b, cfg, w)
			})
		}
	}
}

func benchRun(b *testing.B, cfg Config, workers int) {
	firms := 0
	for _, r := range cfg.Regions {
		for _, c := range r.Cities {
			firms += c.Firms
		}
	}
	var trials float64
	var peak uint64
	sample := func(int, int, int, []Row) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	for b.Loop() {
		runtime.GC()
		opts := Options{Workers: workers}
		if peak == 0 { // measure memory in the first run only: ReadMemStats stops the world
			opts.Observe = sample
		}
		res, err := RunTasks(context.Background(), cfg, []Task{{0, 0}}, opts)
		if err != nil {
			b.Fatal(err)
		}
		trials = float64(res[0].Trials)
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(firms)*float64(cfg.Steps)/sec, "firm-steps/s")
	b.ReportMetric(trials/sec, "trials/s")
	b.ReportMetric(float64(peak)/float64(firms), "B/firm")
}
