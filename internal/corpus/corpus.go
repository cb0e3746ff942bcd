// Package corpus generates a deterministic site of realistic incident files
// for benchmarks and scale tests: the same seed always writes the same bytes.
package corpus

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var (
	verbs      = []string{"restarted", "rolled back", "paged", "drained", "failed over", "scaled up", "flushed", "disabled", "re-enabled", "patched"}
	states     = []string{"latency is up", "error rate at 12%", "queue is backed up", "disk at 97%", "replica lag 40s", "5xx rising", "requests timing out", "login failing", "checkout degraded", "cache hit rate dropped"}
	needs      = []string{"need a DBA on the bridge", "need approval to fail over", "who owns this service?", "need the vendor's status", "what is the ETA?", "need someone from networking"}
	healthy    = []string{"error rate back to normal", "latency recovered", "queue drained", "all green again", "replica caught up"}
	firstNames = []string{"Ana", "Raj", "Lee", "Pete", "Dana", "Kim", "Omar", "Priya", "Joe", "Ines", "Marco", "Sam", "Lena", "Hiro", "Grace", "Luis", "Nadia", "Beth", "Tom", "Ken"}
)

// Options shape a corpus.
type Options struct {
	N    int   // incidents
	Seed int64 // same seed, same bytes
}

// Generate writes opts.N incidents under dir/content/incidents, in folders
// of 500, plus a debrief.yaml. About a third carry an author-written CAN
// report; bodies are 4–6 KB with 20–80 timeline entries.
func Generate(dir string, opts Options) error {
	r := rand.New(rand.NewSource(opts.Seed))
	services := names("svc", 40)
	components := names("comp", 120)
	tags := []string{"release", "capacity", "dependency", "config", "network", "database", "security", "third-party", "human-error", "hardware"}
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "debrief.yaml"), []byte("title: Generated corpus\ntimezone: UTC\n"), 0o644); err != nil {
		return err
	}
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < opts.N; i++ {
		date := start.Add(time.Duration(r.Intn(6*365*24)) * time.Hour)
		svc := pick(r, services, 1+r.Intn(3))
		comp := pick(r, components, 1+r.Intn(4))
		people := pick(r, firstNames, 3+r.Intn(4))
		var b strings.Builder
		fmt.Fprintf(&b, "---\nid: GEN-%06d\ntitle: %q\ndate: %s\ntimezone: UTC\nseverity: SEV%d\nstatus: %s\n",
			i, fmt.Sprintf("%s %s on %s", upper(states[r.Intn(len(states))]), "incident", comp[0]), date.Format("2006-01-02"), 1+r.Intn(5), []string{"open", "mitigated", "resolved", "closed"}[r.Intn(4)])
		fmt.Fprintf(&b, "commander: %s\nroles: {scribe: %s}\nparticipants: [%s]\n", people[0], people[1], strings.Join(people, ", "))
		fmt.Fprintf(&b, "services: [%s]\ncomponents: [%s]\ntags: [%s]\n", strings.Join(svc, ", "), strings.Join(comp, ", "), strings.Join(pick(r, tags, 1+r.Intn(3)), ", "))
		h := 8 + r.Intn(10)
		fmt.Fprintf(&b, "started: \"%02d:00\"\ndetected: \"%02d:05\"\nacknowledged: \"%02d:09\"\nmitigated: \"%02d:40\"\nresolved: \"%02d:55\"\n", h, h, h, h+1, h+2)
		if i > 0 && r.Intn(4) == 0 {
			fmt.Fprintf(&b, "related:\n  - {id: GEN-%06d, relation: %s}\n", r.Intn(i), []string{"similar", "duplicate", "caused-by", "follow-up"}[r.Intn(4)])
		}
		fmt.Fprintf(&b, "action_items:\n  - {title: Add an alert for %s, owner: %s, status: %s, ticket: OPS-%d, due: %s}\n---\n\n",
			comp[0], people[1], []string{"open", "done"}[r.Intn(2)], 1000+i, date.AddDate(0, 1, 0).Format("2006-01-02"))
		fmt.Fprintf(&b, "%s affected %s for about %d minutes. The on-call engineer %s noticed it from an alert and opened a bridge; %s led the response.\n\n",
			strings.Join(comp, " and "), strings.Join(svc, ", "), 40+r.Intn(200), people[2%len(people)], people[0])
		// An author-written report names the times of entries: the first,
		// and the first at or after HH:20 (a fixed HH:20 named no entry's time).
		var report []string
		if r.Intn(3) == 0 {
			report = []string{states[r.Intn(len(states))], upper(verbs[r.Intn(len(verbs))])}
		}
		var tl strings.Builder
		entries := 20 + r.Intn(61)
		t := time.Date(2000, 1, 1, h, 5, 0, 0, time.UTC)
		first, last, later := t, t, time.Time{}
		for e := 0; e < entries; e++ {
			if later.IsZero() && t.Minute() >= 20 {
				later = t
			}
			who := people[r.Intn(len(people))]
			var text string
			switch k := r.Intn(10); {
			case k < 4:
				text = fmt.Sprintf("%s: %s on %s, %s.", who, states[r.Intn(len(states))], comp[r.Intn(len(comp))], filler(r))
			case k < 7:
				text = fmt.Sprintf("%s: %s %s and watched the dashboards; %s.", who, verbs[r.Intn(len(verbs))], comp[r.Intn(len(comp))], filler(r))
			case k < 9:
				text = fmt.Sprintf("%s: %s", who, needs[r.Intn(len(needs))])
			default:
				text = fmt.Sprintf("%s: %s for %s.", who, healthy[r.Intn(len(healthy))], svc[0])
			}
			fmt.Fprintf(&tl, "- %s %s\n", t.Format("15:04:05"), text)
			last = t
			t = t.Add(time.Duration(20+r.Intn(120)) * time.Second)
		}
		if later.IsZero() {
			later = last // a short log ends before a quarter past
		}
		if report != nil {
			fmt.Fprintf(&b, "## CAN report\n\n### Conditions\n\n- %s on %s (%s)\n\n### Actions\n\n- %s %s (%s)\n\n### Needs\n\n- No additional needs\n\n",
				report[0], comp[0], first.Format("15:04"), report[1], comp[0], later.Format("15:04:05"))
		}
		b.WriteString("## Timeline\n\n")
		b.WriteString(tl.String())
		fmt.Fprintf(&b, "\n## Root cause\n\n%s\n\n## Follow-ups\n\n- Review the runbook for %s.\n- Load-test %s before the next release.\n", paragraph(r), comp[0], svc[0])
		p := filepath.Join(dir, "content", "incidents", fmt.Sprintf("%03d", i/500), fmt.Sprintf("gen-%06d.md", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	return out
}

func pick(r *rand.Rand, from []string, k int) []string {
	idx := r.Perm(len(from))[:min(k, len(from))]
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

var fillers = []string{"customers in the EU region see it first", "the graphs show a step at the deploy", "nothing in the change log for the hour", "support has a handful of tickets", "the vendor status page is green", "the runbook step did not apply"}

func filler(r *rand.Rand) string { return fillers[r.Intn(len(fillers))] }

func paragraph(r *rand.Rand) string {
	var parts []string
	for i := 0; i < 6+r.Intn(5); i++ {
		parts = append(parts, "A "+states[r.Intn(len(states))]+" condition followed when "+filler(r)+".")
	}
	return strings.Join(parts, " ")
}

// upper capitalises the first letter of an ASCII phrase.
func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
