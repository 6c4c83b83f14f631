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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
