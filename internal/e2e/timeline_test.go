package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/markdown"
)

// Every page of the example site loads with no console error, exception or
// Content-Security-Policy violation, over HTTP and from file://.
func TestBrowserNoConsoleErrors(t *testing.T) {
	s := exampleSite(t)
	ctx, problems := browser(t)
	var pages []string
	_ = filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(s.dir, p)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(pages) < 8 {
		t.Fatalf("only %d pages", len(pages))
	}
	for _, p := range pages {
		urls := []string{s.url + "/" + p, "file://" + filepath.Join(s.dir, p)}
		if p == "404.html" {
			urls = urls[:1] // it links from the server root, which file:// has not
		}
		for _, u := range urls {
			run(t, ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(100*time.Millisecond))
			if p := problems.take(); len(p) > 0 {
				t.Errorf("%s: %v", u, p)
			}
		}
	}
}

func TestBrowserFilterByKind(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	run(t, ctx, chromedp.Navigate(s.url+seedPage), controls)
	all := eval[[]string](t, ctx, visibleIDs)
	if len(all) != 21 {
		t.Fatalf("%d entries visible before filtering, want 21", len(all))
	}
	// Show needs only.
	for _, k := range []string{"condition", "action", "other"} {
		run(t, ctx, chromedp.Click(chromedp.CSS(`input[name=kind][value=`+k+`]`)))
	}
	needs := eval[[]string](t, ctx, visibleIDs)
	if len(needs) == 0 || len(needs) >= 21 {
		t.Fatalf("%d entries with needs", len(needs))
	}
	kinds := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('li.entry')).filter(e => !e.hidden).map(e => e.dataset.kinds)`)
	for i, k := range kinds {
		if !strings.Contains(k, "need") {
			t.Errorf("entry %s (kinds %q) shown under a needs-only filter", needs[i], k)
		}
	}
	if got := eval[string](t, ctx, `document.querySelector('[data-count]').textContent`); got != fmt.Sprintf("%d of 21 entries", len(needs)) {
		t.Errorf("count says %q", got)
	}
	if got := eval[string](t, ctx, `location.hash`); got != "#kinds=need" {
		t.Errorf("fragment %q, want #kinds=need", got)
	}
	// The axis dims the marks of hidden entries (just after the list).
	run(t, ctx, chromedp.Sleep(50*time.Millisecond))
	if dim := eval[int](t, ctx, `document.querySelectorAll('svg .mark.dim').length`); dim != 21-len(needs) {
		t.Errorf("%d dimmed marks, want %d", dim, 21-len(needs))
	}
}

func TestBrowserFilterByActor(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	run(t, ctx, chromedp.Navigate(s.url+seedPage), controls,
		chromedp.SetValue(chromedp.CSS(`select[name=actor]`), "Paul"),
	)
	js(t, ctx, `document.querySelector('select[name=actor]').dispatchEvent(new Event('change', {bubbles: true}))`)
	actors := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('li.entry')).filter(e => !e.hidden).map(e => e.dataset.actor)`)
	if len(actors) == 0 {
		t.Fatal("no entries by Paul")
	}
	for _, a := range actors {
		if a != "Paul" {
			t.Errorf("entry by %q shown under actor=Paul", a)
		}
	}
}

func TestBrowserTextFilterHighlights(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	run(t, ctx, chromedp.Navigate(s.url+seedPage), controls,
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "Script"))
	texts := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('li.entry')).filter(e => !e.hidden).map(e => e.textContent.toLowerCase())`)
	if len(texts) == 0 || len(texts) == 21 {
		t.Fatalf("%d entries mention script", len(texts))
	}
	for _, tx := range texts {
		if !strings.Contains(tx, "script") {
			t.Errorf("entry without the text shown: %.60s", tx)
		}
	}
	run(t, ctx, chromedp.Sleep(50*time.Millisecond)) // highlights past the first screenful follow
	marks := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('li.entry mark')).map(m => m.textContent)`)
	if len(marks) < len(texts) {
		t.Errorf("%d highlights for %d entries", len(marks), len(texts))
	}
	for _, m := range marks {
		if strings.ToLower(m) != "script" {
			t.Errorf("highlighted %q", m)
		}
	}
	// Clearing the filter removes every highlight and shows everything.
	js(t, ctx, `const q = document.querySelector('input[name=q]'); q.value = ''; q.dispatchEvent(new Event('input', {bubbles: true}))`)
	if n := eval[int](t, ctx, `document.querySelectorAll('li.entry mark').length`); n != 0 {
		t.Errorf("%d highlights left", n)
	}
	if n := len(eval[[]string](t, ctx, visibleIDs)); n != 21 {
		t.Errorf("%d entries after clearing", n)
	}
}

