// Package config reads debrief.yaml, the optional site configuration, and
// fills in the defaults a site without one gets.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/debrief-ssg/debrief/internal/slug"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-ssg/debrief/internal/diag"
	"gopkg.in/yaml.v3"
)

// FileName is the configuration file at the root of a site.
const FileName = "debrief.yaml"

// Config is the site configuration.
type Config struct {
	Title      string   `yaml:"title"`
	BaseURL    string   `yaml:"base_url"`
	Theme      string   `yaml:"theme"`
	Severities []string `yaml:"severities"`
	// TimeZone is the IANA zone of clock times in files that name none.
	TimeZone   string  `yaml:"timezone"`
	UnsafeHTML bool    `yaml:"unsafe_html"`
	CAN        CAN     `yaml:"can"`
	Timeline   Tline   `yaml:"timeline"`
	Related    Related `yaml:"related"`

	// Location is TimeZone loaded; never nil after Load.
	Location *time.Location `yaml:"-"`
}

// CAN configures the CAN report.
type CAN struct {
	MaxLines int `yaml:"max_lines"` // per section, derived reports
	MaxWords int `yaml:"max_words"` // whole derived report
	// CheckWords is the budget `debrief check` holds author-written reports to.
	CheckWords int `yaml:"check_words"`
}

// Tline configures the timeline.
type Tline struct {
	SilenceMinutes int `yaml:"silence_minutes"`
	// DateOrder settles dates such as 03/04/2024: "dmy" or "mdy"; empty
	// reads the one nearer the incident's date.
	DateOrder string `yaml:"date_order"`
}

// Related configures related-incident scoring.
type Related struct {
	Weights   map[string]float64 `yaml:"weights"`
	Threshold float64            `yaml:"threshold"`
	Max       int                `yaml:"max"`
}

// Default returns the configuration of a site without debrief.yaml.
func Default() Config {
	return Config{
		Title:      "Incident reviews",
		Theme:      "default",
		Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4", "SEV5"},
		TimeZone:   "UTC",
		Location:   time.UTC,
		CAN:        CAN{MaxLines: 5, MaxWords: 120, CheckWords: 80},
		Timeline:   Tline{SilenceMinutes: 15},
		Related: Related{
			Weights: map[string]float64{
				"services": 3, "components": 4, "customers": 3, "tags": 2, "people": 1, "words": 1,
			},
			Threshold: 2.5,
			Max:       5,
		},
	}
}

var lineRE = regexp.MustCompile(`line (\d+)`)

// Load reads dir/debrief.yaml if it exists. Problems are reported as
// diagnostics against the file; the returned Config is always usable.
func Load(dir string) (Config, diag.List) {
	cfg := Default()
	var ds diag.List
	path := filepath.Join(dir, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		ds.Errorf(FileName, 0, 0, "reading config: %v", err)
		return cfg, ds
	}
	return Parse(FileName, data)
}

