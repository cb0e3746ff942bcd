package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/site"
)

// canOutput is what debrief can prints: the report, and under it, when
// asked for, why each derived line is there and the command observations.
type canOutput struct {
	inc          *site.Incident
	report       *can.Report
	at           time.Time // the report's time; zero for the end of the log
	opts         can.Options
	explain      bool
	observations bool
}

// explanations are the report's, when it is derived: an author's report
// has nothing derived to explain.
func (c canOutput) explanations() []can.Explanation {
	if !c.report.Derived || c.inc.Analysis == nil {
		return []can.Explanation{}
	}
	exps := c.inc.Analysis.Explain(c.at, c.opts)
	if exps == nil {
		return []can.Explanation{}
	}
	return exps
}

func (c canOutput) observed() []can.Observation {
	if c.inc.Observations == nil {
		return []can.Observation{}
	}
	return c.inc.Observations
}

// writeJSON writes the report alone, as before these flags, or, with
// either, an object holding the report and what was asked for.
func (c canOutput) writeJSON(w io.Writer) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if !c.explain && !c.observations {
		_ = enc.Encode(c.report)
		return
	}
	// Pointers, so that what was asked for is there even when empty.
	out := struct {
		Report       *can.Report        `json:"report"`
		Explanations *[]can.Explanation `json:"explanations,omitempty"`
		Observations *[]can.Observation `json:"observations,omitempty"`
	}{Report: c.report}
	if c.explain {
		exps := c.explanations()
		out.Explanations = &exps
	}
	if c.observations {
		obs := c.observed()
		out.Observations = &obs
	}
	_ = enc.Encode(out)
}

// writeText writes the report as text (or Markdown), then the asked-for
// sections under it.
func (c canOutput) writeText(w io.Writer, markdown bool) {
	if markdown {
		fmt.Fprint(w, can.Markdown(c.report))
	} else {
		fmt.Fprint(w, can.Text(c.report, c.inc.Title))
	}
	if c.explain {
		if c.report.Derived {
			fmt.Fprint(w, can.ExplainText(c.explanations()))
		} else {
			fmt.Fprint(w, "\nThe report is the author's, as written in the file: nothing derived to explain.\n")
		}
	}
	if c.observations {
		fmt.Fprint(w, can.ObservationsText(c.observed()))
	}
}
