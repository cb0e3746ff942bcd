package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/watch"
)

// Dev is the watch loop of `debrief serve` and `debrief build --watch`:
// build, then rebuild on every batch of changes, print the outcome, and
// tell open pages (when there is a server) to reload or show the error.
type Dev struct {
	Session *build.Session
	Source  string
	Server  *Server // nil for build --watch
	Log     io.Writer
	Watch   watch.Options
	// Built, if set, is called after every build (tests wait on it).
	Built func(*build.Result, error)
	// Ready, if set, is called once the first build has accepted the
	// output folder: a server starts serving then, so that it never
	// serves a folder the build refused.
	Ready func()
	// Settle is how long files must stay quiet after a fast rebuild before
	// the site-wide outputs follow (default 300 ms).
	Settle time.Duration
}

// Run builds once, then watches until ctx ends. A first build that
// refuses its output folder ends it with that error: no save can fix it,
// and a server would serve a folder that is not the site.
func (d *Dev) Run(ctx context.Context) error {
	first := build.Change{Full: true}
	res, err := d.Session.Build(first)
	if errors.Is(err, build.ErrSources) || errors.Is(err, build.ErrNotOurs) {
		return err
	}
	if d.Ready != nil {
		d.Ready()
	}
	d.report(first, res, err)
	batches := make(chan watch.Batch)
	errs := make(chan error, 8)
	watchErr := make(chan error, 1)
	go func() { watchErr <- watch.Watch(ctx, d.Source, d.Watch, batches, errs) }()
	// After a fast rebuild of the edited pages, the site-wide outputs are
	// brought up to date once the files have been quiet for a moment, so a
	// writer saving again and again is never kept waiting for them; and
	// as that Build runs in the background, the next save's fast path does
	// not wait for it either.
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	bg := &builder{d: d, done: make(chan finished, 1)}
	// A Build still running when the loop ends is waited for: it writes
	// into the output folder.
	defer bg.wait()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-watchErr:
			if err != nil {
				return fmt.Errorf("watching %s: %w", d.Source, err)
			}
			return nil
		case err := <-errs:
			fmt.Fprintf(d.Log, "debrief: watch: %v\n", err)
		case b := <-batches:
			ch := build.Change{Paths: b.Paths, Full: b.Config || b.Theme}
			if !b.Rescan {
				if handled, fine := d.fast(ch); handled && fine {
					bg.stale = true
					settle.Reset(d.settle())
					continue
				}
			}
			bg.change(ch)
		case <-settle.C:
			bg.settled()
		case f := <-bg.done:
			bg.ended(f)
		}
	}
}

func (d *Dev) settle() time.Duration {
	if d.Settle > 0 {
		return d.Settle
	}
	return 300 * time.Millisecond
}

// fast tries the fast path: handled reports whether it applied, fine
// whether it went well (else a Build must decide).
func (d *Dev) fast(ch build.Change) (handled, fine bool) {
	res, ok, err := d.Session.BuildFast(ch)
	if !ok {
		return false, false
	}
	if err != nil || res.Diags.HasErrors() {
		// Unexpected on the fast path: let a full incremental build decide.
		return true, false
	}
	defer func() {
		if d.Built != nil {
			d.Built(res, nil)
		}
	}()
	fmt.Fprintf(d.Log, "debrief: rebuilt (%s): %d pages rendered, %d files written in %s; lists follow\n",
		strings.Join(trim(ch.Paths, 3), ", "), res.Rendered, res.Written, res.Elapsed.Round(time.Millisecond))
	if d.Server != nil {
		d.Server.Reload(res.Changed)
	}
	return true, true
}

// builder runs the watch loop's Builds one at a time, in the background:
// the loop goes on taking saves, and serves each on the fast path while
// a Build runs (build.Session.BuildFast). A change the fast path cannot
// take waits for the running Build, then builds.
type builder struct {
	d       *Dev
	done    chan finished
	running bool
	queued  *build.Change // what waits for the running Build
	stale   bool          // a fast rebuild left the site-wide outputs behind
	again   bool          // so the follow-up runs when the running Build ends
}

// finished is a background Build's outcome.
type finished struct {
	ch  build.Change
	res *build.Result
	err error
}

// start runs a Build in the background. It covers every fast rebuild
// before it; those during it call for another.
func (b *builder) start(ch build.Change) {
	b.running, b.stale, b.again = true, false, false
	go func() {
		res, err := b.d.Session.Build(ch)
		b.done <- finished{ch, res, err}
	}()
}

// change asks for a Build of ch: now, or when the running one ends.
func (b *builder) change(ch build.Change) {
	if !b.running {
		b.start(ch)
		return
	}
	if b.queued == nil {
		b.queued = &build.Change{}
	}
	b.queued.Paths = append(b.queued.Paths, ch.Paths...)
	b.queued.Full = b.queued.Full || ch.Full
}

// settled is called when the files have been quiet after a fast rebuild:
// the site-wide outputs follow, now or after the running Build.
func (b *builder) settled() {
	switch {
	case !b.stale:
	case b.running:
		b.again = true
	default:
		b.start(build.Change{})
	}
}

// ended reports a background Build, then starts what waited for it.
func (b *builder) ended(f finished) {
	b.running = false
	b.d.report(f.ch, f.res, f.err)
	switch {
	case b.queued != nil:
		ch := *b.queued
		b.queued = nil
		b.start(ch)
	case b.again:
		b.start(build.Change{})
	}
}

// wait waits for a running Build to end, without reporting it.
func (b *builder) wait() {
	if b.running {
		<-b.done
		b.running = false
	}
}

// report prints a build's outcome and tells open pages.
func (d *Dev) report(ch build.Change, res *build.Result, err error) {
	defer func() {
		if d.Built != nil {
			d.Built(res, err)
		}
	}()
	if err != nil {
		fmt.Fprintf(d.Log, "debrief: %v\n", err)
		if d.Server != nil {
			d.Server.Failed([]ErrorContext{{Message: err.Error()}})
		}
		return
	}
	for _, dg := range res.Diags {
		fmt.Fprintln(d.Log, dg.String())
	}
	errs, warns := res.Diags.Count()
	if errs > 0 {
		fmt.Fprintf(d.Log, "debrief: %s; still serving the last good build\n", diag.N(errs, "error"))
		if d.Server != nil {
			d.Server.Failed(contexts(d.Source, res.Diags))
		}
		return
	}
	what := "built"
	if !ch.Full {
		what = "rebuilt"
		if len(ch.Paths) > 0 {
			what += " (" + strings.Join(trim(ch.Paths, 3), ", ") + ")"
		}
	}
	fmt.Fprintf(d.Log, "debrief: %s: %s, %s rendered, %s written, %d removed, %s in %s\n",
		what, diag.N(res.Incidents, "incident"), diag.N(res.Rendered, "page"), diag.N(res.Written, "file"), res.Removed, diag.N(warns, "warning"), res.Elapsed.Round(time.Millisecond))
	if d.Server != nil {
		// Only now, with every file written, may pages reload.
		d.Server.Reload(res.Changed)
	}
}

func trim(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(list[:n:n], fmt.Sprintf("and %d more", len(list)-n))
}

func contexts(source string, ds diag.List) []ErrorContext {
	var out []ErrorContext
	for _, dg := range ds {
		if dg.Severity != diag.Error {
			continue
		}
		out = append(out, ErrorContext{Message: dg.String(), Context: Context(source, dg.Path, dg.Line, 3)})
		if len(out) == 20 {
			break
		}
	}
	return out
}