// Parse decodes configuration data over the defaults.
func Parse(name string, data []byte) (Config, diag.List) {
	cfg := Default()
	var ds diag.List
	weights := cfg.Related.Weights
	cfg.Related.Weights = nil
	var root yaml.Node
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Unmarshal(data, &root); err != nil {
			ds.Errorf(name, errLine(err), 1, "%s", cleanYAMLError(err))
		} else if len(root.Content) > 0 {
			checkKeys(name, root.Content[0], "", &ds)
			if checkTypes(name, root.Content[0], reflect.TypeFor[Config](), "", &ds) {
				if err := root.Content[0].Decode(&cfg); err != nil {
					ds.Errorf(name, errLine(err), 1, "%s", cleanYAMLError(err))
				}
			}
		}
	}
	// Weights given in the file override single defaults, not the whole map.
	for k, v := range cfg.Related.Weights {
		weights[k] = v
	}
	cfg.Related.Weights = weights
	if cfg.BaseURL != "" {
		if err := CheckBaseURL(cfg.BaseURL); err != nil {
			line, col := posOf(&root, "base_url")
			ds.Errorf(name, line, col, "base_url %q: %v", cfg.BaseURL, err)
			cfg.BaseURL = ""
		}
	}
	if cfg.TimeZone == "" {
		cfg.TimeZone = "UTC"
	}
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		line, col := posOf(&root, "timezone")
		ds.Errorf(name, line, col, "timezone %q: not a known IANA time zone", cfg.TimeZone)
		loc = time.UTC
	}
	cfg.Location = loc
	if len(cfg.Severities) == 0 {
		cfg.Severities = Default().Severities
	}
	// Each severity has a page, severity/<slug>/: two that share a slug
	// would write one path twice, the second silently over the first.
	bySlug := map[string]string{}
	for i, sev := range cfg.Severities {
		k := slug.Make(sev)
		if prev, dup := bySlug[k]; dup {
			ds.Errorf(name, itemLine(&root, "severities", i), 1, "severities %q and %q would share the page severity/%s/; rename one", prev, sev, k)
			continue
		}
		bySlug[k] = sev
	}
	def := Default()
	if cfg.CAN.MaxLines <= 0 {
		cfg.CAN.MaxLines = def.CAN.MaxLines
	}
	if cfg.CAN.MaxWords <= 0 {
		cfg.CAN.MaxWords = def.CAN.MaxWords
	}
	if cfg.CAN.CheckWords <= 0 {
		cfg.CAN.CheckWords = def.CAN.CheckWords
	}
	if cfg.Timeline.SilenceMinutes <= 0 {
		cfg.Timeline.SilenceMinutes = def.Timeline.SilenceMinutes
	}
	switch cfg.Timeline.DateOrder {
	case "", "dmy", "mdy":
	default:
		line, col := posOf(&root, "timeline.date_order")
		ds.Errorf(name, line, col, "timeline.date_order %q: want dmy (day first, 03/04 is 3 April) or mdy (month first)", cfg.Timeline.DateOrder)
	}
	if cfg.Related.Max <= 0 {
		cfg.Related.Max = def.Related.Max
	}
	if cfg.Theme == "" {
		cfg.Theme = "default"
	}
	return cfg, ds
}

// known lists the fields of each map in the file; "" is the top level.
var known = map[string][]string{
	"":         {"title", "base_url", "theme", "severities", "timezone", "unsafe_html", "can", "timeline", "related"},
	"can":      {"max_lines", "max_words", "check_words"},
	"timeline": {"silence_minutes", "date_order"},
	"related":  {"weights", "threshold", "max"},
}

// checkKeys warns about fields debrief does not know, with a suggestion.
func checkKeys(name string, n *yaml.Node, path string, ds *diag.List) {
	fields, ok := known[path]
	if !ok || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(fields, k.Value) {
			full := strings.TrimPrefix(path+"."+k.Value, ".")
			msg := fmt.Sprintf("unknown field %q", full)
			if s := diag.Suggest(k.Value, fields); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			ds.Warnf(name, k.Line, k.Column, "%s", msg)
			continue
		}
		if path == "" {
			checkKeys(name, n.Content[i+1], k.Value, ds)
		}
	}
}

// itemLine is the line of item i of the top-level list key in a parsed
// file, or 0.
func itemLine(root *yaml.Node, key string, i int) int {
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	m := root.Content[0]
	for k := 0; k+1 < len(m.Content); k += 2 {
		if m.Content[k].Value == key {
			if v := m.Content[k+1]; v.Kind == yaml.SequenceNode && i < len(v.Content) {
				return v.Content[i].Line
			}
			return m.Content[k].Line
		}
	}
	return 0
}

func errLine(err error) int {
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		l, _ := strconv.Atoi(m[1])
		return l
	}
	return 0
}

func cleanYAMLError(err error) string {
	s := err.Error()
	s = regexp.MustCompile(`^yaml: (unmarshal errors:\n\s*)?`).ReplaceAllString(s, "")
	s = lineRE.ReplaceAllString(s, "")
	s = regexp.MustCompile(`^\s*:\s*`).ReplaceAllString(s, "")
	return fmt.Sprintf("config: %s", s)
}

// SeverityRank returns the position of sev in the scale (0 is worst) and
// whether it is on the scale at all.
func (c Config) SeverityRank(sev string) (int, bool) {
	for i, s := range c.Severities {
		if s == sev {
			return i, true
		}
	}
	return len(c.Severities), false
}
