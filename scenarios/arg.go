package scenarios

import "io"

// ReadArg reads the scenario that arg names on a command line: the
// standard input stdin for "-" (named StdinName), else a file or a
// built-in scenario as Resolve finds it with readFile.
func ReadArg(arg string, stdin io.Reader, readFile func(string) ([]byte, error)) (name string, src []byte, err error) {
	if arg == "-" {
		src, err = ReadStdin(stdin)
		return StdinName, src, err
	}
	return Resolve(arg, readFile)
}
