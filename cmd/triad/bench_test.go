package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

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

// BenchmarkSweepSmall is sweep-small: 1,000 runs (replications) of the
// built-in three-hubs scenario through the command line's in-process entry,
// tables, plots and all, written to a temporary folder. Each iteration
// first runs the same 1,000 simulations alone (sim.RunTasks, results
// discarded), then the command, so that both meet the same state of the
// machine; overhead-ms/run is the difference of their wall times, summed
// over the iterations, per run: set-up, run files, assembly and output.
// Throughputs are of the command. B/firm is the peak heap of the command
// divided by the firms of the runs in flight (one per worker).
func BenchmarkSweepSmall(b *testing.B) {
	const runs = 1000
	cfg, err := scenarios.Builtin("three-hubs")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Replicates = runs
	firms := 0
	for _, r := range cfg.Regions {
		for _, c := range r.Cities {
			firms += c.Firms
		}
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("runs=%d/workers=%d", runs, w), func(b *testing.B) {
			var trials int64
			var mu sync.Mutex
			var peak uint64
			var simSec, wholeSec float64
			for b.Loop() {
				trials = 0
				start := time.Now()
				_, err := sim.RunTasks(context.Background(), cfg, cfg.Tasks(), sim.Options{Workers: w, Stream: true, Done: func(r *sim.RunResult) {
					mu.Lock()
					trials += r.Trials
					mu.Unlock()
				}})
				if err != nil {
					b.Fatal(err)
				}
				simSec += time.Since(start).Seconds()
				stop := sampleHeap(&peak)
				var stderr bytes.Buffer
				args := []string{"run", "three-hubs", "--replications", strconv.Itoa(runs),
					"--workers", strconv.Itoa(w), "--quiet", "--force", "--out", filepath.Join(b.TempDir(), "out")}
				start = time.Now()
				code := run(context.Background(), args, io.Discard, &stderr)
				wholeSec += time.Since(start).Seconds()
				stop()
				if code != exitOK {
					b.Fatalf("triad %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
				}
			}
			sec := wholeSec / float64(b.N)
			b.ReportMetric(float64(runs)*float64(firms)*float64(cfg.Steps)/sec, "firm-steps/s")
			b.ReportMetric(float64(trials)/sec, "trials/s")
			b.ReportMetric(float64(peak)/float64(firms*w), "B/firm")
			b.ReportMetric((wholeSec-simSec)/float64(b.N)/runs*1e3, "overhead-ms/run")
			reportSpeedup(b, sec)
		})
	}
}

