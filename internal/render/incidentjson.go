package render

import (
	"math"
	"slices"
	"strconv"

	"github.com/debrief-ssg/debrief/internal/can"
)

// appendIncident appends j as encoding/json marshals it, without its
// reflection: incidents.json holds every incident's timeline and report,
// and encoding it was a twentieth of a build. FuzzIncidentJSON holds the
// two to the same bytes.
func appendIncident(b []byte, j *jsonIncident) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, j.ID)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, j.Title)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, j.URL)
	b = append(b, `,"date":`...)
	b = appendJSONString(b, j.Date)
	if j.Severity != "" {
		b = append(b, `,"severity":`...)
		b = appendJSONString(b, j.Severity)
	}
	if j.Status != "" {
		b = append(b, `,"status":`...)
		b = appendJSONString(b, j.Status)
	}
	b = append(b, `,"services":`...)
	b = appendStrings(b, j.Services)
	b = append(b, `,"components":`...)
	b = appendStrings(b, j.Components)
	b = append(b, `,"customers":`...)
	b = appendStrings(b, j.Customers)
	b = append(b, `,"tags":`...)
	b = appendStrings(b, j.Tags)
	b = append(b, `,"people":`...)
	b = appendStrings(b, j.People)
	b = append(b, `,"summary":`...)
	b = appendJSONString(b, j.Summary)
	b = append(b, `,"moments":`...)
	if j.Moments == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		for i, k := range sortedKeys(j.Moments) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, j.Moments[k])
		}
		b = append(b, '}')
	}
	if len(j.Derived) > 0 {
		b = append(b, `,"moments_derived":`...)
		b = appendStrings(b, j.Derived)
	}
	b = append(b, `,"durations_seconds":`...)
	if j.Durations == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		for i, k := range sortedKeys(j.Durations) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = strconv.AppendInt(b, j.Durations[k], 10)
		}
		b = append(b, '}')
	}
	b = append(b, `,"can":`...)
	var err error
	if b, err = appendReport(b, j.CAN); err != nil {
		return nil, err
	}
	b = append(b, `,"observations":`...)
	b = appendObservations(b, j.Observations)
	b = append(b, `,"timeline":`...)
	if j.Timeline == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, e := range j.Timeline {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"at":`...)
			b = appendJSONString(b, e.At)
			b = append(b, `,"anchor":`...)
			b = appendJSONString(b, e.Anchor)
			b = append(b, `,"kinds":`...)
			b = appendStrings(b, e.Kinds)
			if e.Actor != "" {
				b = append(b, `,"actor":`...)
				b = appendJSONString(b, e.Actor)
			}
			b = append(b, `,"text":`...)
			b = appendJSONString(b, e.Text)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"related":`...)
	if j.Related == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, r := range j.Related {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendJSONString(b, r.ID)
			if r.Relation != "" {
				b = append(b, `,"relation":`...)
				b = appendJSONString(b, r.Relation)
			}
			b = append(b, `,"score":`...)
			if b, err = appendFloat(b, r.Score); err != nil {
				return nil, err
			}
			b = append(b, `,"reasons":`...)
			b = appendStrings(b, r.Reasons)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendReport appends a CAN report (nil is null).
func appendReport(b []byte, r *can.Report) ([]byte, error) {
	if r == nil {
		return append(b, "null"...), nil
	}
	b = append(b, `{"derived":`...)
	b = strconv.AppendBool(b, r.Derived)
	if !r.AsOf.IsZero() {
		t, err := r.AsOf.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(b, `,"as_of":`...)
		b = append(b, t...)
	}
	for _, sec := range [...]struct {
		name  string
		lines []can.Line
	}{{`,"conditions":`, r.Conditions}, {`,"actions":`, r.Actions}, {`,"needs":`, r.Needs}} {
		b = append(b, sec.name...)
		if sec.lines == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for i, l := range sec.lines {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"text":`...)
			b = appendJSONString(b, l.Text)
			b = append(b, `,"kind":`...)
			b = appendJSONString(b, string(l.Kind))
			if !l.At.IsZero() {
				t, err := l.At.MarshalJSON()
				if err != nil {
					return nil, err
				}
				b = append(b, `,"at":`...)
				b = append(b, t...)
			}
			if l.Entry != "" {
				b = append(b, `,"entry":`...)
				b = appendJSONString(b, l.Entry)
			}
			if l.Rule != "" {
				b = append(b, `,"rule":`...)
				b = appendJSONString(b, l.Rule)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendObservations appends command observations (nil is null).
func appendObservations(b []byte, obs []can.Observation) []byte {
	if obs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, o := range obs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"kind":`...)
		b = appendJSONString(b, string(o.Kind))
		b = append(b, `,"rule":`...)
		b = appendJSONString(b, o.Rule)
		b = append(b, `,"text":`...)
		b = appendJSONString(b, o.Text)
		b = append(b, `,"entries":`...)
		b = appendStrings(b, o.Entries)
		if o.Seconds != nil {
			b = append(b, `,"seconds":`...)
			b = strconv.AppendInt(b, *o.Seconds, 10)
		}
		if o.Open {
			b = append(b, `,"open":true`...)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendStrings appends a list of strings (nil is null).
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendFloat appends f as encoding/json does: fixed notation from 1e-6
// to 1e21, exponent notation beyond, no NaN or infinity.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, &jsonValueError{f}
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

type jsonValueError struct{ f float64 }

func (e *jsonValueError) Error() string {
	return "json: unsupported value: " + strconv.FormatFloat(e.f, 'g', -1, 64)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
