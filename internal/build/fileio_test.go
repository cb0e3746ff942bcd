package build

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// readSource and writeOutput do what os.ReadFile and os.WriteFile do:
// every byte, at any size, and errors that name the file.
func TestSourceAndOutputFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 1 << 20} {
		data := bytes.Repeat([]byte("debrief\n"), n/8+1)[:n]
		p := filepath.Join(dir, "f")
		if err := writeOutput(p, data); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes written, %d read back (%v)", n, len(got), err)
		}
		if got, err := readSource(p); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes, readSource gave %d (%v)", n, len(got), err)
		}
		if fi, err := os.Stat(p); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644&^umask(t) {
			t.Fatalf("mode %v (%v)", fi.Mode(), err)
		}
	}
	// Shorter than it was: truncated, as os.WriteFile does.
	p := filepath.Join(dir, "g")
	os.WriteFile(p, []byte("a long first version"), 0o644)
	if err := writeOutput(p, []byte("short")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "short" {
		t.Errorf("rewritten file %q", got)
	}
	// A file whose size is not known ahead (stat says 0).
	if runtime.GOOS == "linux" {
		got, err := readSource("/proc/self/status")
		if err != nil || !bytes.Contains(got, []byte("Name:")) {
			t.Errorf("/proc/self/status: %d bytes (%v)", len(got), err)
		}
	}
	_, err := readSource(filepath.Join(dir, "missing.md"))
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Path != filepath.Join(dir, "missing.md") {
		t.Errorf("missing file: %v", err)
	}
	if err := writeOutput(filepath.Join(dir, "no", "such", "dir"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
}

// umask is the process's file mode mask, as a file made 0o666 shows it.
func umask(t *testing.T) os.FileMode {
	p := filepath.Join(t.TempDir(), "m")
	if err := os.WriteFile(p, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return 0o666 &^ fi.Mode().Perm()
}