func TestBrowserKeyboardNavigation(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	run(t, ctx, chromedp.Navigate(s.url+seedPage), controls)
	active := func() string { return eval[string](t, ctx, `document.activeElement.id`) }
	run(t, ctx, chromedp.KeyEvent("j"))
	if got := active(); got != "t-033925" {
		t.Fatalf("after j, focus on %q, want the first entry", got)
	}
	run(t, ctx, chromedp.KeyEvent("j"), chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != "t-041920" {
		t.Errorf("after j, ↓: focus on %q, want the third entry t-041920", got)
	}
	run(t, ctx, chromedp.KeyEvent("k"))
	if got := active(); got != "t-040914" {
		t.Errorf("after k: focus on %q", got)
	}
	run(t, ctx, chromedp.KeyEvent(kb.ArrowUp))
	if got := active(); got != "t-033925" {
		t.Errorf("after ↑: focus on %q", got)
	}
	if got := eval[string](t, ctx, `location.hash`); got != "#t-033925" {
		t.Errorf("fragment %q", got)
	}
	// Typing in the search box is not navigation.
	run(t, ctx, chromedp.Click(chromedp.CSS(`input[name=q]`)), chromedp.KeyEvent("j"))
	if got := eval[string](t, ctx, `document.querySelector('input[name=q]').value`); got != "j" {
		t.Errorf("search box got %q", got)
	}
}

func TestBrowserAxisClickFocusesEntry(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	run(t, ctx, chromedp.Navigate(s.url+seedPage), controls,
		chromedp.Click(chromedp.CSS(`svg a.mark[href="#t-051552"] circle`)))
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "t-051552" {
		t.Errorf("focus on %q after clicking the 05:15:52 mark", got)
	}
	if got := eval[bool](t, ctx, `document.querySelector('svg a.mark[href="#t-051552"]').classList.contains('selected')`); !got {
		t.Error("clicked mark not marked selected")
	}
	// A mark of an entry hidden by a filter brings it back.
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "zzzz"),
		chromedp.Click(chromedp.CSS(`svg a.mark[href="#t-071700"] circle`)))
	if got := eval[bool](t, ctx, `!document.getElementById('t-071700').hidden && document.activeElement.id === 't-071700'`); !got {
		t.Error("clicking the mark of a filtered-out entry did not reveal and focus it")
	}
}

// Choosing an entry shows the CAN report as of that moment: exactly the
// report the Go code derives for that time.
func TestBrowserCANAsOfEntry(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	// A one-shot build slims what it read; analyse the seed afresh.
	seed, ds := build.LoadFile("../..", "content/incidents/2024-03-14-email-loss-login-failures.md", s.res.Config, markdown.New(false))
	if seed == nil || ds.HasErrors() {
		t.Fatal(ds)
	}
	for _, anchor := range []string{"t-051552", "t-075000", "t-033925"} {
		var at time.Time
		for _, e := range seed.Timeline.Entries {
			if e.Anchor == anchor {
				at = e.At
			}
		}
		want := seed.Analysis.At(at, can.Options{MaxLines: s.res.Config.CAN.MaxLines, MaxWords: s.res.Config.CAN.MaxWords})
		run(t, ctx, chromedp.Navigate(s.url+seedPage), controls,
			chromedp.Click(chromedp.CSS(`#`+anchor+` .permalink`)))
		if !eval[bool](t, ctx, `!document.querySelector('[data-asof]').hidden`) {
			t.Fatal("as-of panel hidden after choosing an entry")
		}
		got := eval[[][]string](t, ctx, `Array.from(document.querySelectorAll('[data-asof-grid] section')).map(s => Array.from(s.querySelectorAll('li')).map(l => l.textContent))`)
		if len(got) != 3 {
			t.Fatalf("%d sections", len(got))
		}
		for i, sec := range [][]can.Line{want.Conditions, want.Actions, want.Needs} {
			var lines []string
			for _, l := range sec {
				lines = append(lines, l.Text+" "+can.FormatClock(l.At))
			}
			if len(lines) == 0 {
				lines = []string{"No additional " + []string{"conditions", "actions", "needs"}[i]}
			}
			if !slices.Equal(got[i], lines) {
				t.Errorf("as of %s, section %d:\n got  %q\n want %q", anchor, i, got[i], lines)
			}
		}
		if h := eval[string](t, ctx, `document.querySelector('[data-asof-time]').textContent`); !strings.HasPrefix(strings.ReplaceAll(anchor[2:], "", ""), strings.ReplaceAll(h, ":", "")) {
			t.Errorf("as-of heading says %q for %s", h, anchor)
		}
	}
}

