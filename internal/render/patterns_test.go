package render

import (
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
)

// The patterns page of the example site: each figure across its six
// incidents, linked to the incidents (and entries) it is made of, and the
// index links to it.
func TestPatternsPage(t *testing.T) {
	cfg, _ := config.Load("../..")
	pages := renderAll(t, "../..", cfg, "", "dev", false)
	page := string(pages[PatternsPath])
	for _, want := range []string{
		"The command observations of 6 incident logs",
		// The seed's 04:58:41 question, decided at 05:49:45.
		`<th scope="row">Time to a decision asked for</th><td>median 51m`,
		`<a href="../../incidents/inc-2024-031/index.html#t-045841" title="E-mail loss and customer log-in failures after software release">INC-2024-031</a> (51m)`,
		// Paul's question was answered, after several minutes.
		`<th scope="row">Questions asked again and never answered</th><td>0% (0 of 6)</td><td>none</td>`,
		`<th scope="row">Questions asked more than once</th><td>17% (1 of 6)`,
		// Three in the seed, one on the network bridge.
		`<th scope="row">Confusion over who leads or owns</th><td>4 observations<br><span class="muted">in 33% (2 of 6)</span>`,
		`INC-2024-031</a> (×3)`,
		`<li><a href="../../incidents/inc-2024-033/index.html#t-095500">2h 45m without an entry</a> in INC-2024-033`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("patterns page lacks %q", want)
		}
	}
	if !strings.Contains(string(pages["index.html"]), `<a href="can/patterns/index.html">Command patterns</a>`) {
		t.Error("the index does not link to the patterns page")
	}
}
