package content

import (
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
)

// checkNesting reports a body whose lists and block quotes nest deeper
// than markdown.MaxNesting, at the marker that goes past it, and returns
// the body cut before that line: goldmark's time on what follows grows
// with the cube of the depth (a list 3,000 deep took 113 s), and the build
// stops on the error anyway.
func checkNesting(path string, body []byte, bodyLine int, ds *diag.List) []byte {
	start, at, ok := markdown.TooDeep(body, markdown.MaxNesting)
	if !ok {
		return body
	}
	line, col := markdown.NewLines(body).Pos(at)
	ds.Errorf(path, bodyLine+line-1, col, "lists and block quotes nested more than %d deep; debrief reads no further (a line that starts with > is a quote)", markdown.MaxNesting)
	return body[:start]
}
