// Command debrief builds a static knowledge base of post-incident reviews.
// This file holds flags and wiring only; the engine is in internal/.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/serve"
	"github.com/debrief-ssg/debrief/internal/watch"
	"github.com/debrief-ssg/debrief/themes"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now))
}

const usage = `debrief builds a static knowledge base of post-incident reviews.

Usage:
  debrief build [--source DIR] [--out DIR] [--base-url URL] [--drafts] [--force] [--watch [--poll 1s]]
  debrief serve [--source DIR] [--bind 127.0.0.1] [--port 1313] [--drafts] [--poll 1s]
  debrief check [--source DIR] [--drafts]
  debrief new [--source DIR] TITLE
  debrief can FILE [--at HH:MM[:SS]] [--format text|markdown|json] [--explain] [--observations] [--write]
  debrief version

Exit codes: 0 success, 1 content errors, 2 usage errors.
`

type env struct {
	stdout, stderr io.Writer
	now            func() time.Time
}

func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	e := env{stdout, stderr, now}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return e.build(rest)
	case "serve":
		return e.serve(rest)
	case "check":
		return e.check(rest)
	case "new":
		return e.newIncident(rest)
	case "can":
		return e.can(rest)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "debrief %s\n", version)
		return exitOK
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "debrief: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// parse parses flags that may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, bool) {
	fs.SetOutput(stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, false
		}
		if fs.NArg() == 0 {
			return pos, true
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// minPoll is the shortest --poll: each scan stats every watched file, and
// scanning more often burns a core for nothing an editor can see.
const minPoll = 100 * time.Millisecond

// checkPoll reports whether --poll is 0 (file-system events) or at least
// minPoll, and says why not on w.
func checkPoll(w io.Writer, cmd string, poll time.Duration) bool {
	if poll == 0 || poll >= minPoll {
		return true
	}
	fmt.Fprintf(w, "debrief %s: --poll %s: want %s or more (0, the default, uses file-system events)\n", cmd, poll, minPoll)
	return false
}

// cleanPaths cleans path flags once, where they are read: the rest of
// debrief compares and joins them as clean paths ("public/" and "./public"
// are "public"). An empty flag stays empty: it means the default.
func cleanPaths(ps ...*string) {
	for _, p := range ps {
		if *p != "" {
			*p = filepath.Clean(*p)
		}
	}
}

func printDiags(w io.Writer, ds diag.List) {
	for _, d := range ds {
		fmt.Fprintln(w, d.String())
	}
}

func (e env) build(args []string) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	opts := build.Options{Version: version, Theme: themes.Default}
	fs.StringVar(&opts.Source, "source", ".", "site folder (holding content/)")
	fs.StringVar(&opts.Out, "out", "", "output folder (default SOURCE/public)")
	fs.StringVar(&opts.BaseURL, "base-url", "", "absolute URL the site is published at (feed, sitemap, canonical links)")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include drafts")
	fs.BoolVar(&opts.Force, "force", false, "replace a non-empty output folder debrief did not create")
	watch := fs.Bool("watch", false, "keep rebuilding on change")
	poll := fs.Duration("poll", 0, "with --watch: scan for changes this often instead of using file-system events")
	pos, ok := parse(fs, args, e.stderr)
	if !ok || len(pos) > 0 {
		if ok {
			fmt.Fprintf(e.stderr, "debrief build: unexpected argument %q\n", pos[0])
		}
		return exitUsage
	}
	cleanPaths(&opts.Source, &opts.Out)
	if !checkPoll(e.stderr, "build", *poll) {
		return exitUsage
	}
	if *poll != 0 && !*watch {
		fmt.Fprintln(e.stderr, "debrief build: --poll scans for changes with --watch; add --watch")
		return exitUsage
	}
	if opts.BaseURL != "" {
		if err := config.CheckBaseURL(opts.BaseURL); err != nil {
			fmt.Fprintf(e.stderr, "debrief build: --base-url %q: %v\n", opts.BaseURL, err)
			return exitUsage
		}
	}
	if *watch {
		return e.dev(opts, nil, nil, *poll)
	}
	switch gogc, limit := os.Getenv("GOGC") != "", os.Getenv("GOMEMLIMIT") != ""; {
	case !gogc && !limit:
		// The collector's policy follows the site's size (gc.go).
		c := &collector{}
		c.start()
		opts.Sized = func(_ int, bytes int64) { c.sized(bytes) }
	case !gogc:
		debug.SetGCPercent(oneShotGCPercent) // GOMEMLIMIT is the user's
	case !limit:
		debug.SetMemoryLimit(maxMemoryLimit) // GOGC is the user's
	}
	return e.doBuild(opts)
}

