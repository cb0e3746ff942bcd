//go:build unix

package build

import (
	"io"
	"os"
	"syscall"
)

// readSource is os.ReadFile by plain system calls. os.Open readies every
// file for the network poller, which a regular file refuses: four fcntl
// calls and a failed epoll_ctl, more than the read itself, for each of the
// site's files, read twice in a one-shot build.
func readSource(name string) ([]byte, error) {
	fd, err := retry(func() (int, error) { return syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0) })
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if _, err := retry(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
		return nil, &os.PathError{Op: "stat", Path: name, Err: err}
	}
	data := make([]byte, 0, max(int(st.Size)+1, 512)) // one more: EOF is seen without growing
	for {
		n, err := retry(func() (int, error) { return syscall.Read(fd, data[len(data):min(cap(data), len(data)+maxRW)]) })
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grown as os.ReadFile grows
		}
	}
}

// writeOutput is os.WriteFile(name, data, 0o644) by plain system calls (see
// readSource): every page of the site is one.
func writeOutput(name string, data []byte) error {
	fd, err := retry(func() (int, error) {
		return syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
	})
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, err := retry(func() (int, error) { return syscall.Write(fd, data[:min(len(data), maxRW)]) })
		if err != nil {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: err}
		}
		if n == 0 {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: io.ErrShortWrite}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

// maxRW bounds one read or write, as package os does: some systems refuse
// 2 GiB or more in one call.
const maxRW = 1 << 30

// retry calls fn again while it is interrupted by a signal (the Go
// runtime's own, for preemption, among them).
func retry(fn func() (int, error)) (int, error) {
	for {
		n, err := fn()
		if err != syscall.EINTR {
			return n, err
		}
	}
}
