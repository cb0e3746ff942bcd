package build

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/themes"
)

// TestMain lets the test binary act as a build process that a test can
// kill: DEBRIEF_HELPER_BUILD=source:out runs one slow build and exits.
func TestMain(m *testing.M) {
	if spec := os.Getenv("DEBRIEF_HELPER_BUILD"); spec != "" {
		src, out, _ := strings.Cut(spec, ":")
		opts := Options{Source: src, Out: out, Version: "test", Theme: themes.Default,
			wrote: func(string) { time.Sleep(2 * time.Millisecond) }}
		if os.Getenv("DEBRIEF_HELPER_SWAP") != "" {
			// Stop mid-swap and wait there to be killed.
			opts.wrote = nil
			opts.noExchange = os.Getenv("DEBRIEF_HELPER_SWAP") == "renames"
			opts.swapping = func() {
				fmt.Println("swapping")
				time.Sleep(time.Minute)
			}
		}
		res, err := Build(opts)
		if err != nil || res.Diags.HasErrors() {
			fmt.Fprintln(os.Stderr, err, res.Diags)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// treeHash hashes every file's path and bytes under dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %x", rel, sha256.Sum256(b)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return fmt.Sprintf("%x (%d files)", sha256.Sum256([]byte(strings.Join(lines, "\n"))), len(lines))
}

// A build killed with SIGKILL while it writes leaves the output exactly as
// the last good build left it; the next build cleans up after it.
func TestKilledBuildLosesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{N: 200, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	if _, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default}); err != nil {
		t.Fatal(err)
	}
	good := treeHash(t, out)
	// Change every page, so a partial write would show.
	writeFile(t, filepath.Join(dir, "debrief.yaml"), "title: Renamed site\ntimezone: UTC\n")

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DEBRIEF_HELPER_BUILD="+dir+":"+out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the staging folder has some files in it, then kill.
	deadline := time.Now().Add(60 * time.Second)
	killed := false
	for time.Now().Before(deadline) && !killed {
		matches, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*", "incidents", "*"))
		if len(matches) > 20 {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
		time.Sleep(time.Millisecond)
	}
	err := cmd.Wait()
	if !killed {
		t.Fatalf("the build finished (%v) before it could be killed mid-write", err)
	}
	if got := treeHash(t, out); got != good {
		t.Fatalf("output changed by a killed build:\n got  %s\n want %s", got, good)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(left) == 0 {
		t.Log("no staging folder left behind (killed between writes)")
	}
	// The next build succeeds and removes what the killed one left.
	res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
	if err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".public.*")); len(left) != 0 {
		t.Errorf("left behind after the next build: %v", left)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); !strings.Contains(string(b), "Renamed site") {
		t.Error("the next build did not write the new site")
	}
}

// killMidSwap runs a build of dir into out in another process, stops it
// mid-swap (with two renames, or one exchange) and kills it there.
func killMidSwap(t *testing.T, dir, out, how string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DEBRIEF_HELPER_BUILD="+dir+":"+out, "DEBRIEF_HELPER_SWAP="+how)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "swapping\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the build did not reach its swap: %q %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// A build killed in the middle of its swap never leaves the site without
// an output folder, nor without what a deploy keeps there (.git, CNAME):
// where the system exchanges the two folders atomically, the output is the
// new build; where it takes two renames, the next run, even one that
// fails on a content error, puts the old output back first.
func TestKilledSwapLosesNothing(t *testing.T) {
	for _, how := range []string{"exchange", "renames"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "content", "x.md"), "---\ntitle: X\ndate: 2024-01-01\n---\n- 10:00 ok\n")
			out := filepath.Join(dir, "public")
			if _, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default}); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(out, ".git", "HEAD"), "ref: refs/heads/gh-pages\n")
			writeFile(t, filepath.Join(out, "CNAME"), "kb.example.org\n")
			good := treeHash(t, out)
			writeFile(t, filepath.Join(dir, "debrief.yaml"), "title: Renamed site\n")
			killMidSwap(t, dir, out, how)

			if how == "exchange" && exchangeWorks(t, dir) {
				b, err := os.ReadFile(filepath.Join(out, "index.html"))
				if err != nil || !strings.Contains(string(b), "Renamed site") {
					t.Fatalf("after a kill mid-exchange, the output is not the new build: %v", err)
				}
				for _, p := range []string{".git/HEAD", "CNAME"} {
					if _, err := os.Stat(filepath.Join(out, p)); err != nil {
						t.Errorf("after a kill mid-exchange: %v", err)
					}
				}
				return
			}
			// The next run fails on a content error: the old output is back.
			writeFile(t, filepath.Join(dir, "content", "y.md"), "---\ntitle: Y\ndate: yesterday\n---\n")
			res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
			if err != nil || !res.Diags.HasErrors() {
				t.Fatalf("want a content error: %v %v", err, res.Diags)
			}
			if got := treeHash(t, out); got != good {
				t.Fatalf("output after a kill mid-swap and a failed build:\n got  %s\n want %s", got, good)
			}
			// And the next good run builds, keeping .git and CNAME.
			os.Remove(filepath.Join(dir, "content", "y.md"))
			if res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default}); err != nil || res.Diags.HasErrors() {
				t.Fatal(err, res.Diags)
			}
			for _, p := range []string{".git/HEAD", "CNAME"} {
				if _, err := os.Stat(filepath.Join(out, p)); err != nil {
					t.Errorf("after the next build: %v", err)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".public.*")); len(left) != 0 {
				t.Errorf("left behind after the next build: %v", left)
			}
		})
	}
}

// exchangeWorks reports whether dir's file system swaps two folders
// atomically; where it does not, the exchange case is the renames case.
func exchangeWorks(t *testing.T, dir string) bool {
	a, b := filepath.Join(dir, ".xa"), filepath.Join(dir, ".xb")
	os.Mkdir(a, 0o755)
	os.Mkdir(b, 0o755)
	defer os.Remove(a)
	defer os.Remove(b)
	err := exchange(a, b)
	if err != nil {
		t.Logf("no atomic exchange here (%v): the renames are tested", err)
	}
	return err == nil
}
