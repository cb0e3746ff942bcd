// Package serve is the development server of `debrief serve`: it serves
// only the output folder, injects a live-reload script into pages, streams
// reload and build-error events (Server-Sent Events), and refuses requests
// for other hosts (DNS rebinding) and from other sites.
package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

//go:embed reload.js
var reloadJS []byte

const (
	eventsPath = "/__debrief/events"
	scriptPath = "/__debrief/reload.js"
	scriptTag  = `<script src="` + scriptPath + `" defer></script>`
)

// Server serves one output folder.
type Server struct {
	out   string
	hosts map[string]bool // accepted Host names (without port)

	mu      sync.Mutex
	clients map[chan event]bool
	failed  *event // the current build error, shown to pages that connect
	done    chan struct{}
	once    sync.Once
}

// Close ends every event stream, so the HTTP server can shut down.
func (s *Server) Close() { s.once.Do(func() { close(s.done) }) }

type event struct {
	name string
	data []byte
}

// New serves out, accepting requests addressed to bind or to localhost;
// bound to every interface (0.0.0.0, ::), to the machine's name and its
// addresses of that family too.
func New(out, bind string) *Server {
	hosts := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	if ip := net.ParseIP(bind); ip != nil && ip.IsUnspecified() {
		for _, h := range ownNames(ip.To4() != nil) {
			hosts[h] = true
		}
	} else if bind != "" {
		hosts[canonicalHost(bind)] = true
	}
	return &Server{out: out, hosts: hosts, clients: map[chan event]bool{}, done: make(chan struct{})}
}

// ownNames is what a server bound to every interface is reached by: the
// machine's name and its addresses, IPv4 or IPv6 as bound.
func ownNames(v4 bool) []string {
	var names []string
	if h, err := os.Hostname(); err == nil {
		names = append(names, canonicalHost(h))
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && (ipn.IP.To4() != nil) == v4 {
			names = append(names, ipn.IP.String())
		}
	}
	return names
}

// canonicalHost is a Host name as it is compared: lower case, an address
// in its one standard form, without brackets.
func canonicalHost(h string) string {
	h = strings.ToLower(strings.Trim(h, "[]"))
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return h
}

// Exposed reports whether a server bound to bind can be reached from
// other machines: bound to anything but a loopback address or localhost.
func Exposed(bind string) bool {
	if ip := net.ParseIP(bind); ip != nil {
		return !ip.IsLoopback()
	}
	return canonicalHost(bind) != "localhost"
}

// ownHost reports whether a request is addressed to this server: to one
// of its names, or to the address it arrived on (an address the machine
// gained after the server started; no other site's name can be that).
func (s *Server) ownHost(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		host = h
	}
	host = canonicalHost(host)
	if s.hosts[host] {
		return true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	ip := net.ParseIP(host)
	return ok && ip != nil && ip.Equal(local.IP)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// No other site may read this one: a browser blocks another page's
	// <script src> of search-index.js, which would hand it every title
	// and timeline, and refuses to let it read any response.
	w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		http.Error(w, "debrief serve: cross-site request refused", http.StatusForbidden)
		return
	}
	if !s.ownHost(r) {
		// A page on another site that resolves its own name to 127.0.0.1
		// must not read this one.
		http.Error(w, "debrief serve: unexpected Host header", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(reloadJS)
		return
	}
	s.file(w, r)
}