func (e env) doBuild(opts build.Options) int {
	opts.Progress = progress(e.stderr, e.now)
	res, err := build.Build(opts)
	if opts.Progress != nil {
		opts.Progress(-1, 0) // clear the progress line
	}
	if res != nil {
		printDiags(e.stderr, res.Diags)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "debrief build: %v\n", err)
		if outputRefused(err) {
			return exitUsage
		}
		return exitContent
	}
	errs, warns := res.Diags.Count()
	if errs > 0 {
		fmt.Fprintf(e.stderr, "debrief: %s, %s; nothing written (the previous output is untouched)\n", diag.N(errs, "error"), diag.N(warns, "warning"))
		return exitContent
	}
	unchanged := ""
	if res.Unchanged > 0 {
		unchanged = fmt.Sprintf(" (%d unchanged)", res.Unchanged)
	}
	fmt.Fprintf(e.stdout, "debrief: %s, %s, %s written%s, %s in %s\n",
		diag.N(res.Incidents, "incident"), diag.N(res.Pages, "page"), diag.N(res.Written, "file"), unchanged, diag.N(warns, "warning"), res.Elapsed.Round(time.Millisecond))
	return exitOK
}

// progress returns a reporter that, on a terminal, shows how far a build
// that has run for more than a second has got; elsewhere it is nil.
func progress(w io.Writer, now func() time.Time) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	start := now()
	var mu sync.Mutex
	var last time.Time
	shown := false
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done < 0 {
			if shown {
				fmt.Fprint(f, "\r\033[K")
			}
			return
		}
		t := now()
		if t.Sub(start) < time.Second || t.Sub(last) < 100*time.Millisecond {
			return
		}
		last, shown = t, true
		fmt.Fprintf(f, "\rreading content: %d/%d files", done, total)
	}
}

func (e env) serve(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	opts := build.Options{Version: version, Theme: themes.Default}
	fs.StringVar(&opts.Source, "source", ".", "site folder (holding content/)")
	fs.StringVar(&opts.Out, "out", "", "output folder (default SOURCE/public)")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include drafts")
	fs.BoolVar(&opts.Force, "force", false, "replace a non-empty output folder debrief did not create")
	bind := fs.String("bind", "127.0.0.1", "address to listen on")
	port := fs.Int("port", 1313, "port to listen on (0: any free port)")
	poll := fs.Duration("poll", 0, "scan for changes this often instead of using file-system events")
	if pos, ok := parse(fs, args, e.stderr); !ok || len(pos) > 0 {
		return exitUsage
	}
	cleanPaths(&opts.Source, &opts.Out)
	if !checkPoll(e.stderr, "serve", *poll) {
		return exitUsage
	}
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Source, "public")
	}
	// An IPv4 address listens on IPv4 only: "tcp" would take 0.0.0.0 for
	// every IPv6 address as well.
	network := "tcp"
	if ip := net.ParseIP(*bind); ip != nil && ip.To4() != nil {
		network = "tcp4"
	} else if ip != nil {
		network = "tcp6"
	}
	ln, err := net.Listen(network, net.JoinHostPort(*bind, fmt.Sprint(*port)))
	if err != nil {
		fmt.Fprintf(e.stderr, "debrief serve: %v\n", err)
		return exitUsage
	}
	if serve.Exposed(*bind) {
		fmt.Fprintf(e.stderr, "debrief serve: warning: --bind %s exposes the site, with its error messages and the lines of content around them, to every machine that can reach this one; the default, 127.0.0.1, keeps it on this machine\n", *bind)
	}
	srv := serve.New(opts.Out, *bind)
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	// The port is taken now, so that a port in use is said at once; it
	// is served only once the first build has accepted the output
	// folder (Dev.Ready): never a folder it refused.
	serving := false
	ready := func() {
		serving = true
		fmt.Fprintf(e.stdout, "Serving %s at http://%s/ (Ctrl-C to stop)\n", opts.Out, ln.Addr())
		go func() { _ = httpSrv.Serve(ln) }()
	}
	code := e.dev(opts, srv, ready, *poll)
	srv.Close()
	if !serving {
		ln.Close()
		return code
	}
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = httpSrv.Shutdown(shut)
	return code
}

// outputRefused reports whether err is a refusal of the output folder:
// a usage error, which no edit of the content fixes.
func outputRefused(err error) bool {
	return errors.Is(err, build.ErrNotOurs) || errors.Is(err, build.ErrSources) || errors.Is(err, build.ErrUnwritable)
}

