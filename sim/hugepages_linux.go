//go:build linux

package sim

import (
	"syscall"
	"unsafe"
)

// adviseHugePages asks the kernel to back the whole 2 MiB pages inside t
// with huge pages when they are first touched (madvise MADV_HUGEPAGE,
// which transparent huge pages in their "madvise" mode wait for). It is
// advice: refused or unsupported, nothing changes but the speed.
func adviseHugePages(t []int32) {
	const huge = 2 << 20
	start := uintptr(unsafe.Pointer(unsafe.SliceData(t)))
	end := start + uintptr(len(t))*4
	lo, hi := (start+huge-1)&^(huge-1), end&^(huge-1)
	if lo >= hi {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(t))), len(t)*4)[lo-start : hi-start]
	_ = syscall.Madvise(b, 14) // MADV_HUGEPAGE; syscall does not name it
}
