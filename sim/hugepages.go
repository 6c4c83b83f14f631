package sim

// hugeBelow is the size in bytes under which a table is not worth huge
// pages: a few of them at most.
const hugeBelow = 8 << 20

// tieTable returns a zeroed table of n int32s for the ties of the firms
// (drawn contacts, the lists of the firms that drew each firm). Where the
// system allows, it asks that its memory be backed by huge pages (2 MiB
// instead of 4 KiB on Linux): the table is written once, everywhere, right
// after it is made, and each of its pages faults in on its first touch, a
// trap into the kernel per page; with 4 KiB pages that was 8,000 traps for
// the 32 MB of a million firms' contacts, a tenth of the CPU time of a
// whole run. The contents, and so the results, do not depend on the pages.
func tieTable(n int) []int32 {
	t := make([]int32, n)
	if 4*n >= hugeBelow {
		adviseHugePages(t)
	}
	return t
}
