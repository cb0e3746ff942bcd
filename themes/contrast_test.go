package themes

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The default theme's text colours meet WCAG AA (4.5:1) against the
// backgrounds they are used on, in light and in dark mode.
func TestContrastWCAGAA(t *testing.T) {
	css, err := Default.ReadFile("default/assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	light, dark := palettes(t, string(css))
	pairs := [][2]string{
		{"--fg", "--bg"}, {"--fg", "--panel"}, {"--muted", "--bg"}, {"--muted", "--panel"},
		{"--link", "--bg"}, {"--link", "--panel"},
		{"--cond", "--cond-bg"}, {"--act", "--act-bg"}, {"--need", "--need-bg"},
		{"--sev1", "--bg"}, {"--sev2", "--bg"}, {"--sev3", "--bg"}, {"--sev4", "--bg"}, {"--sev5", "--bg"},
		{"--need", "--bg"}, {"--cond", "--bg"}, {"--accent", "--bg"},
	}
	for name, p := range map[string]map[string]string{"light": light, "dark": dark} {
		for _, pr := range pairs {
			fg, bg := p[pr[0]], p[pr[1]]
			if fg == "" || bg == "" {
				t.Fatalf("%s: %s or %s not defined", name, pr[0], pr[1])
			}
			if r := ratio(fg, bg); r < 4.5 {
				t.Errorf("%s mode: %s (%s) on %s (%s) has contrast %.2f:1, below 4.5:1", name, pr[0], fg, pr[1], bg, r)
			}
		}
	}
}

var varRE = regexp.MustCompile(`(--[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})`)

// palettes reads the custom properties of :root and of the dark-mode :root.
func palettes(t *testing.T, css string) (map[string]string, map[string]string) {
	t.Helper()
	i := strings.Index(css, ":root {")
	j := strings.Index(css, "@media (prefers-color-scheme: dark)")
	if i < 0 || j < 0 {
		t.Fatal("style.css has no :root or dark-mode block")
	}
	light := map[string]string{}
	for _, m := range varRE.FindAllStringSubmatch(css[i:j], -1) {
		light[m[1]] = m[2]
	}
	end := strings.Index(css[j:], "}\n}")
	dark := map[string]string{}
	for k, v := range light {
		dark[k] = v
	}
	for _, m := range varRE.FindAllStringSubmatch(css[j:j+end], -1) {
		dark[m[1]] = m[2]
	}
	return light, dark
}

func luminance(hex string) float64 {
	var rgb [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		rgb[i] = c
	}
	return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
}

func ratio(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestRatio(t *testing.T) {
	if r := fmt.Sprintf("%.1f", ratio("#000000", "#ffffff")); r != "21.0" {
		t.Errorf("black on white %s", r)
	}
}
