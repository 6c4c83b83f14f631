package runs

// IsTempName reports whether name is that of a temporary file that
// WriteFileAtomic writes before it renames it.
func IsTempName(name string) bool { return isTempName(name) }

// IsLogName reports whether name is that of a job log, as the cluster
// scripts write them into LogsDir.
func IsLogName(name string) bool { return isLogName(name) }
