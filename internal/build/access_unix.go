//go:build unix

package build

import "golang.org/x/sys/unix"

// canWrite reports whether this process may create and delete entries in
// the folder dir.
func canWrite(dir string) bool { return unix.Access(dir, unix.W_OK|unix.X_OK) == nil }
