// Package e2e holds the browser tests: the example site built, served and
// driven in headless Chromium through chromedp. They skip when Chromium is
// absent, and fail instead when DEBRIEF_E2E=1 (CI sets it).
package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/themes"
)

// chromium finds a Chromium binary, or skips (fails under DEBRIEF_E2E=1).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("DEBRIEF_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DEBRIEF_E2E") == "1" {
		t.Fatal("DEBRIEF_E2E=1 but no Chromium found: install it (apt-get install -y chromium) or set DEBRIEF_CHROMIUM")
	}
	t.Skip("browser test skipped: Chromium not found (apt-get install -y chromium; DEBRIEF_E2E=1 makes this a failure)")
	return ""
}

// site is a built site and a server for it.
type site struct {
	dir string
	url string
	res *build.Result
}

// buildSite builds a site folder into a temporary output and serves it.
func buildSite(t *testing.T, source string) site {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	res, err := build.Build(build.Options{Source: source, Out: out, Version: "test", Theme: themes.Default})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diags.HasErrors() {
		t.Fatalf("site has errors: %v", res.Diags)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)
	return site{dir: out, url: srv.URL, res: res}
}

func exampleSite(t *testing.T) site {
	t.Helper()
	return buildSite(t, "../..")
}

// browser starts a headless Chromium and returns a tab context. Console
// errors and warnings, exceptions and CSP violations are collected in
// *problems (read them after a short wait: they arrive asynchronously).
func browser(t *testing.T) (context.Context, *problems) {
	t.Helper()
	bin := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first call starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	p := &problems{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning {
				p.add(m.String() + " at " + m.URL)
			}
		}
	}()
	tctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	return tctx, p
}

type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, s)
}

// take returns and clears what was collected.
func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.list
	p.list = nil
	return l
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// js runs a statement for its effect.
func js(t *testing.T, ctx context.Context, stmt string) {
	t.Helper()
	eval[bool](t, ctx, "(() => { "+stmt+"; return true })()")
}

// media emulates a prefers-color-scheme.
func media(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// noScript turns JavaScript off for the tab.
func noScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

const seedPage = "/incidents/inc-2024-031/index.html"

// visibleIDs lists the entries shown now.
const visibleIDs = `Array.from(document.querySelectorAll('li.entry')).filter(e => !e.hidden).map(e => e.id)`

// controls waits for the timeline script to have shown its controls.
var controls = chromedp.WaitVisible(chromedp.CSS(`form[data-controls]`))
