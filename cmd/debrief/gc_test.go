package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The limit a build's size allows is a floor: once the heap left live is
// more than a third of it, the limit rises to three times the live heap,
// as GOGC=200 would allow, so the collector never runs without pause.
// Before, a site of 20,000 tiny files took 392 collections and three
// times the CPU.
func TestCollectorFollowsLiveHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	c := &collector{}
	defer c.stop()
	c.start()
	runtime.GC() // nothing live of earlier tests
	c.sized(1)   // a floor of 24 MiB
	if got := debug.SetMemoryLimit(-1); got < 24<<20 || got > 32<<20 {
		t.Fatalf("limit %d MiB for a tiny site, want its floor of 24", got>>20)
	}
	const live = 96 << 20
	keep := make([][]byte, 0, live>>20)
	for range live >> 20 {
		keep = append(keep, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 3*live*9/10 {
		if time.Now().After(deadline) {
			t.Fatalf("limit %d MiB with %d MiB live, want about %d", debug.SetMemoryLimit(-1)>>20, live>>20, 3*live>>20)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // finalizers run after the collection
	}
	runtime.KeepAlive(keep)
}

func TestLimitFor(t *testing.T) {
	for _, c := range []struct{ floor, live, want int64 }{
		{600 << 20, 100 << 20, 600 << 20}, // the content's estimate holds
		{80 << 20, 150 << 20, 450 << 20},  // outgrown: three times the live heap
		{80 << 20, 2 << 30, maxMemoryLimit},
		{memoryLimit(1 << 40), 0, maxMemoryLimit},
	} {
		if got := limitFor(c.floor, c.live); got != c.want {
			t.Errorf("limitFor(%d, %d) = %d, want %d", c.floor, c.live, got, c.want)
		}
	}
}
