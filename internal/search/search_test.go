package search

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/debrief-ssg/debrief/internal/timeline"
)

func TestTokens(t *testing.T) {
	got := Tokens("E-mail lost on Server 24; db_main-2 ok, a.b")
	for _, want := range []string{"e-mail", "email", "mail", "lost", "server", "24", "db_main-2", "dbmain2", "db", "main", "ok"} {
		if !slices.Contains(got, want) {
			t.Errorf("%q missing from %v", want, got)
		}
	}
	if slices.Contains(got, "a") || slices.Contains(got, "2") {
		t.Errorf("single characters indexed: %v", got)
	}
}

func TestBuildPostingsAndScript(t *testing.T) {
	mk := func(id, title, entry string) *site.Incident {
		return &site.Incident{Incident: &content.Incident{ID: id, Title: title}, Timeline: &timeline.Timeline{Entries: []*timeline.Entry{{Text: entry}}}}
	}
	ix := Build([]*site.Incident{mk("A", "Disk full", "paged storage"), mk("B", "Disk slow", "</script><script>alert(1)"), mk("C", "Queue", "disk again")})
	at := slices.Index(ix.Terms, "disk")
	if at < 0 || ix.Postings[at] != "0,1,1" { // docs 0, 1, 2 as gaps
		t.Errorf("disk postings %q", ix.Postings[max(at, 0)])
	}
	if !slices.IsSorted(ix.Terms) {
		t.Error("terms not sorted")
	}
	js, err := ix.Script()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "</script>") || !strings.HasPrefix(string(js), "// debrief search index") {
		t.Errorf("script %s", js)
	}
}

// The ASCII scan gives what the Unicode tokeniser gives.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"E-mail lost on Server 24", "db-main-2 pg_wal --x-- a_b-c _-_", "A b CD x1 -a- 9", "naïve café", "", "ab- cd__ ef-gh-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if want, got := tokensUnicode(s), Tokens(s); !slices.Equal(want, got) {
			t.Fatalf("Tokens(%q) = %q, want %q", s, got, want)
		}
	})
}

// A Tokenizer used for one incident after another finds what a fresh one
// finds for each: nothing of the last incident's words is left over, even
// after a log long enough to replace its buffers.
func TestTokenizerReused(t *testing.T) {
	mk := func(id, title string, entries ...string) *site.Incident {
		tl := &timeline.Timeline{}
		for _, e := range entries {
			tl.Entries = append(tl.Entries, &timeline.Entry{Text: e})
		}
		return &site.Incident{Incident: &content.Incident{ID: id, Title: title, Services: []string{"payments"}}, Timeline: tl}
	}
	var long []string
	for i := range 5000 {
		long = append(long, "word"+strconv.Itoa(i))
	}
	incs := []*site.Incident{
		mk("A", "Disk full", "paged storage team", "disk again"),
		mk("B", "Queue slow", "queue backlog grows"),
		mk("C", "Long log", long...),
		mk("D", "Disk full", "storage"),
		mk("E", "", ""),
	}
	var tk Tokenizer
	for _, inc := range incs {
		got := slices.Clone(tk.DocTokens(inc))
		if want := DocTokens(inc); !slices.Equal(got, want) {
			t.Errorf("%s: reused tokenizer gave %d words %.80q, fresh %d words %.80q", inc.ID, len(got), got, len(want), want)
		}
	}
	if got := DocTokens(incs[3]); !slices.Contains(got, "storage") || slices.Contains(got, "paged") || slices.Contains(got, "word1") {
		t.Errorf("D's words: %q", got)
	}
}
