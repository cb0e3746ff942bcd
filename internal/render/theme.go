package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Theme is a parsed theme: one template set per page kind, and its assets.
type Theme struct {
	pages  map[string]*template.Template
	assets map[string][]byte // path under assets/ → bytes
	// Files lists the theme files used, site-relative where they came from
	// the site, so watch mode knows what to watch.
	Files []string
	// goIncident: the incident page's templates are the default theme's,
	// which incidentPage writes without them (page.go).
	goIncident bool
	goList     bool // the same of list pages (listPage)
}

// LoadTheme reads a theme: the site's themes/<name>/ first, then the
// embedded default, file by file, so a site may override single templates.
func LoadTheme(siteDir, name string, embedded fs.FS) (*Theme, error) {
	files := map[string][]byte{}
	// The embedded default first, then the site's files on top.
	if err := readTree(embedded, "default", files); err != nil {
		return nil, fmt.Errorf("embedded theme: %w", err)
	}
	var used []string
	if siteDir != "" {
		dir := filepath.Join(siteDir, "themes", name)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			site := map[string][]byte{}
			if err := readTree(os.DirFS(dir), ".", site); err != nil {
				return nil, fmt.Errorf("theme %s: %w", dir, err)
			}
			for p, b := range site {
				files[p] = b
				used = append(used, path.Join("themes", name, p))
			}
		} else if name != "default" {
			return nil, fmt.Errorf("theme %q: no folder themes/%s in the site", name, name)
		}
	}
	slices.Sort(used)
	t := &Theme{pages: map[string]*template.Template{}, assets: map[string][]byte{}, Files: used}
	base := template.New("").Funcs(funcs)
	var pageNames []string
	for p, b := range files {
		switch {
		case strings.HasPrefix(p, "layouts/partials/") || p == "layouts/baseof.html":
			if _, err := base.New(p).Parse(string(b)); err != nil {
				return nil, fmt.Errorf("template %s: %w", p, err)
			}
		case strings.HasPrefix(p, "layouts/") && strings.HasSuffix(p, ".html"):
			pageNames = append(pageNames, p)
		case strings.HasPrefix(p, "assets/"):
			t.assets[strings.TrimPrefix(p, "assets/")] = b
		}
	}
	t.goIncident = defaultPageFiles(files, goPageFiles)
	t.goList = defaultPageFiles(files, goListFiles)
	if base.Lookup("layouts/baseof.html") == nil {
		return nil, errors.New("theme has no layouts/baseof.html")
	}
	for _, p := range pageNames {
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := clone.New(p).Parse(string(files[p])); err != nil {
			return nil, fmt.Errorf("template %s: %w", p, err)
		}
		t.pages[strings.TrimSuffix(path.Base(p), ".html")] = clone
	}
	for _, need := range []string{"index", "incident", "page", "404", "list", "terms", "reports", "search"} {
		if t.pages[need] == nil {
			return nil, fmt.Errorf("theme has no layouts/%s.html", need)
		}
	}
	return t, nil
}

func readTree(fsys fs.FS, root string, into map[string][]byte) error {
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		into[rel] = b
		return nil
	})
}
