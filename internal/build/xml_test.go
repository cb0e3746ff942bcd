package build

import (
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/themes"
)

// Every XML file a build writes (feed.xml, sitemap.xml, the theme's SVG)
// is well-formed, with a base URL and without one, on the example site and
// on one whose text holds what XML reserves.
func TestXMLOutputsParse(t *testing.T) {
	hostile := t.TempDir()
	writeFile(t, filepath.Join(hostile, "content", "a.md"), "---\ntitle: \"Feed -- breaks ]]> <here> & \\\"there\\\"\"\ndate: 2024-03-14\n"+
		"commander: \"Ann <ann@example.org> --\"\nseverity: SEV1\n---\n\n"+
		"A summary with -- dashes, ]]>, <!-- a comment -->, &amp; and \x01 a control character.\n\n- 10:00 it broke\n")
	writeFile(t, filepath.Join(hostile, "debrief.yaml"), "title: \"Reviews -- <ours> & theirs\"\n")
	for _, site := range []struct{ name, source string }{{"example", exampleSite}, {"hostile", hostile}} {
		for _, base := range []string{"", "https://kb.example.org/a--b&c/"} {
			out := filepath.Join(t.TempDir(), "public")
			res, err := Build(Options{Source: site.source, Out: out, BaseURL: base, Version: "test", Theme: themes.Default})
			if err != nil {
				t.Fatal(err)
			}
			if res.Diags.HasErrors() {
				t.Fatalf("%s: %v", site.name, res.Diags)
			}
			n := 0
			err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".xml") && !strings.HasSuffix(p, ".svg") {
					return err
				}
				n++
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if err := wellFormed(data); err != nil {
					rel, _ := filepath.Rel(out, p)
					t.Errorf("%s, base URL %q: %s is not well-formed XML: %v\n%s", site.name, base, rel, err, data)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n < 2 {
				t.Errorf("%s: %d XML files; want feed.xml and sitemap.xml at least", site.name, n)
			}
		}
	}
}

// wellFormed reads data to its end with encoding/xml's strict decoder.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(strings.NewReader(string(data)))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