// file serves a file of the output folder; pages get the reload script.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	name := path.Clean("/" + r.URL.Path)
	if strings.Contains(name, "\x00") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	root, err := filepath.Abs(s.out)
	if err != nil {
		http.Error(w, "no output folder", http.StatusInternalServerError)
		return
	}
	p := filepath.Join(root, filepath.FromSlash(name))
	if p != root && !strings.HasPrefix(p, root+string(filepath.Separator)) {
		http.NotFound(w, r)
		return
	}
	var st os.FileInfo
	if hidden(name) {
		err = fs.ErrNotExist
	} else {
		st, err = os.Stat(p)
	}
	if err == nil && st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			// From the cleaned path, escaped: "//about/" would send the
			// browser to the host "about" (an open redirect).
			to := &url.URL{Path: strings.TrimSuffix(name, "/") + "/", RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, to.String(), http.StatusMovedPermanently)
			return
		}
		p = filepath.Join(p, "index.html")
		st, err = os.Stat(p)
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusNotFound
		p = filepath.Join(root, "404.html")
		if st, err = os.Stat(p); err != nil {
			http.NotFound(w, r)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-cache")
	if strings.HasSuffix(p, ".html") {
		b, err := os.ReadFile(p)
		if err != nil {
			http.Error(w, "read error", http.StatusInternalServerError)
			return
		}
		if i := bytes.LastIndex(b, []byte("</body>")); i >= 0 {
			b = append(b[:i:i], append([]byte(scriptTag+"\n"), b[i:]...)...)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(b)
		}
		return
	}
	f, err := os.Open(p)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	http.ServeContent(w, r, st.Name(), st.ModTime(), f)
}

// hidden reports whether a cleaned URL path has a segment that starts
// with a dot, at any depth: dot-files and dot-folders (a deploy's .git,
// debrief's marker) are never served. A backslash counts as a slash, as
// Windows reads it.
func hidden(name string) bool {
	return strings.Contains(name, "/.") || strings.Contains(name, `\.`)
}

// events streams build events to one page until it goes away.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan event, 8)
	s.mu.Lock()
	s.clients[ch] = true
	failed := s.failed
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, ch)
		s.mu.Unlock()
	}()
	fmt.Fprint(w, ": debrief\n\n")
	if failed != nil {
		writeEvent(w, *failed)
	}
	fl.Flush()
	keep := time.NewTicker(25 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case ev := <-ch:
			writeEvent(w, ev)
			fl.Flush()
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		}
	}
}

func writeEvent(w http.ResponseWriter, ev event) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
}

func (s *Server) broadcast(ev event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.clients {
		select {
		case ch <- ev:
		default: // a page that does not read loses events, not the server
		}
	}
}

// Clients is the number of pages listening.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// Reload tells pages which outputs changed; call it after every file is
// written. It also clears a shown build error.
func (s *Server) Reload(changed []string) {
	s.mu.Lock()
	wasFailed := s.failed != nil
	s.failed = nil
	s.mu.Unlock()
	if wasFailed {
		s.broadcast(event{name: "build-ok", data: []byte("{}")})
	}
	if changed == nil {
		changed = []string{}
	}
	b, _ := json.Marshal(changed)
	s.broadcast(event{name: "reload", data: b})
}

// ErrorContext is one error with the lines around it.
type ErrorContext struct {
	Message string        `json:"message"`
	Context []ContextLine `json:"context,omitempty"`
}

// ContextLine is a numbered source line.
type ContextLine struct {
	N    int    `json:"n"`
	Text string `json:"text"`
	Here bool   `json:"here,omitempty"`
}

// Failed shows a build error over every open page until the next Reload.
func (s *Server) Failed(errs []ErrorContext) {
	b, _ := json.Marshal(struct {
		Errors []ErrorContext `json:"errors"`
	}{errs})
	ev := event{name: "build-error", data: b}
	s.mu.Lock()
	s.failed = &ev
	s.mu.Unlock()
	s.broadcast(ev)
}

// Context reads the lines around line of file (site-relative) under
// source. A symbolic link out of the site is not followed: the overlay
// and the event stream show nothing from outside it.
func Context(source, file string, line, around int) []ContextLine {
	if line < 1 {
		return nil
	}
	root, err := os.OpenRoot(source)
	if err != nil {
		return nil
	}
	defer root.Close()
	b, err := fs.ReadFile(root.FS(), file)
	if err != nil {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	var out []ContextLine
	for n := max(1, line-around); n <= min(len(lines), line+around); n++ {
		text := lines[n-1]
		if len(text) > 300 {
			text = text[:300] + "…"
		}
		out = append(out, ContextLine{N: n, Text: text, Here: n == line})
	}
	return out
}
