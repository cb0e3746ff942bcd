package can

import (
	"fmt"
	"strings"
	"time"
)

// Explanation says why a line of a derived report is there: the
// statements it rests on, the rule or feature that classed each, and what
// each superseded or met.
type Explanation struct {
	Section    string      `json:"section"` // conditions, actions or needs
	Line       Line        `json:"line"`
	Statements []Statement `json:"statements"`
}

// Statement is one classified sentence, as an explanation shows it.
type Statement struct {
	Entry    string    `json:"entry"` // the timeline entry's anchor
	At       time.Time `json:"at"`
	Actor    string    `json:"actor,omitempty"`
	Sentence string    `json:"sentence"`
	Source   string    `json:"source,omitempty"` // who reported it, when a frame says so
	Subject  string    `json:"subject,omitempty"`
	Kind     Kind      `json:"kind"`
	Rule     string    `json:"rule"` // the cue rule, "tag", or "reported"
	// Supersedes lists the earlier statements this one superseded (a
	// condition, work under way) or met (a need).
	Supersedes []Statement `json:"supersedes,omitempty"`
}

// Explain explains each line of the report as of t (zero: the end of the
// log), as At derives it.
func (a *Analysis) Explain(t time.Time, opts Options) []Explanation {
	if t.IsZero() {
		if len(a.Sentences) == 0 {
			return nil
		}
		for i := range a.Sentences {
			if at := a.Sentences[i].Entry.At; at.After(t) {
				t = at
			}
		}
	}
	var out []Explanation
	a.EachAsOfLines([]time.Time{t}, opts, func(_ int, r *Report, from [3][]*Sentence) {
		for k, sec := range [3][]Line{r.Conditions, r.Actions, r.Needs} {
			for i, l := range sec {
				s := from[k][i]
				out = append(out, Explanation{
					Section:    [3]string{"conditions", "actions", "needs"}[k],
					Line:       l,
					Statements: []Statement{a.statement(s, t, true)},
				})
			}
		}
	})
	return out
}

// statement is s as an explanation shows it; with gave, the statements it
// superseded or met by t.
func (a *Analysis) statement(s *Sentence, t time.Time, gave bool) Statement {
	st := Statement{Entry: s.Entry.Anchor, At: s.Entry.At, Actor: s.Entry.Actor, Sentence: s.Text, Kind: s.Kind, Rule: s.Rule}
	if m := reported(s.Text); m != nil {
		st.Source = articles.ReplaceAllString(m[1], "")
	}
	if len(s.Subjects) > 0 {
		st.Subject = s.Subjects[0]
	}
	if gave {
		for i := range a.Sentences {
			if o := &a.Sentences[i]; o.Later == s.Index && !o.Entry.At.After(t) {
				st.Supersedes = append(st.Supersedes, a.statement(o, t, false))
			}
		}
	}
	return st
}

// ExplainText renders explanations for a terminal: each line, then the
// statement it rests on, why it was classed so, and what it replaced.
func ExplainText(exps []Explanation) string {
	var b strings.Builder
	section := ""
	for _, e := range exps {
		if e.Section != section {
			section = e.Section
			fmt.Fprintf(&b, "\n%s\n", strings.ToUpper(section))
		}
		fmt.Fprintf(&b, "  - %s\n", e.Line.Text)
		for _, s := range e.Statements {
			writeStatement(&b, "from", s, "      ")
			for _, o := range s.Supersedes {
				verb := "supersedes"
				if o.Kind == Need {
					verb = "meets"
				}
				writeStatement(&b, verb, o, "      ")
			}
		}
	}
	return b.String()
}

func writeStatement(b *strings.Builder, label string, s Statement, indent string) {
	who := ""
	if s.Actor != "" {
		who = " " + s.Actor + ":"
	}
	fmt.Fprintf(b, "%s%s %s (#%s)%s %q\n", indent, label, FormatClock(s.At), s.Entry, who, s.Sentence)
	var why []string
	why = append(why, fmt.Sprintf("%s by rule %s", s.Kind, s.Rule))
	if s.Subject != "" {
		why = append(why, "subject "+s.Subject)
	}
	if s.Source != "" {
		why = append(why, "source "+s.Source)
	}
	fmt.Fprintf(b, "%s  %s\n", indent, strings.Join(why, "; "))
}
