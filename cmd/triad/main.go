// Command triad simulates how innovations travel between regions: labs in a
// source hub make breakthroughs, firms in an accelerator hub turn them into
// products, and a connector hub carries them to the rest of the country.
// Run `triad --help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signalContext()
	code := runIO(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalContext is cancelled by SIGINT (Ctrl-C) or SIGTERM (a scheduler
// ending a job).
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
