package main

import (
	"embed"
	"fmt"
)

// The usage and long help of every command is a text file in help/,
// NAME.txt for command NAME (main.txt and exit.txt frame the main help):
// its first paragraph is the usage ("usage: triad NAME ..."), which a
// usage error repeats, and -h prints the file and then the flags, so that
// it reads as the file does and the help is text, not code; docs/CLI.md
// says the same for readers. completion.txt names the shells with %v.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText returns the usage and long help of command name (or the
// text "main" or "exit").
// The files are part of the binary: a missing one is a bug of the build,
// which the command table's test catches.
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(fmt.Sprintf("no help text for %s: %v", name, err))
	}
	if name == "completion" {
		return fmt.Sprintf(string(b), shells)
	}
	return string(b)
}
