package render

import (
	"bytes"
	"io/fs"
	"strconv"

	"github.com/debrief-ssg/debrief/themes"
)

// An incident page is most of a build's pages, and html/template spent a
// tenth of a build's CPU walking the default theme's baseof.html and
// incident.html for them: reflective field reads and escaper calls, and a
// copy of every piece the Go-written parts made. When a site uses those
// files as the default theme has them, incidentPage writes the same bytes
// directly, and listPage does the same for list pages; page_test.go holds
// them to the templates' output on every page of the example site and a
// generated corpus. A site that overrides any of those files gets its
// templates, as before.

// goPageFiles are the templates incidentPage stands for.
var goPageFiles = []string{
	"layouts/baseof.html", "layouts/incident.html", "layouts/partials/facts.html",
	"layouts/partials/can.html", "layouts/partials/moments.html", "layouts/partials/axis.html",
	"layouts/partials/links.html", "layouts/partials/observations.html",
}

// goListFiles are the templates listPage stands for: a list of a term's
// or a filter's incidents, thousands of cards on the biggest.
var goListFiles = []string{"layouts/baseof.html", "layouts/list.html", "layouts/partials/card.html"}

// defaultPageFiles reports whether files holds those of names as the
// default theme has them.
func defaultPageFiles(files map[string][]byte, names []string) bool {
	for _, p := range names {
		want, err := fs.ReadFile(themes.Default, "default/"+p)
		if err != nil || !bytes.Equal(files[p], want) {
			return false
		}
	}
	return true
}

// incidentPage writes p, an incident page, as the default theme's
// baseof.html and incident.html do, the Go-written parts straight into b.
func incidentPage(b *bytes.Buffer, p *Page) {
	page(b, p, func(b *bytes.Buffer, w pageWriter) {
		if v := p.Incident; v != nil {
			incidentMain(b, w, v)
		}
	})
}

// listPage writes p, a list page, as the default theme's baseof.html,
// list.html and partials/card.html do.
func listPage(b *bytes.Buffer, p *Page) {
	page(b, p, func(b *bytes.Buffer, w pageWriter) {
		b.WriteString("\n<p class=\"crumbs\"><a href=\"")
		w.url(p.Root)
		b.WriteString("index.html\">Incidents</a></p>\n<h1>")
		w.html(p.Heading)
		b.WriteString("</h1>\n<p class=\"muted\">")
		b.WriteString(strconv.Itoa(len(p.Incidents)))
		b.WriteString(" incident")
		if len(p.Incidents) != 1 {
			b.WriteString("s")
		}
		b.WriteString(", newest first.</p>\n<ol class=\"incident-list\">\n")
		for _, c := range p.Incidents {
			b.WriteString(string(CardHTML(c)))
			b.WriteString("\n")
		}
		b.WriteString("\n</ol>\n")
	})
}

