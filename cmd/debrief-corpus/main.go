// Command debrief-corpus writes a deterministic site of generated incidents
// for benchmarks: debrief-corpus -n 10000 -out /tmp/corpus.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/debrief-ssg/debrief/internal/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of incidents")
	seed := flag.Int64("seed", 1, "random seed; the same seed writes the same files")
	out := flag.String("out", "corpus", "site folder to write")
	flag.Parse()
	if err := corpus.Generate(*out, corpus.Options{N: *n, Seed: *seed}); err != nil {
		fmt.Fprintln(os.Stderr, "debrief-corpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d incidents to %s\n", *n, *out)
}
