package build

import (
	"fmt"

	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/site"
)

// checkYears reports an incident whose timeline or key moments fall outside
// the years 0 to 9999, which RFC 3339, and so incidents.json and each
// page's data, cannot write: found here, when the file is read, it is an
// error at the field for check and build alike, not a failed render. It
// happens to date: 9999-12-31 with a timeline past midnight.
func checkYears(inc *site.Incident) diag.List {
	line, year := 0, 0
	if inc.Timeline != nil {
		for _, e := range inc.Timeline.Entries {
			if y := e.At.Year(); y < 0 || y > 9999 {
				line, year = e.Line, y
				break
			}
		}
	}
	if year == 0 {
		for _, m := range inc.Moments {
			if y := m.At.Year(); y < 0 || y > 9999 {
				year = y
				break
			}
		}
	}
	if year == 0 {
		return nil
	}
	var ds diag.List
	where := "key moments run"
	if line > 0 {
		where = "timeline runs"
	}
	if inc.DateLine > 0 {
		at := ""
		if line > 0 {
			at = fmt.Sprintf(" (line %d)", line)
		}
		ds.Errorf(inc.Path, inc.DateLine, inc.DateCol, "date %s: the %s into the year %d%s; debrief writes dates up to the end of 9999",
			inc.Date.Format("2006-01-02"), where, year, at)
		return ds
	}
	ds.Errorf(inc.Path, max(line, 1), 1, "the %s into the year %d; debrief writes dates up to the end of 9999", where, year)
	return ds
}
