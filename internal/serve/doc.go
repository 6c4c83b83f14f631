// Package serve is the web server of `triad serve`: a local page on which
// a student picks a scenario, sees its regions as a map, changes the
// parameters that matter with sliders, runs it and watches the adoption
// curves grow step by step, sees its cities adopt, then pins a run and
// compares the next one against it (and downloads the comparison), or
// runs a batch of one or two swept parameters, as NetLogo's BehaviorSpace.
//
// The page (static/) is plain HTML, one small JavaScript file and the uPlot
// charting library, all embedded in the binary: it needs no build step and
// no network. The server sends JSON; the page draws the charts, the region
// map, the city view and the animation itself. Runs stream their progress
// to the page as server-sent events: the runner reports every step of
// every run (Progress), so the curves grow before any run has finished.
//
// The server runs a checked scenario into a folder through the use case of
// `triad run` itself (runs.Folder.Run: the same manifest, run files,
// tables, charts and report), so the page's numbers are `triad run`'s;
// tests stand in for it with a Runner. The server checks what the page sends
// as the command checks its flags (scenarios.LoadCapped, scenarios.Set,
// sim.Config.Validate, scenarios.CheckCaps), so the page shows the same
// messages, with file, line and column for an edited YAML text.
//
// Sources lists the scenarios the command was given (a file, a built-in,
// or a run's folder by its manifest) and the built-ins; Listen listens
// where asked (a port in use is a PortInUseError, for the command to word)
// and Server.Serve serves until its context is done.
//
// It keeps one run at a time per browser tab and a bounded queue overall.
// It is not a multi-user service: the command binds it to the loopback
// interface unless told otherwise, and it has no accounts. It answers only
// requests addressed to the address it serves, and changes only from its
// own page (see Server.ServeHTTP), so that pages of other sites open in
// the browser cannot use it; and it bounds what a request may cost: its
// size and time to arrive, the checks at once, the problems reported.
package serve