// The view lives in the fragment: loading it restores filters and the
// chosen entry, from a server and from file://.
func TestBrowserStateInFragment(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	for _, base := range []string{s.url + seedPage, "file://" + filepath.Join(s.dir, filepath.FromSlash(seedPage))} {
		run(t, ctx, chromedp.Navigate(base+"#at=t-051552&kinds=condition,need&q=log"), controls)
		checked := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('input[name=kind]:checked')).map(b => b.value)`)
		if !slices.Equal(checked, []string{"condition", "need"}) {
			t.Errorf("%s: kinds %v", base, checked)
		}
		if q := eval[string](t, ctx, `document.querySelector('input[name=q]').value`); q != "log" {
			t.Errorf("%s: q %q", base, q)
		}
		if sel := eval[string](t, ctx, `(document.querySelector('li.entry.selected') || {}).id || ''`); sel != "t-051552" {
			t.Errorf("%s: selected %q", base, sel)
		}
		for _, tx := range eval[[]string](t, ctx, `Array.from(document.querySelectorAll('li.entry')).filter(e => !e.hidden).map(e => e.textContent.toLowerCase())`) {
			if !strings.Contains(tx, "log") {
				t.Errorf("%s: entry without 'log' shown", base)
			}
		}
		// A plain permalink still works.
		run(t, ctx, chromedp.Navigate(base+"#t-062941"), controls)
		if sel := eval[string](t, ctx, `document.querySelector('li.entry.selected').id`); sel != "t-062941" {
			t.Errorf("%s: permalink selected %q", base, sel)
		}
	}
}

// Without JavaScript the timeline is a plain ordered list with permalinks
// and the axis still links to entries.
func TestBrowserWorksWithoutJavaScript(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	run(t, ctx, noScript(), chromedp.Navigate(s.url+seedPage), chromedp.WaitReady(chromedp.CSS("body")))
	hidden := eval[bool](t, ctx, `document.querySelector('form[data-controls]').hidden`)
	n := eval[int](t, ctx, `document.querySelectorAll('ol.entries > li.entry').length`)
	if !hidden || n != 21 {
		t.Errorf("controls hidden=%v, %d entries", hidden, n)
	}
}

// A 2,000-entry timeline stays responsive: a filter applies in under 50 ms,
// measured in the browser.
func TestBrowserLargeTimelineFilterSpeed(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	b.WriteString("---\ntitle: Long log\ndate: 2024-01-01\nparticipants: [Ana, Raj, Lee]\nservices: [api]\n---\n\n## Timeline\n\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 2000; i++ {
		at := start.Add(time.Duration(i) * 37 * time.Second)
		who := []string{"Ana", "Raj", "Lee"}[i%3]
		what := []string{"api latency is up again", "restarted the api pods", "need a decision on the rollback", "looking at the dashboards"}[i%4]
		fmt.Fprintf(&b, "- %s %s: %s, step %d.\n", at.Format("15:04:05"), who, what, i)
	}
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "long.md"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s := buildSite(t, dir)
	ctx, problems := browser(t)
	run(t, ctx, chromedp.Navigate(s.url+"/incidents/long/index.html"), controls)
	if n := len(eval[[]string](t, ctx, visibleIDs)); n != 2000 {
		t.Fatalf("%d entries", n)
	}
	type timing struct {
		Text, Kind, Clear float64
		Shown             int
	}
	// The best of five rounds, and up to four attempts a little apart: the
	// machine is shared (go test runs other packages' heavy tests beside
	// this one), and a slow round is the scheduler, not the page.
	measure := func() timing {
		return eval[timing](t, ctx, `(() => {
		const q = document.querySelector('input[name=q]');
		const box = document.querySelector('input[name=kind][value=action]');
		const time = (f) => { const t0 = performance.now(); f(); document.body.offsetHeight; return performance.now() - t0; };
		const best = {Text: 1e9, Kind: 1e9, Clear: 1e9, Shown: 0};
		for (let round = 0; round < 5; round++) {
			best.Text = Math.min(best.Text, time(() => { q.value = 'rollback'; q.dispatchEvent(new Event('input', {bubbles: true})); }));
			best.Shown = Array.from(document.querySelectorAll('li.entry')).filter(e => !e.hidden).length;
			best.Kind = Math.min(best.Kind, time(() => { box.click(); }));
			best.Clear = Math.min(best.Clear, time(() => { q.value = ''; q.dispatchEvent(new Event('input', {bubbles: true})); }));
			box.click(); // back to every kind for the next round
		}
		box.click(); // leave "action" unchecked, as one round does
		return best;
	})()`)
	}
	var tm timing
	for attempt := 1; attempt <= 4; attempt++ {
		m := measure()
		if attempt == 1 || max(m.Text, m.Kind, m.Clear) < max(tm.Text, tm.Kind, tm.Clear) {
			tm = m
		}
		if max(tm.Text, tm.Kind, tm.Clear) <= 50 {
			break
		}
		js(t, ctx, `document.querySelector('input[name=kind][value=action]').click()`) // every kind again
		time.Sleep(1500 * time.Millisecond)
	}
	t.Logf("2,000 entries: text filter %.1f ms, kind filter %.1f ms, clear %.1f ms", tm.Text, tm.Kind, tm.Clear)
	if tm.Shown != 500 {
		t.Errorf("text filter shows %d entries, want 500", tm.Shown)
	}
	// The deferred highlights finish soon after (the filters were changed
	// by then, so set them again and wait).
	js(t, ctx, `document.querySelector('input[name=kind][value=action]').click(); const q = document.querySelector('input[name=q]'); q.value = 'rollback'; q.dispatchEvent(new Event('input', {bubbles: true}))`)
	run(t, ctx, chromedp.Sleep(300*time.Millisecond))
	if n := eval[int](t, ctx, `document.querySelectorAll('li.entry mark').length`); n != 500 {
		t.Errorf("%d entries highlighted after the deferred chunks, want 500", n)
	}
	for name, ms := range map[string]float64{"text": tm.Text, "kind": tm.Kind, "clear": tm.Clear} {
		if ms > 50 {
			t.Errorf("%s filter took %.1f ms on 2,000 entries; the budget is 50 ms", name, ms)
		}
	}
	if p := problems.take(); len(p) > 0 {
		t.Errorf("console: %v", p)
	}
}

// DEBRIEF_SCREENSHOTS=dir writes PNGs of the seed incident (light, dark,
// narrow) for review.
func TestBrowserScreenshots(t *testing.T) {
	dir := os.Getenv("DEBRIEF_SCREENSHOTS")
	if dir == "" {
		t.Skip("set DEBRIEF_SCREENSHOTS=dir to write screenshots")
	}
	s := exampleSite(t)
	ctx, _ := browser(t)
	shots := []struct {
		name  string
		dark  bool
		width int64
	}{{"seed-light.png", false, 1200}, {"seed-dark.png", true, 1200}, {"seed-narrow.png", false, 400}}
	for _, sh := range shots {
		scheme := "light"
		if sh.dark {
			scheme = "dark"
		}
		run(t, ctx, media(scheme), chromedp.EmulateViewport(sh.width, 900),
			chromedp.Navigate(s.url+seedPage+"#t-051552"), controls)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sh.name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Printing shows the whole timeline and the CAN report, whatever the
// filters on screen, and none of the controls.
func TestBrowserPrintShowsEverything(t *testing.T) {
	s := exampleSite(t)
	ctx, _ := browser(t)
	run(t, ctx, chromedp.Navigate(s.url+seedPage+"#kinds=need&q=script"), controls)
	if n := len(eval[[]string](t, ctx, visibleIDs)); n >= 21 {
		t.Fatalf("filter not applied: %d entries", n)
	}
	run(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	shown := eval[int](t, ctx, `Array.from(document.querySelectorAll('li.entry')).filter(e => getComputedStyle(e).display !== 'none').length`)
	if shown != 21 {
		t.Errorf("print shows %d of 21 entries", shown)
	}
	if d := eval[string](t, ctx, `getComputedStyle(document.querySelector('form[data-controls]')).display`); d != "none" {
		t.Errorf("controls print as %q", d)
	}
	if d := eval[string](t, ctx, `getComputedStyle(document.querySelector('section.can')).display`); d == "none" {
		t.Error("CAN report hidden in print")
	}
}
