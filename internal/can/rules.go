package can

import "regexp"

// Kind is what a report line is.
type Kind string

// The kinds of CAN line, plus none for sentences a report leaves out.
const (
	Condition Kind = "condition"
	Action    Kind = "action"
	Need      Kind = "need"
	None      Kind = "none"
)

// Rule is one cue: a pattern that, found in a sentence, classes it. Rules
// are tried in order and the first that matches wins, so the narrow rules
// (an assignment, "asks X to", is an action) come before the broad ones
// ("asks" is a need).
type Rule struct {
	Name    string
	Kind    Kind
	Cue     *regexp.Regexp
	Example string // a sentence from a real log the rule exists for
}

func cue(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// Rules is the cue table. Each rule's Example is asserted by the tests.
var Rules = []Rule{
	// Explicit silence: a question nobody answered is still open.
	{"unanswered", Need, cue(`\b(no one|nobody|none of them) (answers|answered|responds|replies)|\bno (answer|response|reply)\b`),
		"The discussion continues, but no one answers the question."},
	// Assignments are actions even though they use "asks".
	{"assigns", Action, cue(`\basks (another|an|the|one of the) [\w ]{0,30}?\bto (take care|handle|look|run|flush|check|own|do)\b|\bassign(s|ed)\b|\btakes? care of\b|\bis on it\b`),
		"Pete asks another SME to take care of it."},
	// Decisions are actions.
	{"decision", Action, cue(`\blet['’]?s (move|go|work|do|roll|proceed|restart|run|disable|fail)|\bdirects\b|\bdecided?\b|\bdecision\b|\bgo ahead\b|\bagreed\b|\bapproved?\b|\bwe will (now )?(roll|restart|run|disable|fail)|“(disable|restart|roll back|rerun|run|stop|flush|fail over) (it|the)\b`),
		"After several minutes, the Executive says, “Let’s move forward.”"},
	// Requests and open questions.
	{"needs", Need, cue(`\bneeds?\b|\bneeded\b|\brequir(e|es|ed)\b`),
		"Joe said he needs to check Server 28 to make sure there are no problems there."},
	{"asks-for", Need, cue(`\basks? for\b|\brequests?\b|\bcould (someone|somebody|we get)\b|\bhelp (with|in)\b`),
		"SME asks for some help in flushing the queue."},
	// Talk about talk reports nothing, unless it names a need (above).
	{"discussion", None, cue(`^(there is |there's )?(some |further |general |additional |more )?discussion\b|^discussion\b|\bprovides an overview\b|^one of the smes confirms\b`),
		"Discussion on the two approaches to take to resolve the issue."},
	{"question", Need, cue(`\?\s*["”’]?\s*$|\basks\b[^.]{0,40}?\b(how|who|what|when|whether|if|why)\b|\bunclear\b|\bconfusion\b`),
		"Paul asks who is running this bridge, Pete or another SME?"},
	{"wants", Need, cue(`\bwants? to\b|\bwould like to\b|\bmake sure\b`),
		"The Executive wants to make sure everything is documented for the root cause analysis."},
	// Things done.
	{"done", Action, cue(`\b(has|have|had) been (contacted|disabled|restarted|rolled back|paged|notified|flushed|deployed|escalated|applied|reverted|scaled|drained)\b|\b(disabled|enabled|contacted|restarted|rolled back|reverted|paged|escalated|deployed|flushed|drained|failed over|rebooted|re-?ran|ran|scaled|applied|patched|notified|blocked|isolated|migrated|cordoned|purged|killed|raised|posted|updated the status|shut|swapped|replaced|started (?:the|a|an|deployment|rollout|rerun)|stopped the|opened|opening|closing|closed|joined|holding)\b`),
		"Pete reports that the executive has been contacted."},
	{"doing", Action, cue(`\b(is|are) (still )?(checking|investigating|looking|working on|running the|rolling|restarting|monitoring|flushing|draining|rerunning|testing)\b|\bstill (investigating|looking|working on)\b`),
		"They are checking with more customers."},
	// Observations and states.
	{"failing", Condition, cue(`\bfail(s|ed|ing|ure)?\b|\bis being lost\b|\bbeing (lost|dropped)\b|\b(unable|not able) to\b|\bcan(no|')t\b|\bdown\b|\bdegraded\b|\berrors?\b|\btimeouts?\b|\boutage\b|\bbacked up\b|\blatency\b|\bslow\b|\bdid not run\b|\bnot working\b|\bbroken\b`),
		"In the current state, the e-mail is being lost."},
	{"healthy", Condition, cue(`\blooks? (good|fine|healthy|normal)\b|\ball green\b|\b(is|are) (working|back|up|healthy|stable|recovered|restored)\b|\bworking again\b|\b(able to|can) log in\b|\brecovered\b|\brestored\b|\bcoming in\b`),
		"Pete says, “Looks like e-mail is working again.”"},
	{"state", Condition, cue(`\bthere (is|are) (some |another |a |an |\w+ )?(issues?|problems?|cases?|bridge|incident)\b|\bobserves\b|\bthe problem is\b|\bappears\b|\bonly (reporting|for)\b|\bmay be a\b|\bissue\b|\bproblem\b`),
		"Another unidentified bridge participant observes that the problem is only for Server 24."},
	// A recommendation with no state in it is a need.
	{"should", Need, cue(`\bwe should\b|\bshould (be|we)\b`),
		"We should page the database on-call before the next change."},
}

// tagKinds maps entry tags to the kind they force.
var tagKinds = map[string]Kind{
	"action":    Action,
	"decision":  Action,
	"condition": Condition,
	"impact":    Condition,
	"need":      Need,
}

// Classify returns the kind of one sentence and the rule that decided it.
func Classify(sentence string) (Kind, string) {
	for _, r := range Rules {
		if r.Cue.MatchString(sentence) {
			return r.Kind, r.Name
		}
	}
	return None, ""
}
