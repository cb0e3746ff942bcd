//go:build !linux

package main

// limitFileSize has no file size limit to apply off Linux.
func limitFileSize() {}
