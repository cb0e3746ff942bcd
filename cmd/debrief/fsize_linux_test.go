//go:build linux

package main

import (
	"os"
	"strconv"
	"syscall"
)

// limitFileSize applies DEBRIEF_TEST_FSIZE, a file size limit in bytes,
// to this process: writes past it fail as on a full disk (EFBIG; Go
// ignores the SIGXFSZ that comes with it).
func limitFileSize() {
	n, err := strconv.ParseUint(os.Getenv("DEBRIEF_TEST_FSIZE"), 10, 64)
	if err != nil {
		return
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
		panic(err)
	}
}