// dev runs the watch loop until Ctrl-C; ready, if set, is called once the
// first build has accepted the output folder.
func (e env) dev(opts build.Options, srv *serve.Server, ready func(), poll time.Duration) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d := &serve.Dev{Session: build.NewSession(opts), Source: opts.Source, Server: srv, Log: e.stdout, Watch: watch.Options{Poll: poll}, Ready: ready}
	if err := d.Run(ctx); err != nil {
		fmt.Fprintf(e.stderr, "debrief: %v\n", err)
		if outputRefused(err) {
			return exitUsage
		}
		return exitContent
	}
	return exitOK
}

func (e env) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	opts := build.Options{Version: version, Theme: themes.Default}
	fs.StringVar(&opts.Source, "source", ".", "site folder (holding content/)")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include drafts")
	if pos, ok := parse(fs, args, e.stderr); !ok || len(pos) > 0 {
		return exitUsage
	}
	cleanPaths(&opts.Source)
	s, ds := build.Check(opts)
	printDiags(e.stderr, ds)
	errs, warns := ds.Count()
	if errs > 0 {
		fmt.Fprintf(e.stderr, "debrief check: %s, %s\n", diag.N(errs, "error"), diag.N(warns, "warning"))
		return exitContent
	}
	fmt.Fprintf(e.stdout, "debrief check: %s, %s, %s, no errors\n", diag.N(len(s.Incidents), "incident"), diag.N(len(s.Pages), "page"), diag.N(warns, "warning"))
	return exitOK
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

func (e env) newIncident(args []string) int {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	source := fs.String("source", ".", "site folder (holding content/)")
	pos, ok := parse(fs, args, e.stderr)
	if !ok {
		return exitUsage
	}
	cleanPaths(source)
	title := strings.TrimSpace(strings.Join(pos, " "))
	if title == "" {
		fmt.Fprintln(e.stderr, "debrief new: give the incident a title: debrief new \"E-mail delayed for EU customers\"")
		return exitUsage
	}
	slug := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if len(slug) > 60 {
		slug = strings.Trim(slug[:60], "-")
	}
	if slug == "" {
		slug = "incident"
	}
	today := e.now()
	dir := filepath.Join(*source, "content", "incidents")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "debrief new: %v\n", err)
		return exitContent
	}
	f, path, err := createUnique(dir, today.Format("2006-01-02")+"-"+slug)
	if err != nil {
		fmt.Fprintf(e.stderr, "debrief new: %v\n", err)
		return exitContent
	}
	quoted, _ := json.Marshal(title) // a JSON string is a valid YAML string
	fmt.Fprintf(f, newTemplate, quoted, today.Format("2006-01-02"), today.Format("15:04"))
	if err := f.Close(); err != nil {
		fmt.Fprintf(e.stderr, "debrief new: %v\n", err)
		return exitContent
	}
	fmt.Fprintln(e.stdout, path)
	return exitOK
}

// createUnique creates dir/base.md, or the first of base-2.md, base-3.md,
// … that does not exist: two incidents of a day may share a title, and
// every title without Latin letters has the slug "incident". The file
// name is the incident's id, so it must never be taken twice.
func createUnique(dir, base string) (*os.File, string, error) {
	for n := 1; n <= 1000; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		path := filepath.Join(dir, name+".md")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, path, err
	}
	return nil, "", fmt.Errorf("%s: a thousand files of this name already; give a title of its own", filepath.Join(dir, base+".md"))
}

const newTemplate = `---
title: %s
date: %s
severity: SEV3
status: open
commander: ""
participants: []
services: []
components: []
tags: []
detected: "%[3]s"
---

One paragraph: what happened, who was affected, how it ended.

## Timeline

- %[3]s [condition] What was noticed, and by whom.

## Root cause

## Follow-ups
`

