//go:build !unix

package build

import "os"

// readSource is os.ReadFile (see fileio_unix.go).
func readSource(name string) ([]byte, error) { return os.ReadFile(name) }

// writeOutput is os.WriteFile(name, data, 0o644) (see fileio_unix.go).
func writeOutput(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
