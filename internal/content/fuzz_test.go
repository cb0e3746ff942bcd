package content

import (
	"bytes"
	"testing"

	"github.com/adrg/frontmatter"
	"github.com/debrief-ssg/debrief/internal/config"
)

// FuzzParse: front matter of any shape gives an incident or diagnostics,
// never a panic, and every diagnostic has a position.
func FuzzParse(f *testing.F) {
	f.Add([]byte("---\ntitle: T\ndate: 2024-03-14\nrelated: [a, {id: b, relation: similar}]\n---\nbody\n"))
	f.Add([]byte("+++\ntitle = \"T\"\ndate = 2024-03-14\n+++\n"))
	f.Add([]byte("{\n\"title\": \"T\"\n}\n\n"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	cfg := config.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ds := Parse("content/f.md", data, cfg)
		for _, d := range ds {
			if d.Path != "content/f.md" || d.Line < 0 {
				t.Fatalf("bad diagnostic %v", d)
			}
		}
	})
}

// The front matter parser given only frontMatterHead finds what it finds
// in the whole file: the same front matter, ending at the same byte.
func FuzzFrontMatterHead(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: T\ndate: 2024-03-14\n---\nbody\n---\nmore\n",
		"\n\n  ---  \na: 1\n --- \n\nbody", "---yaml\na: 1\n---\n", "---toml\na = 1\n---\nx",
		"---json\n{}\n---\n", "+++\na = 1\n+++\n", ";;;\n{}\n;;;\n", "{\n\"a\": 1\n}\n\nbody",
		"---\nnever closed\n", "---\n---", "---\n---\n", "body only\n---\n", "", "\n", "---",
		"---\r\na: 1\r\n---\r\nbody", "---\n----\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var whole, head captured
		restW, errW := frontmatter.Parse(bytes.NewReader(data), &whole, formats...)
		h := frontMatterHead(data)
		if !bytes.HasPrefix(data, h) {
			t.Fatalf("head %q is not a prefix of %q", h, data)
		}
		restH, errH := frontmatter.Parse(bytes.NewReader(h), &head, formats...)
		if (errW != nil) != (errH != nil) {
			t.Fatalf("%q: whole file error %v, head %v", data, errW, errH)
		}
		if errW != nil {
			return
		}
		if whole.format != head.format || !bytes.Equal(whole.data, head.data) || len(data)-len(restW) != len(h)-len(restH) {
			t.Fatalf("%q: whole file %q %q body at %d; head %q %q %q body at %d", data,
				whole.format, whole.data, len(data)-len(restW), h, head.format, head.data, len(h)-len(restH))
		}
	})
}
