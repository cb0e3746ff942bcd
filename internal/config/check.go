package config

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/debrief-ssg/debrief/internal/diag"
	"gopkg.in/yaml.v3"
)

// checkTypes holds the value of each field of n to the type of its field
// of t, and each map to one key at most, before the file is decoded: an
// error then names the field and its value's place, in the words of the
// file ("can.max_words: want a whole number"), where yaml.v3 would say
// "cannot unmarshal !!str into int" at the start of the line. Fields
// debrief does not know are checkKeys's. It reports whether n is sound.
func checkTypes(name string, n *yaml.Node, t reflect.Type, path string, ds *diag.List) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	field := strings.TrimPrefix(path, ".")
	bad := func(want string) bool {
		if field == "" {
			ds.Errorf(name, n.Line, n.Column, "want %s, got %s", want, kindName(n))
		} else {
			ds.Errorf(name, n.Line, n.Column, "%s: want %s, got %s", field, want, kindName(n))
		}
		return false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return true // unset: the default
	}
	switch t.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return bad("text")
		}
	case reflect.Int:
		if _, err := strconv.Atoi(n.Value); n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
			return bad("a whole number")
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" && n.Tag != "!!float" {
			return bad("a number")
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return bad("true or false")
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return bad("a list")
		}
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode {
				ds.Errorf(name, it.Line, it.Column, "%s: want a list of names, got %s in it", field, article(kindName(it)))
				return false
			}
		}
	case reflect.Map, reflect.Struct:
		switch {
		case n.Kind == yaml.MappingNode:
		case field == "":
			return bad("a map of fields such as title: and base_url:")
		case t.Kind() == reflect.Map:
			return bad("a map of names to numbers")
		default:
			return bad("a map of fields")
		}
		return checkMap(name, n, t, path, ds)
	}
	return true
}

// checkMap is checkTypes for a map or a struct.
func checkMap(name string, n *yaml.Node, t reflect.Type, path string, ds *diag.List) bool {
	ok := true
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		full := strings.TrimPrefix(path+"."+k.Value, ".")
		if line, dup := first[k.Value]; dup {
			ds.Errorf(name, k.Line, k.Column, "field %q given twice (first at line %d)", full, line)
			ok = false
			continue
		}
		first[k.Value] = k.Line
		ft := t
		if t.Kind() == reflect.Map {
			ft = t.Elem()
		} else if f, found := fieldOf(t, k.Value); found {
			ft = f
		} else {
			continue // unknown: a warning of checkKeys
		}
		ok = checkTypes(name, v, ft, path+"."+k.Value, ds) && ok
	}
	return ok
}

// fieldOf is the type of the field of struct t whose yaml name is key.
func fieldOf(t reflect.Type, key string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag == key && tag != "-" {
			return f.Type, true
		}
	}
	return nil, false
}

// valueAt is the value node of the field at path (dotted) in root, or nil.
func valueAt(root *yaml.Node, path string) *yaml.Node {
	if len(root.Content) == 0 {
		return nil
	}
	n := root.Content[0]
	for _, key := range strings.Split(path, ".") {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// posOf is the line and column of the field at path's value, or 0, 0.
func posOf(root *yaml.Node, path string) (int, int) {
	if n := valueAt(root, path); n != nil {
		return n.Line, n.Column
	}
	return 0, 0
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// article turns "a list" into "a list", and a quoted value into "a value".
func article(kind string) string {
	if strings.HasPrefix(kind, "a ") {
		return kind
	}
	return "the value " + kind
}

// CheckBaseURL says what is wrong with a base URL, or nil: it must be an
// absolute http or https URL, as the feed, the sitemap and canonical
// links join page addresses to it and publish it, with no credentials,
// query or fragment.
func CheckBaseURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		return errors.New("want an absolute http or https URL, such as https://kb.example.org/reviews/")
	case u.User != nil:
		return errors.New("no user name or password: every page would publish it")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return errors.New("no query or fragment: page addresses are joined to it")
	}
	return nil
}
