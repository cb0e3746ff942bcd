package serve

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testSite is an output folder with a page, a script and a 404 page.
func testSite(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	write(t, filepath.Join(out, "index.html"), "<html><body>home</body></html>")
	write(t, filepath.Join(out, "404.html"), "<html><body>not here</body></html>")
	write(t, filepath.Join(out, "search-index.js"), "window.DEBRIEF_SEARCH = [];")
	write(t, filepath.Join(out, "about", "index.html"), "<html><body>about</body></html>")
	return out
}

// do sends one request with the given headers and returns the response,
// its body read and closed.
func do(t *testing.T, method, url string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// No other web page may read the site: every response says
// Cross-Origin-Resource-Policy: same-origin (a <script src> of
// search-index.js from another site is blocked), and a request the
// browser marks cross-site is refused.
func TestServerRefusesOtherSites(t *testing.T) {
	srv := New(testSite(t), "127.0.0.1")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	for _, c := range []struct {
		method, path string
		header       map[string]string
		code         int
	}{
		{"GET", "/", nil, 200},
		{"GET", "/search-index.js", nil, 200},
		{"GET", "/search-index.js", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200},
		{"GET", "/search-index.js", map[string]string{"Sec-Fetch-Site": "none"}, 200},
		{"GET", "/search-index.js", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"GET", "/", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"GET", eventsPath, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"GET", scriptPath, nil, 200},
		{"GET", "/nope", nil, 404},
		{"GET", "/about", nil, 301},
		{"POST", "/", nil, 405},
		{"GET", "/", map[string]string{"Host": "evil.example"}, 403},
	} {
		resp := do(t, c.method, ts.URL+c.path, c.header)
		if resp.StatusCode != c.code {
			t.Errorf("%s %s %v: %d, want %d", c.method, c.path, c.header, resp.StatusCode, c.code)
		}
		if got := resp.Header.Get("Cross-Origin-Resource-Policy"); got != "same-origin" {
			t.Errorf("%s %s %v: Cross-Origin-Resource-Policy %q", c.method, c.path, c.header, got)
		}
	}
	// The event stream too, which the loop above does not wait for.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+eventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got := resp.Header.Get("Cross-Origin-Resource-Policy"); resp.StatusCode != 200 || got != "same-origin" {
		t.Errorf("events: %d, Cross-Origin-Resource-Policy %q", resp.StatusCode, got)
	}
}

// A folder's address is redirected to its slash form, built from the
// cleaned path: //about must not send the browser to //about/, another
// host (an open redirect).
func TestServerRedirectsOnlyWithinTheSite(t *testing.T) {
	out := testSite(t)
	write(t, filepath.Join(out, "a b", "index.html"), "<html><body>spaced</body></html>")
	srv := New(out, "127.0.0.1")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	for path, want := range map[string]string{
		"/about":          "/about/",
		"//about":         "/about/",
		"///about":        "/about/",
		"/./about":        "/about/",
		"/x/../about":     "/about/",
		"/about?q=x":      "/about/?q=x",
		"//about?q=//x":   "/about/?q=//x",
		"/a%20b":          "/a%20b/",
		"//%2e%2e//about": "/about/",
	} {
		resp := do(t, "GET", ts.URL+path, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != 301 || loc != want {
			t.Errorf("%s: %d Location %q, want 301 %q", path, resp.StatusCode, loc, want)
		}
	}
}

// Nothing under a dot-segment is served, at any depth, file or folder:
// a deploy's .git (with its config and remotes) sits in the output.
func TestServerRefusesDotPaths(t *testing.T) {
	out := testSite(t)
	write(t, filepath.Join(out, ".git", "config"), "[remote] secret")
	write(t, filepath.Join(out, ".git", "index.html"), "secret page")
	write(t, filepath.Join(out, ".well-known", "x"), "secret")
	write(t, filepath.Join(out, "assets", ".hidden", "y.css"), "secret")
	write(t, filepath.Join(out, "assets", ".env"), "secret")
	write(t, filepath.Join(out, ".debrief-output.json"), "secret")
	srv := New(out, "127.0.0.1")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	for _, p := range []string{"/.git/config", "/.git/", "/.git", "/.git/index.html", "/.well-known/x", "/assets/.hidden/y.css",
		"/assets/.hidden/", "/assets/.env", "/.debrief-output.json", "/%2egit/config", "/assets/../.git/config", "//.git//config"} {
		code, body, _ := get(t, ts.URL+p, "")
		if code != 404 || strings.Contains(body, "secret") || !strings.Contains(body, "not here") {
			t.Errorf("%s: %d %q, want the site's 404 page", p, code, body)
		}
	}
}

// hostCode is the status of GET / addressed to host, arriving on a
// connection to local.
func hostCode(srv *Server, host, local string) int {
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = host
	if local != "" {
		addr, _ := net.ResolveTCPAddr("tcp", local)
		req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, addr))
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec.Code
}

// Bound to every interface, the server answers the names and addresses
// it is reachable at (the machine's name, its addresses, the address a
// request arrived on) and still refuses other host names (DNS rebinding).
func TestServerBoundToAllAnswersItsOwnAddresses(t *testing.T) {
	out := testSite(t)
	srv := New(out, "0.0.0.0")
	defer srv.Close()
	var ok []string
	if h, err := os.Hostname(); err == nil {
		ok = append(ok, h, h+":1313")
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, isIP := a.(*net.IPNet); isIP && ipn.IP.To4() != nil {
			ok = append(ok, net.JoinHostPort(ipn.IP.String(), "1313"))
		}
	}
	for _, h := range ok {
		if code := hostCode(srv, h, ""); code != 200 {
			t.Errorf("Host %s: %d, want 200", h, code)
		}
	}
	// An address the machine gained after the server started.
	if code := hostCode(srv, "10.20.30.40:1313", "10.20.30.40:1313"); code != 200 {
		t.Errorf("Host of the connection's own address: %d, want 200", code)
	}
	for _, h := range []string{"evil.example", "evil.example:1313", "10.9.9.9:1313"} {
		if code := hostCode(srv, h, "10.20.30.40:1313"); code != 403 {
			t.Errorf("Host %s: %d, want 403", h, code)
		}
	}
	// Bound to one address, the server does not answer the others.
	one := New(out, "127.0.0.1")
	defer one.Close()
	if code := hostCode(one, "10.20.30.40:1313", ""); code != 403 {
		t.Errorf("bound to 127.0.0.1, Host 10.20.30.40: %d, want 403", code)
	}
}

// The error overlay's lines come from inside the site only: a content
// file that links out of it (to /etc/shadow, say) shows nothing.
func TestContextStaysInTheSite(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "outside", "shadow"), "root:SECRET\n")
	write(t, filepath.Join(dir, "site", "content", "a.md"), "one\ntwo\nthree\n")
	if err := os.Symlink(filepath.Join(dir, "outside", "shadow"), filepath.Join(dir, "site", "content", "zz.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if got := Context(filepath.Join(dir, "site"), "content/zz.md", 1, 3); got != nil {
		t.Errorf("lines from outside the site: %v", got)
	}
	if got := Context(filepath.Join(dir, "site"), "content/a.md", 2, 1); len(got) != 3 || got[1].Text != "two" || !got[1].Here {
		t.Errorf("lines of a content file: %v", got)
	}
}
