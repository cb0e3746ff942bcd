package build

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/debrief-ssg/debrief/internal/timeline"
)

// A watch session keeps every incident slim between builds, as a one-shot
// build keeps those whose pages are rendered: without its Markdown trees,
// source and classified sentences, which are most of an analysis. Unlike
// a one-shot build's, its timeline entries stay, bare (bareEntries): the
// site-wide outputs render from slim incidents, incidents.json and the
// search index included. A page to render has its incident restored from
// its file first, a chunk of pages at a time, and slimmed again after.

// renderChunk is how many pages a build restores, renders and slims at a
// time: about 25 MB of analyses on a generated corpus.
const renderChunk = 256

// slimInc makes inc slim for the session (see above); a slim one is left
// as it is. The caller holds the lock while a fast path may run.
func slimInc(inc *site.Incident) {
	if inc == nil || inc.Doc == nil {
		return // slim already: every analysis has a document
	}
	var entries []*timeline.Entry
	if inc.Timeline != nil {
		entries = bareEntries(inc.Timeline.Entries)
	}
	inc.Slim()
	if inc.Timeline != nil {
		inc.Timeline = &timeline.Timeline{Entries: entries}
	}
}

// bareEntries copies entries without their Markdown (Content) and what
// only the parser needs: what incidents.json, the search index, the feed
// and the lists read of an entry. TestBareEntriesKeepEveryField holds it
// to Entry's exported fields.
func bareEntries(entries []*timeline.Entry) []*timeline.Entry {
	bare := make([]timeline.Entry, len(entries))
	out := make([]*timeline.Entry, len(entries))
	for i, e := range entries {
		bare[i] = timeline.Entry{At: e.At, Clock: e.Clock, Anchor: e.Anchor, Kinds: e.Kinds, Actor: e.Actor,
			Text: e.Text, Lines: e.Lines, DateOnly: e.DateOnly, Line: e.Line}
		out[i] = &bare[i]
	}
	return out
}

// slimFiles slims every incident the session holds.
func (s *Session) slimFiles() {
	for _, f := range s.files {
		if f != nil {
			slimInc(f.inc)
		}
	}
}

// renderPaged renders the outputs sel selects (every one with nil) and
// hands each to emit: the pages of incidents and plain pages a chunk at a
// time, each chunk restored first and slimmed after, then the rest of the
// site. It returns the path of every output the site has.
func (s *Session) renderPaged(r *render.Renderer, b *pass, sel func(string) bool, emit func(render.Output) error) ([]string, error) {
	want := func(p string) bool { return sel == nil || sel(p) }
	pages := map[string]bool{}
	var todo []*site.Incident
	for _, inc := range append(slices.Clone(b.st.Incidents), b.st.Pages...) {
		u := site.URL(inc)
		pages[u] = true
		if want(u) {
			todo = append(todo, inc)
		}
	}
	for len(todo) > 0 {
		chunk := todo[:min(len(todo), renderChunk)]
		todo = todo[len(chunk):]
		ready := s.restoreAll(b, chunk)
		if _, err := r.RenderTo(b.st, func(p string) bool { return ready[p] }, emit); err != nil {
			return nil, err
		}
		s.mu.Lock()
		for _, inc := range chunk {
			slimInc(inc)
		}
		s.mu.Unlock()
	}
	if b.late.HasErrors() {
		// A sketch with errors has no page, nor what the site-wide
		// outputs read of it: the build stops here (renderFull).
		return nil, render.ErrIncomplete
	}
	return r.RenderTo(b.st, func(p string) bool { return !pages[p] && want(p) }, emit)
}

// restoreAll gives the slim incidents of a chunk back what their pages
// need, reading their files again on every core, and returns the pages
// that can render. A sketch (a full build's reading) is analysed here for
// the first time: what that finds is reported (pass.late) and kept with
// its file, and a page with errors is not rendered. Any other file
// changed since it was read is not restored: its page keeps what it had,
// and the next Build reads the file again (the watcher has seen the
// change too).
func (s *Session) restoreAll(b *pass, chunk []*site.Incident) map[string]bool {
	fulls := make([]*site.Incident, len(chunk))
	late := make([]diag.List, len(chunk))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(chunk), max(1, runtime.GOMAXPROCS(0))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(chunk); i = int(next.Add(1)) - 1 {
				fulls[i], late[i] = s.reread1(chunk[i], b.full)
			}
		}()
	}
	wg.Wait()
	ready := make(map[string]bool, len(chunk))
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, inc := range chunk {
		if len(late[i]) > 0 {
			b.late = append(b.late, late[i]...)
			if f := s.files[inc.Path]; f != nil && f.inc == inc {
				f.diags = append(f.diags, late[i]...)
			}
		}
		switch {
		case late[i].HasErrors():
			continue
		case fulls[i] != nil:
			inc.Restore(fulls[i])
			b.st.Relink(inc)
		case inc.Outlined():
			inc.Classify(s.cfg)
		case inc.Doc == nil:
			if s.reread == nil {
				s.reread = map[string]bool{}
			}
			s.reread[inc.Path] = true
			continue
		}
		ready[site.URL(inc)] = true
	}
	return ready
}

// reread1 analyses a slim incident's file again (reanalyse): nil when it
// is not slim, or its file changed. A sketch's diagnostics come with it,
// and in a full build, whose output must have every page, a changed file
// is an error.
func (s *Session) reread1(inc *site.Incident, full bool) (*site.Incident, diag.List) {
	if inc.Doc != nil {
		return nil, nil
	}
	sketch := inc.Sketched()
	whole, ds, err := reanalyse(s.opts.Source, inc, s.cfg, s.md)
	switch {
	case err != nil && (sketch || full):
		return nil, diag.List{{Path: inc.Path, Line: 1, Col: 1, Msg: err.Error()}}
	case err != nil:
		return nil, nil
	case sketch:
		return whole, ds
	case ds.HasErrors():
		return nil, nil
	}
	return whole, nil
}
