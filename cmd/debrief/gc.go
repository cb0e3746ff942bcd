package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// collector is a one-shot build's garbage-collection policy. Until the
// site's size is known, the collector runs at GOGC=200 under a soft limit
// of maxMemoryLimit. Then it collects only as the heap nears a limit that
// grows with the content (memoryLimit): a build's live heap is small at
// first and about five times the content at the end, and collecting at
// three times it early on was a tenth of the build's CPU. After every
// collection the limit is raised to three times the heap left live, as
// GOGC=200 would allow, so a site whose heap outgrows its content's
// estimate (thousands of tiny files, long pages kept whole) collects as
// before rather than without pause (docs/decisions.md).
type collector struct {
	floor   int64 // the limit the content's size allows
	live    [1]metrics.Sample
	stopped atomic.Bool
}

// stop ends the watching of collections (for tests: a build's process
// ends with it).
func (c *collector) stop() { c.stopped.Store(true) }

// start sets the policy for a build whose size is not known yet.
func (c *collector) start() {
	debug.SetGCPercent(oneShotGCPercent)
	debug.SetMemoryLimit(maxMemoryLimit)
}

// sized switches to the limit for content of that many bytes, and keeps
// it at least three times the live heap from then on.
func (c *collector) sized(bytes int64) {
	c.floor = memoryLimit(bytes)
	c.live[0].Name = "/gc/heap/live:bytes"
	c.afterGC()
	debug.SetGCPercent(-1)
	s := &gcSentinel{c: c}
	runtime.SetFinalizer(s, onGC)
}

// afterGC sets the limit from the heap the last collection left live.
func (c *collector) afterGC() {
	metrics.Read(c.live[:])
	var live int64
	if c.live[0].Value.Kind() == metrics.KindUint64 {
		live = int64(c.live[0].Value.Uint64())
	}
	debug.SetMemoryLimit(limitFor(c.floor, live))
}

// limitFor is the soft limit for a content-sized floor and a live heap.
func limitFor(floor, live int64) int64 {
	return min(max(floor, 3*live), maxMemoryLimit)
}

// gcSentinel is garbage as soon as it is made: its finalizer runs after
// each collection and sets it again. Its pointer keeps it out of the tiny
// allocator, whose blocks may never be finalized.
type gcSentinel struct {
	c *collector
	_ [2]int64
}

func onGC(s *gcSentinel) {
	if s.c.stopped.Load() {
		return
	}
	s.c.afterGC()
	runtime.SetFinalizer(s, onGC)
}

// memoryLimit is the soft memory limit for content of that many bytes:
// thirteen times it, a little over twice the live heap at the end of a
// build of a generated corpus (about 680 MiB at 10,000 incidents, 93 MiB
// at 1,000), and at most maxMemoryLimit, where a 100,000-incident build
// collects harder rather than let its heap double past it. Eleven times
// collected a third more often at 10,000 incidents, for 5% more CPU.
func memoryLimit(bytes int64) int64 {
	return min(24<<20+13*bytes, maxMemoryLimit)
}

// maxMemoryLimit caps a one-shot build's soft memory limit. At 100,000
// generated incidents the heap left live is about 1.2 GiB and the peak
// 3.6 GiB: under 3 GiB the collector ran a third more often, for 7% more
// time.
const maxMemoryLimit = 7 << 29 // 3.5 GiB

// oneShotGCPercent is a one-shot build's GOGC before its size is known.
const oneShotGCPercent = 200
