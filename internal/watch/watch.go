package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tune a watcher.
type Options struct {
	// Quiet is how long the files must stay still before a batch goes out: a
	// trailing debounce, so one save costs one rebuild without a fixed tick.
	Quiet time.Duration
	// MaxWait caps how long a stream of events (a long git checkout) may
	// delay a batch.
	MaxWait time.Duration
	// Poll, when set, replaces fsnotify with a scan every Poll, for file
	// systems that send no events (some network and container mounts).
	Poll time.Duration
}

// Watch sends a Batch on out each time files under root settle after a
// change, until ctx ends. It watches content/ and themes/ (folders created
// later included) and the root folder itself for debrief.yaml.
func Watch(ctx context.Context, root string, opts Options, out chan<- Batch, errs chan<- error) error {
	if opts.Quiet <= 0 {
		opts.Quiet = 20 * time.Millisecond
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 500 * time.Millisecond
	}
	if opts.Poll > 0 {
		return poll(ctx, root, opts, out)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Add(root); err != nil {
		return err
	}
	for _, sub := range []string{"content", "themes"} {
		addTree(w, filepath.Join(root, sub), errs)
	}
	var pending []fsnotify.Event
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var first time.Time
	exists := func(p string) bool { _, err := os.Lstat(p); return err == nil }
	isDir := func(p string) bool { st, err := os.Stat(p); return err == nil && st.IsDir() }
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if len(pending) == 0 {
				first = time.Now()
			}
			pending = append(pending, ev)
			wait := opts.Quiet
			if left := opts.MaxWait - time.Since(first); left < wait {
				wait = max(left, 0)
			}
			timer.Reset(wait)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			report(errs, err)
		case <-timer.C:
			b := Filter(root, pending, exists, isDir)
			pending = nil
			for _, d := range b.Dirs {
				addTree(w, d, errs)
			}
			if !b.Empty() {
				select {
				case out <- b:
				case <-ctx.Done():
					return nil
				}
			}
		}
	}
}

func report(errs chan<- error, err error) {
	if errs == nil {
		return
	}
	select {
	case errs <- err:
	default:
	}
}

// addTree watches dir and every folder under it, skipping hidden ones.
func addTree(w *fsnotify.Watcher, dir string, errs chan<- error) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				report(errs, err)
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if err := w.Add(p); err != nil {
			report(errs, err)
		}
		return nil
	})
}

type stamp struct {
	mod  time.Time
	size int64
}

// poll scans the watched files every opts.Poll and reports differences.
func poll(ctx context.Context, root string, opts Options, out chan<- Batch) error {
	scan := func() map[string]stamp {
		m := map[string]stamp{}
		if st, err := os.Stat(filepath.Join(root, "debrief.yaml")); err == nil {
			m[filepath.Join(root, "debrief.yaml")] = stamp{st.ModTime(), st.Size()}
		}
		for _, sub := range []string{"content", "themes"} {
			_ = filepath.WalkDir(filepath.Join(root, sub), func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return nil
				}
				if info, err := d.Info(); err == nil {
					m[p] = stamp{info.ModTime(), info.Size()}
				}
				return nil
			})
		}
		return m
	}
	prev := scan()
	t := time.NewTicker(opts.Poll)
	defer t.Stop()
	// Changes are held until a scan finds nothing new (or MaxWait passes),
	// so a burst spread over several scans is still one batch.
	var pending []fsnotify.Event
	var first time.Time
	var cur map[string]stamp
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			cur = scan()
			var events []fsnotify.Event
			for p, s := range cur {
				if old, ok := prev[p]; !ok || old != s {
					events = append(events, fsnotify.Event{Name: p, Op: fsnotify.Write})
				}
			}
			for p := range prev {
				if _, ok := cur[p]; !ok {
					events = append(events, fsnotify.Event{Name: p, Op: fsnotify.Remove})
				}
			}
			prev = cur
			if len(events) > 0 {
				if len(pending) == 0 {
					first = time.Now()
				}
				pending = append(pending, events...)
				if time.Since(first) < opts.MaxWait {
					continue
				}
			}
			if len(pending) == 0 {
				continue
			}
			exists := func(p string) bool { _, ok := cur[p]; return ok }
			b := Filter(root, pending, exists, func(string) bool { return false })
			pending = nil
			if !b.Empty() {
				select {
				case out <- b:
				case <-ctx.Done():
					return nil
				}
			}
		}
	}
}
