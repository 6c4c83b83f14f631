// Package fit is the use case of `triad fit`: it turns a scenario and a
// targets file into the calibration problem of internal/calibrate (the
// parameters with their prior ranges, the observed figures, and a
// simulator that runs the scenario at a parameter vector), runs the fit
// with its state kept in the fit's folder so that it can go on after an
// interruption ([Run], [State]), and writes the folder of a finished fit
// ([Result.Write]): its tables, its JSON record, its charts and the
// fitted scenario, the file list in one place (runs.FitOutputNames).
//
// A command starts a fit with a [Request] (the scenario it loaded, the
// targets file's bytes, the parameters, the [Settings], the folder):
// [NewJob] reads the targets and the parameters and makes the folder
// ready, or finds there the unfinished fit to go on with, and [Job.Run]
// runs it. What goes wrong comes back as typed errors ([ErrNoParams],
// [InputError], [ChangedError], [OtherFitError], [ErrFinished],
// [ErrInterrupted]) for the command to word in its own terms. The package
// prints what is the same for every caller: a generation's progress line
// ([ProgressLine]), the warning of a generation near the proposal cap
// ([ProposalWarning]) and the tables of a finished fit ([Result.Print]).
// It parses no flags.
package fit
