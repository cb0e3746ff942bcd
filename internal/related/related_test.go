package related

import (
	"slices"
	"testing"
)

var weights = map[string]float64{"services": 3, "components": 4, "customers": 3, "tags": 2, "people": 1, "words": 1}

func TestExplicitBothWaysAndTyped(t *testing.T) {
	docs := []Doc{{Text: "a"}, {Text: "b"}, {Text: "c"}}
	links := Compute(docs, []Explicit{{From: 1, To: 0, Relation: "caused-by"}}, Options{Weights: weights, Threshold: 100, Max: 5})
	if len(links[1]) != 1 || links[1][0].To != 0 || links[1][0].Relation != "caused-by" || links[1][0].Inverse {
		t.Errorf("from side: %+v", links[1])
	}
	if len(links[0]) != 1 || links[0][0].To != 1 || !links[0][0].Inverse {
		t.Errorf("other side: %+v", links[0])
	}
	if len(links[2]) != 0 {
		t.Errorf("unrelated doc got links: %+v", links[2])
	}
}

func TestScoredWithReasons(t *testing.T) {
	docs := []Doc{
		{Services: []string{"e-mail"}, Components: []string{"Server 24"}, Text: "Mail queue backlog"},
		{Services: []string{"e-mail"}, Components: []string{"Server 24"}, Text: "E-mail lost after release"},
		{Services: []string{"search"}, Text: "Search results empty"},
		{Services: []string{"e-mail"}, Text: "Spam filter slow"},
	}
	links := Compute(docs, nil, Options{Weights: weights, Threshold: 1, Max: 5})
	if len(links[0]) == 0 || links[0][0].To != 1 {
		t.Fatalf("doc 0's best match: %+v", links[0])
	}
	if !slices.Equal(links[0][0].Reasons, []string{"Server 24", "e-mail"}) {
		t.Errorf("reasons %v, want the rarer, heavier component first", links[0][0].Reasons)
	}
	for _, l := range links[0] {
		if l.To == 2 {
			t.Error("an incident sharing nothing is related")
		}
	}
	// Ordered by score, strongest first.
	for i := 1; i < len(links[0]); i++ {
		if links[0][i].Score > links[0][i-1].Score {
			t.Errorf("not sorted: %+v", links[0])
		}
	}
}

func TestThresholdAndMax(t *testing.T) {
	var docs []Doc
	for i := 0; i < 20; i++ {
		docs = append(docs, Doc{Tags: []string{"shared"}, Components: []string{"db"}})
	}
	links := Compute(docs, nil, Options{Weights: weights, Threshold: 0.1, Max: 5})
	if len(links[0]) != 5 {
		t.Errorf("max 5, got %d", len(links[0]))
	}
	// A term every incident has carries no information.
	if links := Compute(docs, nil, Options{Weights: weights, Threshold: 2, Max: 5}); len(links[0]) != 0 {
		t.Errorf("ubiquitous terms relate: %+v", links[0])
	}
}

func TestWords(t *testing.T) {
	got := Words("The e-mail queue was backed up; e-mail lost!")
	if !slices.Equal(got, []string{"e-mail", "queue", "backed", "lost"}) {
		t.Errorf("%v", got)
	}
}