// page writes baseof.html around what main writes.
func page(b *bytes.Buffer, p *Page, main func(*bytes.Buffer, pageWriter)) {
	w := pageWriter{b}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'\">\n<meta name=\"generator\" content=\"debrief ")
	w.text(p.Version)
	b.WriteString("\">\n<title>")
	if p.Title != p.SiteTitle {
		w.text(p.Title)
		b.WriteString(" · ")
	}
	w.text(p.SiteTitle)
	b.WriteString("</title>\n")
	if p.Canonical != "" {
		b.WriteString("<link rel=\"canonical\" href=\"")
		w.url(p.Canonical)
		b.WriteString("\">")
	}
	root := p.Root
	b.WriteString("\n<link rel=\"stylesheet\" href=\"")
	w.url(root)
	b.WriteString("assets/style.css\">\n<link rel=\"icon\" href=\"")
	w.url(root)
	b.WriteString("assets/favicon.svg\" type=\"image/svg+xml\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
	w.text(p.SiteTitle)
	b.WriteString("\" href=\"")
	w.url(root)
	b.WriteString("feed.xml\">\n</head>\n<body class=\"kind-")
	w.text(p.Kind)
	b.WriteString("\">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n  <a class=\"brand\" href=\"")
	w.url(root)
	b.WriteString("index.html\">")
	w.text(p.SiteTitle)
	b.WriteString("</a>\n  <nav aria-label=\"Site\"><a href=\"")
	w.url(root)
	b.WriteString("index.html\">Incidents</a> <a href=\"")
	w.url(root)
	b.WriteString("can/index.html\">CAN reports</a> <a href=\"")
	w.url(root)
	b.WriteString("services/index.html\">Services</a> <a href=\"")
	w.url(root)
	b.WriteString("components/index.html\">Components</a> <a href=\"")
	w.url(root)
	b.WriteString("people/index.html\">People</a> <a href=\"")
	w.url(root)
	b.WriteString("search/index.html\">Search</a></nav>\n</header>\n<main id=\"main\">\n")
	main(b, w)
	b.WriteString("\n</main>\n<footer class=\"site-footer\">Built with debrief ")
	w.html(p.Version)
	b.WriteString(" · <a href=\"")
	w.url(root)
	b.WriteString("feed.xml\">Atom feed</a> · <a href=\"")
	w.url(root)
	b.WriteString("incidents.json\">incidents.json</a> · <a href=\"")
	w.url(root)
	b.WriteString("tags/index.html\">Tags</a> · <a href=\"")
	w.url(root)
	b.WriteString("customers/index.html\">Customers</a></footer>\n")
	if p.Kind == "incident" {
		b.WriteString("<script src=\"")
		w.url(root)
		b.WriteString("assets/timeline.js\" defer></script>")
	}
	b.WriteString("\n")
	if p.Kind == "index" || p.Kind == "reports" {
		b.WriteString("<script src=\"")
		w.url(root)
		b.WriteString("assets/filter.js\" defer></script>")
	}
	b.WriteString("\n</body>\n</html>\n")
}

// incidentMain is incident.html's "main".
func incidentMain(b *bytes.Buffer, w pageWriter, v *IncidentView) {
	b.WriteString("\n<article class=\"incident\">\n<header class=\"incident-header\">\n  ")
	writeHeadline(b, v)
	b.WriteString("\n  ")
	writeFacts(b, v)
	b.WriteString("\n  ")
	if v.Summary != "" {
		b.WriteString("<p class=\"summary\">")
		w.html(v.Summary)
		b.WriteString("</p>")
	}
	b.WriteString("\n</header>\n\n<section class=\"can\" aria-labelledby=\"can-report\">\n  <h2 id=\"can-report\">CAN report ")
	if v.CAN.Derived {
		b.WriteString("<span class=\"derived\" title=\"Derived from the timeline by debrief's cue rules\">derived")
		if v.CAN.AsOf != "" {
			b.WriteString(" · as of ")
			w.html(v.CAN.AsOf)
		}
		b.WriteString("</span>")
	}
	b.WriteString("</h2>\n  ")
	writeCANGrid(b, v.CAN)
	b.WriteString("\n</section>\n")
	if len(v.Observations) > 0 {
		b.WriteString("\n<section class=\"observations\" aria-labelledby=\"obs-h\">\n  <h2 id=\"obs-h\">Command observations <span class=\"derived\" title=\"Derived from the timeline by debrief's observation rules\">derived</span></h2>\n  ")
		writeObservations(b, v.Observations)
		b.WriteString("\n</section>\n")
	}
	b.WriteString("\n<section class=\"timeline\" aria-labelledby=\"timeline\" data-timeline>\n  <h2 id=\"timeline\">Timeline</h2>\n  ")
	if len(v.Moments) > 0 {
		writeMoments(b, v.Moments)
	}
	b.WriteString("\n  ")
	if v.Axis != nil {
		writeAxis(b, v.Axis)
	}
	b.WriteString("\n  ")
	b.WriteString(string(v.Intro))
	b.WriteString("\n  ")
	if len(v.Entries) > 0 {
		b.WriteString("\n  <form class=\"tl-controls\" data-controls hidden role=\"search\" aria-label=\"Filter the timeline\">\n    <fieldset class=\"tl-kinds\">\n      <legend>Show</legend>\n      <label><input type=\"checkbox\" name=\"kind\" value=\"condition\" checked> conditions</label>\n      <label><input type=\"checkbox\" name=\"kind\" value=\"action\" checked> actions</label>\n      <label><input type=\"checkbox\" name=\"kind\" value=\"need\" checked> needs</label>\n      <label><input type=\"checkbox\" name=\"kind\" value=\"other\" checked> other</label>\n    </fieldset>\n    <label class=\"tl-actor\">Actor\n      <select name=\"actor\"><option value=\"\">everyone</option>")
		writeActorOptions(b, v.Actors)
		b.WriteString("</select>\n    </label>\n    <label class=\"tl-find\">Find <input type=\"search\" name=\"q\" autocomplete=\"off\" placeholder=\"text in entries\"></label>\n    <output class=\"tl-count\" data-count aria-live=\"polite\"></output>\n    <p class=\"tl-help\">Keys: <kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> move between entries.</p>\n  </form>\n  <div class=\"tl-body\">\n  <ol class=\"entries\">\n  ")
		writeEntries(b, v.Entries)
		b.WriteString("\n  </ol>\n  <aside class=\"can-asof\" data-asof hidden aria-live=\"polite\" aria-labelledby=\"asof-h\">\n    <h3 id=\"asof-h\">CAN report as of <span data-asof-time></span> <span class=\"derived\">derived</span></h3>\n    <div class=\"can-grid\" data-asof-grid></div>\n  </aside>\n  </div>\n  ")
		if v.AsOfJSON != "" {
			b.WriteString("<script type=\"application/json\" id=\"debrief-asof\">")
			b.WriteString(string(v.AsOfJSON))
			b.WriteString("</script>")
		}
		b.WriteString("\n  ")
	} else {
		b.WriteString("<p class=\"muted\">No timeline found.</p>")
	}
	b.WriteString("\n</section>\n\n")
	if v.Body != "" {
		b.WriteString("<section class=\"body\">")
		b.WriteString(string(v.Body))
		b.WriteString("</section>")
	}
	b.WriteString("\n\n")
	if len(v.Actions) > 0 {
		b.WriteString("\n<section aria-labelledby=\"ai-h\">\n<h2 id=\"ai-h\">Action items</h2>\n<table class=\"actions\">\n<thead><tr><th scope=\"col\">Action</th><th scope=\"col\">Owner</th><th scope=\"col\">Status</th><th scope=\"col\">Ticket</th><th scope=\"col\">Due</th></tr></thead>\n<tbody>\n")
		writeActionRows(b, v.Actions)
		b.WriteString("\n</tbody>\n</table>\n</section>\n")
	}
	b.WriteString("\n\n")
	if len(v.Related) > 0 || len(v.Backlinks) > 0 {
		b.WriteString("\n<section class=\"links\" aria-labelledby=\"rel-h\">\n  <h2 id=\"rel-h\">Related incidents</h2>\n  ")
		writeLinks(b, v)
		b.WriteString("\n</section>\n")
	}
	b.WriteString("\n</article>\n")
}

// pageWriter writes a page's values with html/template's escaping.
type pageWriter struct{ b *bytes.Buffer }

// text writes s as html/template writes a string in text, an attribute
// value or RCDATA.
func (w pageWriter) text(s string) { escText(w.b, s) }

// html is text: a plain string in HTML text is escaped the same way.
func (w pageWriter) html(s string) { w.text(s) }

// url writes s as html/template writes a URL that starts an attribute.
func (w pageWriter) url(s string) {
	if s == "" || s == "../" || s == "../../" {
		w.b.WriteString(s) // a page's root: nothing to escape
		return
	}
	escURL(w.b, s)
}
