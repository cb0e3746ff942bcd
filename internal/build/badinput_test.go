package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/themes"
	"github.com/rogpeppe/go-internal/txtar"
)

// outcome builds a site and returns its errors, one per line, or "ok". A
// build must finish (no hang), must not panic, and when it fails must leave
// no output behind.
func outcome(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "public")
	type result struct {
		res *Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
		done <- result{res, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("build hung")
	}
	if r.err != nil {
		return "build error: " + r.err.Error()
	}
	var lines []string
	for _, d := range r.res.Diags {
		if d.Severity == 0 {
			lines = append(lines, d.String())
		}
	}
	if len(lines) == 0 {
		if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
			return "no error, but no site either"
		}
		return "ok"
	}
	if _, err := os.Stat(out); err == nil {
		lines = append(lines, "(and the output folder was written)")
	}
	return strings.Join(lines, "\n")
}

// TestBadInputCorpus builds every site in testdata/badinput: fail_* cases
// must give exactly the errors in their "want" section, good_* cases must
// build.
func TestBadInputCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/badinput/*.txtar")
	if len(files) < 10 {
		t.Fatalf("only %d cases", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			want := ""
			for _, file := range ar.Files {
				if file.Name == "want" {
					want = strings.TrimSpace(string(file.Data))
					continue
				}
				writeFile(t, filepath.Join(dir, file.Name), string(file.Data))
			}
			if strings.HasPrefix(name, "good_") != (want == "ok") {
				t.Fatalf("a good_ case wants ok and a fail_ case wants errors; want is %q", want)
			}
			if got := outcome(t, dir); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// Cases a text archive cannot hold: bytes, sizes and file-system oddities.
func TestBadInputGenerated(t *testing.T) {
	fm := "---\ntitle: T\ndate: 2024-01-01\n---\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"fail_binary", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content", "a.md"), fm+"\x00\x01\x02\xff")
		}, "content/a.md:5:1: binary file: NUL byte; incident files must be UTF-8 text"},
		{"fail_not_utf8", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content", "a.md"), fm+"caf\xe9 au lait\n")
		}, "content/a.md:5:4: not valid UTF-8; save the file as UTF-8"},
		{"fail_absurdly_long_line", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content", "a.md"), fm+"- 10:00 "+strings.Repeat("x", 2<<20)+"\n")
		}, fmt.Sprintf("content/a.md:5:1: line longer than %d bytes", 1<<20)},
		{"good_10MB_file", func(t *testing.T, dir string) {
			var b strings.Builder
			b.WriteString(fm + "## Timeline\n\n")
			for i := 0; b.Len() < 10<<20; i++ {
				fmt.Fprintf(&b, "- %02d:%02d:%02d Ana: the e-mail queue is backed up again on server %d, paging storage. %s\n", (i/3600)%24, (i/60)%60, i%60, i, strings.Repeat("More detail. ", 40))
			}
			writeFile(t, filepath.Join(dir, "content", "big.md"), b.String())
		}, "ok"},
		{"good_100000_entry_timeline", func(t *testing.T, dir string) {
			var b strings.Builder
			b.WriteString(fm + "## Timeline\n\n")
			start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := 0; i < 100000; i++ {
				at := start.Add(time.Duration(i) * 7 * time.Second)
				fmt.Fprintf(&b, "- %s %s event %d failed\n", at.Format("2006-01-02 15:04:05"), []string{"Ana:", "Raj:", ""}[i%3], i)
			}
			writeFile(t, filepath.Join(dir, "content", "long.md"), b.String())
		}, "ok"},
		{"good_symlink_loop", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content", "a.md"), fm)
			if err := os.Symlink(filepath.Join(dir, "content"), filepath.Join(dir, "content", "loop")); err != nil {
				t.Skip("no symlinks here")
			}
			if err := os.Symlink("nowhere.md", filepath.Join(dir, "content", "dangling.md")); err != nil {
				t.Fatal(err)
			}
		}, "ok"},
		{"good_directory_named_md", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content", "a.md"), fm)
			if err := os.MkdirAll(filepath.Join(dir, "content", "x.md"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "ok"},
		{"fail_unreadable_file", func(t *testing.T, dir string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads every file")
			}
			p := filepath.Join(dir, "content", "a.md")
			writeFile(t, p, fm)
			if err := os.Chmod(p, 0); err != nil {
				t.Fatal(err)
			}
		}, "content/a.md:1:1: reading: permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			if got := outcome(t, dir); got != tt.want {
				if len(got) > 500 {
					got = got[:500] + "…"
				}
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