func (e env) can(args []string) int {
	fs := flag.NewFlagSet("can", flag.ContinueOnError)
	source := fs.String("source", "", "site folder (default: the nearest folder above FILE holding content/)")
	at := fs.String("at", "", "report as of this time: HH:MM[:SS] on the incident's timeline, YYYY-MM-DD HH:MM[:SS] or RFC 3339")
	format := fs.String("format", "text", "text, markdown or json")
	write := fs.Bool("write", false, "append the derived report to FILE as Conditions/Actions/Needs sections")
	explain := fs.Bool("explain", false, "say under the report why each derived line is there")
	observations := fs.Bool("observations", false, "print the command observations of the whole log under the report")
	pos, ok := parse(fs, args, e.stderr)
	if !ok {
		return exitUsage
	}
	cleanPaths(source)
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "debrief can: give exactly one incident file: debrief can content/incidents/x.md")
		return exitUsage
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		fmt.Fprintf(e.stderr, "debrief can: --format %q: want text, markdown or json\n", *format)
		return exitUsage
	}
	if *write && (*explain || *observations) {
		fmt.Fprintln(e.stderr, "debrief can: --write appends the report alone; leave out --explain and --observations")
		return exitUsage
	}
	if *at != "" && *observations {
		fmt.Fprintln(e.stderr, "debrief can: --observations are of the whole log; leave out --at")
		return exitUsage
	}
	file := pos[0]
	src, rel, err := locate(file, *source)
	if err != nil {
		fmt.Fprintf(e.stderr, "debrief can: %v\n", err)
		return exitUsage
	}
	cfg, cds := config.Load(src)
	printDiags(e.stderr, cds)
	inc, ds := build.LoadFile(src, rel, cfg, markdown.New(cfg.UnsafeHTML))
	printDiags(e.stderr, ds)
	if inc == nil || ds.HasErrors() {
		return exitContent
	}
	report := inc.CAN
	if len(inc.Timeline.Entries) == 0 && (report == nil || *at != "" || *write) {
		fmt.Fprintf(e.stderr, "%s: no timeline found: no line starts with a time in a form debrief reads, so there is no report (see docs/timeline-formats.md)\n", rel)
		return exitContent
	}
	var asOf time.Time
	if *at != "" {
		st, err := clock.Parse(*at)
		if err != nil {
			fmt.Fprintf(e.stderr, "debrief can: --at: %v\n", err)
			return exitUsage
		}
		t, candidates, ok := inc.Timeline.At(st, inc.Location, inc.Date.Year())
		if !ok {
			fmt.Fprintf(e.stderr, "debrief can: --at %s falls in the log on %d days; give the date:\n", *at, len(candidates))
			for _, c := range candidates {
				fmt.Fprintf(e.stderr, "  --at %q\n", c.Format("2006-01-02 15:04"))
			}
			return exitUsage
		}
		report = inc.Analysis.At(t, can.Options{MaxLines: cfg.CAN.MaxLines, MaxWords: cfg.CAN.MaxWords})
		asOf = t
	}
	if *write {
		if !inc.CAN.Derived {
			fmt.Fprintf(e.stderr, "%s: the file already has an author-written CAN report; edit it there\n", rel)
			return exitContent
		}
		if err := appendReport(file, can.Markdown(report)); err != nil {
			fmt.Fprintf(e.stderr, "debrief can: %v\n", err)
			return exitContent
		}
		fmt.Fprintf(e.stdout, "appended the CAN report to %s\n", file)
		return exitOK
	}
	out := canOutput{inc: inc, report: report, at: asOf, opts: can.Options{MaxLines: cfg.CAN.MaxLines, MaxWords: cfg.CAN.MaxWords},
		explain: *explain, observations: *observations}
	if *format == "json" {
		out.writeJSON(e.stdout)
	} else {
		out.writeText(e.stdout, *format == "markdown")
	}
	return exitOK
}

// appendReport appends md to the file at path, replacing the file whole
// (build.ReplaceFile): a full disk must not leave it half-written.
func appendReport(path, md string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sep := "\n"
	if len(data) > 0 && data[len(data)-1] != '\n' {
		sep = "\n\n"
	}
	return build.ReplaceFile(path, append(append(data, sep...), md...), 0o644)
}

// locate finds the site of the incident file named by file, any path to
// it: the site folder source, else the nearest folder above the file
// holding content/, else the file's own folder. rel is the file's path in
// the site, with forward slashes, as build and check name it.
func locate(file, source string) (src, rel string, err error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", file, err)
	}
	if st, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf("%s: no such file", file)
	} else if err == nil && st.IsDir() {
		return "", "", fmt.Errorf("%s is a folder; give an incident file", file)
	}
	if source != "" {
		if src, err = filepath.Abs(source); err != nil {
			return "", "", fmt.Errorf("--source %s: %w", source, err)
		}
	} else {
		src = siteRoot(abs)
	}
	rel, err = filepath.Rel(src, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", "", fmt.Errorf("%s is not inside the site %s", file, source)
	}
	return src, filepath.ToSlash(rel), nil
}

// siteRoot is the nearest folder above the absolute path file that holds
// content/, or the file's own folder when none does.
func siteRoot(file string) string {
	for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
		if st, err := os.Stat(filepath.Join(dir, "content")); err == nil && st.IsDir() {
			return dir
		}
		if filepath.Dir(dir) == dir {
			return filepath.Dir(file)
		}
	}
}
