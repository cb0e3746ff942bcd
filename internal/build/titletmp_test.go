package build

import (
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/themes"
)

func TestTitleEditTmp(t *testing.T) {
	dir := "/tmp/c10k"
	out := t.TempDir()
	s := NewSession(Options{Source: dir, Out: out, Version: "t", Theme: themes.Default})
	if _, err := s.Build(Change{Full: true}); err != nil {
		t.Fatal(err)
	}
	file := "content/incidents/000/gen-000007.md"
	orig, _ := os.ReadFile(filepath.Join(dir, file))
	defer os.WriteFile(filepath.Join(dir, file), orig, 0o644)
	f, _ := os.Create("/tmp/title.prof")
	pprof.StartCPUProfile(f)
	for i := range 6 {
		body := string(orig)
		if i%2 == 0 {
			body = strings.Replace(body, "title: ", "title: Edited ", 1)
		}
		os.WriteFile(filepath.Join(dir, file), []byte(body), 0o644)
		start := time.Now()
		res, err := s.Build(Change{Paths: []string{file}})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("edit %d: %v rendered %d written %d", i, time.Since(start), res.Rendered, res.Written)
	}
	pprof.StopCPUProfile()
	f.Close()
}
