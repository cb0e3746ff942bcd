//go:build !linux

package build

// exchange would swap two folders atomically; off Linux there is no such
// call, and a swap takes two renames.
func exchange(a, b string) error { return errNoExchange }
