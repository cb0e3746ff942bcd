//go:build !unix

package main

// limitFileSize has no file size limit to apply off Unix.
func limitFileSize() {}
