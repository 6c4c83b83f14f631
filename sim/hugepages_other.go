//go:build !linux

package sim

// adviseHugePages does nothing where huge pages are not asked for by
// madvise.
func adviseHugePages([]int32) {}
