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
	// writer saving again and again is never kept waiting for them.
	settle := time.NewTimer(time.Hour)
	settle.Stop()
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
			if !b.Rescan && d.fast(ch) {
				settle.Reset(d.settle())
				continue
			}
			d.build(ch)
		case <-settle.C:
			if d.Session.Stale {
				d.build(build.Change{})
			}
		}
	}
}

func (d *Dev) settle() time.Duration {
	if d.Settle > 0 {
		return d.Settle
	}
	return 300 * time.Millisecond
}

// fast tries the fast path; it reports whether it handled the change.
func (d *Dev) fast(ch build.Change) bool {
	res, ok, err := d.Session.BuildFast(ch)
	if !ok {
		return false
	}
	if err != nil || res.Diags.HasErrors() {
		// Unexpected on the fast path: let a full incremental build decide.
		d.build(ch)
		return true
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
	return true
}

func (d *Dev) build(ch build.Change) {
	res, err := d.Session.Build(ch)
	d.report(ch, res, err)
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
