package build

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/internal/timeline"
	"github.com/yuin/goldmark/ast"
)

// A bare entry keeps every exported field of an entry but its Markdown:
// a field added to Entry that site-wide outputs read must be copied too.
func TestBareEntriesKeepEveryField(t *testing.T) {
	var e timeline.Entry
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString("x" + v.Type().Field(i).Name)
		case reflect.Int:
			f.SetInt(int64(i + 1))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"y"}))
		case reflect.Struct:
			f.Set(reflect.ValueOf(time.Date(2024, 3, 14, 3, 39, 25, 0, time.UTC)))
		case reflect.Pointer:
			f.Set(reflect.ValueOf(ast.NewDocument()))
		default:
			t.Fatalf("Entry.%s: a %s; teach this test to fill it", v.Type().Field(i).Name, f.Kind())
		}
	}
	b := reflect.ValueOf(bareEntries([]*timeline.Entry{&e})[0]).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if !v.Type().Field(i).IsExported() || name == "Content" {
			continue
		}
		if !reflect.DeepEqual(b.Field(i).Interface(), v.Field(i).Interface()) {
			t.Errorf("bareEntries drops Entry.%s", name)
		}
	}
	if e.ISO() != bareEntries([]*timeline.Entry{&e})[0].ISO() {
		t.Error("a bare entry's ISO time differs")
	}
}

// Between builds a session's incidents are slim, and what it renders from
// them — incidents.json and the search index from bare entries, with no
// cached fragment, and pages restored from their files — is what a fresh
// build writes.
func TestSlimSessionMatchesFresh(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	for rel, f := range s.files {
		if f.inc != nil && f.inc.Doc != nil {
			t.Errorf("%s kept whole after the build", rel)
		}
	}
	s.cache = render.NewCache()
	edit(t, dir, seedFile, "title: E-mail loss", "title: Mail loss")
	rebuild(t, s, seedFile)
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after a rebuild from slim incidents")
	// Every page again, from slim incidents restored a chunk at a time.
	res, err := s.Build(Change{Full: true})
	if err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after a full rebuild")
}

// A session that reads more files than bigChange slims them chunk by
// chunk as it reads them, and restores each page's as it renders: its
// first build, and a rebuild after every file changed, match a fresh one.
func TestSlimSessionReadsInChunks(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{N: bigChange + renderChunk/2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	s, _ := session(t, dir)
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the first build")
	files, _ := contentFiles(dir)
	for _, rel := range files {
		edit(t, dir, rel, "## Timeline\n", "## Timeline\n\n- 23:58 Every file changed.\n")
	}
	res := rebuild(t, s, files...)
	if res.Diags.HasErrors() || res.Written < len(files) {
		t.Fatalf("%d written of %d files: %v", res.Written, len(files), res.Diags)
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after every file changed")
}
