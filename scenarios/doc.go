// Package scenarios turns scenario files into checked sim.Config values.
//
// A scenario is a YAML file in the format that sim.Config's yaml tags
// define. [Load] decodes it strictly (unknown keys and wrong types are
// errors), fills the fields the file leaves out with sim's defaults, calls
// sim.Config.Validate and returns every problem as an [Errors] value whose
// entries point at a line and column of the file:
//
//	north.yaml:9:20: regions[1].p: 1.5 is outside [0, 1]
//
// Reading any file takes bounded time and memory: files beyond [MaxSize],
// nested too deeply or whose aliases repeat too many values are refused
// with a position before the work grows, never read in part.
//
// [Set] applies the command line's --set PATH=VALUE overrides, and
// [Overrides] all the changes a command or the explorer makes to a loaded
// scenario (seed, replications, steps, --set, --sweep, --policy), with the
// checks that follow them, in one [Overrides.Apply]; [SensitivityFlags]
// the changes a command line makes to a scenario's sensitivity block, and
// [ParseFitParams] the parameter ranges a fit is given. The package
// also embeds the built-in scenarios ([List], [Source], [Builtin]) and finds
// the scenario a command-line argument names ([Resolve], and [ReadArg] with
// - for the standard input).
//
// The package is not where the rules live: ranges, defaults and cross
// references belong to package sim (sim.Params, sim.Config.Validate), so
// that the file format, --set, policies and the reference documentation
// cannot drift apart. Nor does it touch the file system, the clock or the
// terminal: callers pass bytes in (and, to Resolve, a function that reads
// files) and print the errors they get back ([Errors.Listing] shows them
// with their lines, [Problems] turns any error into problems).
package scenarios