// sampleHeap records the largest heap (bytes in live and unswept objects)
// seen every few milliseconds until stop is called. runtime/metrics reads
// it without stopping the world.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// BenchmarkWholeRun is the whole `triad run` of four-region-1m
// (docs/bench/four-region-1m.yaml) through the command line's in-process
// entry, tables, plots and all, against the simulation of the same
// scenario alone (sim.RunTasks), timed in turn in each iteration:
// whole/sim is the ratio of the two wall times, which issue 14 holds to at
// most 1.10 on one and on two workers; --no-plots is timed too.
func BenchmarkWholeRun(b *testing.B) {
	const path = "../../docs/bench/four-region-1m.yaml"
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := scenarios.Load(path, src)
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []int{1, 2} {
		for _, plots := range []bool{true, false} {
			b.Run(fmt.Sprintf("four-region-1m/plots=%v/workers=%d", plots, w), func(b *testing.B) {
				var simSec, wholeSec float64
				out := filepath.Join(b.TempDir(), "out")
				for b.Loop() {
					start := time.Now()
					if _, err := sim.RunTasks(context.Background(), cfg, cfg.Tasks(), sim.Options{Workers: w}); err != nil {
						b.Fatal(err)
					}
					simSec += time.Since(start).Seconds()
					var stderr bytes.Buffer
					args := []string{"run", path, "--workers", strconv.Itoa(w), "--quiet", "--force", "--out", out}
					if !plots {
						args = append(args, "--no-plots")
					}
					start = time.Now()
					if code := run(context.Background(), args, io.Discard, &stderr); code != exitOK {
						b.Fatalf("triad %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
					}
					wholeSec += time.Since(start).Seconds()
				}
				b.ReportMetric(simSec/float64(b.N), "sim-s")
				b.ReportMetric(wholeSec/float64(b.N), "whole-s")
				b.ReportMetric(wholeSec/simSec, "whole/sim")
			})
		}
	}
}

// buildTriad builds the command into dir as `make build` does (static,
// -trimpath), for the benchmarks that time it as a process.
func buildTriad(dir string) (string, error) {
	bin := filepath.Join(dir, "triad")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// BenchmarkWholeProcess times `triad run` of four-region-directed-1m
// (docs/bench/four-region-directed-1m.yaml) as a user runs it: a fresh
// process of the built binary, which starts, loads the scenario, builds the
// model, runs the 100 steps and writes its outputs, with charts and with
// --no-plots, on 1 and 2 workers. Each iteration first times the same
// simulation in this process (sim.RunTasks), so that both meet the same
// state of the machine: process/sim is the ratio of the wall times, the
// figure that carries from one machine to another. The process's user
// and system CPU seconds and its page faults come from the kernel
// (rusage; not its peak memory, which counts the benchmark's own while
// the child is between fork and exec). Two more cases time what every run pays before its
// work: start (`triad version`) and start+load (`triad validate` of the
// scenario).
func BenchmarkWholeProcess(b *testing.B) {
	const path = "../../docs/bench/four-region-directed-1m.yaml"
	bin, err := buildTriad(b.TempDir()) // once: a benchmark with sub-benchmarks runs once
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := scenarios.Load(path, src)
	if err != nil {
		b.Fatal(err)
	}
	// process runs bin with args and returns its wall seconds and usage.
	process := func(b *testing.B, args ...string) (float64, *syscall.Rusage) {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("triad %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		sec := time.Since(start).Seconds()
		ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		return sec, ru
	}
	for _, tc := range []struct {
		name string
		args []string
	}{{"start", []string{"version"}}, {"start+load", []string{"validate", path}}} {
		b.Run("four-region-directed-1m/"+tc.name, func(b *testing.B) {
			var wall float64
			for b.Loop() {
				sec, _ := process(b, tc.args...)
				wall += sec
			}
			b.ReportMetric(wall/float64(b.N)*1e3, "process-ms")
		})
	}
	for _, w := range []int{1, 2} {
		for _, plots := range []bool{true, false} {
			b.Run(fmt.Sprintf("four-region-directed-1m/plots=%v/workers=%d", plots, w), func(b *testing.B) {
				var simSec, wall, user, sys, faults float64
				out := filepath.Join(b.TempDir(), "out")
				args := []string{"run", path, "--workers", strconv.Itoa(w), "--quiet", "--force", "--out", out}
				if !plots {
					args = append(args, "--no-plots")
				}
				for b.Loop() {
					start := time.Now()
					if _, err := sim.RunTasks(context.Background(), cfg, cfg.Tasks(), sim.Options{Workers: w}); err != nil {
						b.Fatal(err)
					}
					simSec += time.Since(start).Seconds()
					sec, ru := process(b, args...)
					wall += sec
					if ru != nil {
						user += time.Duration(ru.Utime.Nano()).Seconds()
						sys += time.Duration(ru.Stime.Nano()).Seconds()
						faults += float64(ru.Minflt + ru.Majflt)
					}
				}
				n := float64(b.N)
				b.ReportMetric(simSec/n, "sim-s")
				b.ReportMetric(wall/n, "process-s")
				b.ReportMetric(wall/simSec, "process/sim")
				b.ReportMetric(user/n, "user-s")
				b.ReportMetric(sys/n, "sys-s")
				b.ReportMetric(faults/n, "faults")
			})
		}
	}
}
