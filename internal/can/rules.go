package can

import (
	"regexp"
	"strings"
)

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

// cue compiles a rule's pattern. Patterns are written in lower case and
// matched against the lower-cased sentence: Go's case-insensitive matching
// is several times slower, and the table runs on every sentence.
func cue(s string) *regexp.Regexp { return regexp.MustCompile(strings.ReplaceAll(s, "A-Z", "a-z")) }

// Rules is the cue table. Each rule's Example is asserted by the tests.
var Rules = []Rule{
	// Pleasantries, links and promises to report later are not statements.
	{"pleasantry", None, cue(`^(thanks|thank you|thx|ty|cheers)( (all|both|everyone|folks|team|so much|a lot|again|everybody))*[ !.]*(:[a-z_+-]+:)?[ !.]*$|^<?https?://\S+>?[ .]*$|\bwill let (you|us|everyone|you all) know\b`),
		"Thank you both :pray:"},
	// Saying that nobody answered reports nothing new, but it keeps the
	// question open (see link in can.go).
	{"unanswered", None, cue(`\b(no one|nobody|none of them) (answers|answered|responds|replies)|\bno (answer|response|reply|objections?)\b`),
		"The discussion continues, but no one answers the question."},
	{"asked-again", Need, cue(`\basks (the question|it) (again|a second|twice|a third)|\basks again\b`),
		"Paul asks the question a second and third time."},
	// Arrivals asking to be briefed report nothing either: the briefing
	// that follows is the news.
	{"briefing", None, cue(`\basks for (an |the )?(update|overview|status|customer impact|impact)\b|\b(can|could) (i|we) get an update\b`),
		"The Executive asks for an update."},
	// Tasking is an action, even phrased as a request or a question.
	{"assigns", Action, cue(`\basks (another|an|the|one of the|[A-Z][\w'-]+) [\w ]*?\bto (take care|handle|look|run|flush|check|own|do|pull|post|draft|stop|add|restart|roll|page|call|send|verify|update)\b|^[A-Z][\w'-]+, (can|could) you\b|^[A-Z][\w'-]+, (please|use|check|grow|add|stop|post|page|roll|run|take)\b|\bplease (add|stop|grow|post|page|roll|run|check|restart|update)\b|\bassign(s|ed)\b|\btakes? care of\b|\b(is|i'm|i am) on it\b|^on it\b|\bi(’|')?ll (drive|take|do|handle|look)\b|\bi can (rotate|take|do|handle|look|run|restart|grow|add)\b|\btaking (ic|command|the lead)\b|\b(he|she|i) (is|am) the leader\b|\bic here\b|\bgive me \d+ ?min`),
		"Pete asks another SME to take care of it."},
	// A decision taken, said as a noun, before the "required" in it.
	{"decision", Action, cue(`^(decision|decided)\b|\bdecision (was |is )?made\b`),
		"Decision made to update password in live-2 cluster to determine whether a node recycle will be required"},
	// Getting someone in is work done, not a request for help.
	{"contacts", Action, cue(`\b(contacts|contacted|pages|paged|pings|pinged|escalates to|escalated to) [@\w&,. ()-]+? (to|for) (help|look|assist|examine|check|investigate)`),
		"docbrown contacts clarac & agoogler (from Shakespeare dev team) to help with examining codebase for possible causes"},
	// An inference about the state: "there must be a problem" is news.
	{"inferred", Condition, cue(`\bthere must be (a|an|some) (problem|issue|bug|leak)\b`),
		"Decide there must be a problem as Google analytics traffic suggests people are still trying to start new binders."},
	// Open questions and requests.
	{"question", Need, cue(`\?\s*["”’)]?\s*$|\basks\b[^.]*?\b(how|who|what|when|whether|if|why)\b`),
		"Paul asks who is running this bridge, Pete or another SME?"},
	{"needs", Need, cue(`\bneeds?\b|\bneeded\b|\brequir(e|es|ed|ement)\b|\b(has|have) to (be )?\w+|\bmust\b`),
		"Joe said he needs to check Server 28 to make sure there are no problems there."},
	{"asks-for", Need, cue(`\basks? for\b|\brequests?\b|\bcould (someone|somebody|we get)\b|\bhelp (with|in)\b`),
		"SME asks for some help in flushing the queue."},
	{"wants", Need, cue(`\bwants?\b|\bwould like\b|\bmake sure\b`),
		"The Executive wants to make sure everything is documented for the root cause analysis."},
	// Decisions are actions.
	{"decision", Action, cue(`\blet['’]?s\b|\bdirects\b|\bdecided?\b|\bdecision\b|\bgo ahead\b|\bagreed\b|\bapprov(es|ed)\b|\bgrants?\b|\bdeclares?\b|\bwe will (now )?\w+|“(disable|restart|roll|rerun|run|stop|flush|fail over|promote)\b|\bsuggests\b`),
		"After several minutes, the Executive says, “Let’s move forward.”"},
	// Talk about talk reports nothing.
	{"talk", None, cue(`^(there is |there's )?(some |further |general |additional |more )?discussion\b|^discussion\b|\bprovides? (an overview|some background)|^(one of the smes|someone) confirms\.?$|\bjoins\.?$|^thoughts\?$`),
		"Discussion on the two approaches to take to resolve the issue."},
	// States phrased with action words: a thing that stopped working, nothing
	// that was done.
	{"stopped-working", Condition, cue(`\bstopped (accepting|responding|working|serving|sending)\b|^nothing (was|has been)\b|\bran out\b|\bwhen it stopped\b`),
		"Primary db-main-1 stopped accepting connections."},
	// Customer communication reported as a state is an action taken.
	{"comms", Action, cue(`\b(status ?page|incident notice|customer notice|notice)\b[^.]*\b(is up|posted|updated|set to|resolved|sent|published)\b`),
		"Priya confirms the status page notice is up."},
	// What happens to a thing, said with a verb of doing: a state.
	{"happens-to", Condition, cue(`\bgets? (killed|evicted|oom-?killed|terminated|deleted|throttled|rescheduled|stuck)\b|\b(is|are|was|were) (being )?(killed|evicted|throttled)\b|\b(we )?have no (nodes|capacity|replicas?|workers|servers|instances|quota|space|disk|data)\b`),
		"And it looks like pods are being evicted by something that is not us"},
	// Looking for something is work in progress, not something down.
	{"tracking", Action, cue(`\b(tracks?|tracked|tracking|narrows?|narrowed|narrowing|hunts?|hunted|hunting) down\b`),
		"martym tracks down text of new sonnet and looks for documentation on corpus update"},
	// Things done or being done.
	{"done", Action, cue(`\b(loops? in|looped in|pings|informed|declared|distributed|lands|landed|assumes|completes|begins? (looking|investigating|working)|bringing up|brings up|brought up|suggested to|asked the \w+ to)\b|\b(has|have|had) been (contacted|disabled|restarted|rolled back|paged|notified|flushed|deployed|escalated|applied|reverted|scaled|drained|promoted)\b|\b(disabled|enabled|contacted|restarted|rolled back|reverted|paged|pinged|escalated|deployed|flushed|drained|failed over|rebooted|re-?ran|ran (?:the|a|it)|scaled|applied|patched|notified|isolated|migrated|cordoned|purged|killed|raised|posted|shut|swapped|replaced|issued|resized|promoted|added|fixed|stopped|uploaded|set to|updated|resolved|sent|closed|terminated|ended|opened|started (?:the|a|an|to)|created|merged|granted)\b|\b(opens|closes|starts|sends|posts|updates|deploys|restarts|reverts|promotes|pages|escalates|rolls|drains|flushes|disables|enables|thanks|announces)\b|\bjoins and\b`),
		"Pete reports that the executive has been contacted."},
	{"doing", Action, cue(`\b(is|are) (still )?(checking|investigating|looking|working on|running|rolling|restarting|monitoring|flushing|draining|rerunning|testing|building|promoting|uploading|drafting|preparing|reviewing)\b|\bstill (investigating|looking|working on)\b|^(paging|promoting|building|uploading|drafting|growing|running|updating|keeping|rolling|restarting|draining|flushing|failing over|reverting|deploying|opening|closing|moving|holding|checking|investigating|looking|preparing|rotating|purging|escalating|contacting|calling|posting|sending|writing|disabling|enabling|scaling|migrating|taking)\b`),
		"They are checking with more customers."},
	// Observations and states.
	{"failing", Condition, cue(`\bfail(s|ed|ing|ure|ures)?\b|\bwrong\b|\bworse\b|\bunhealthy\b|\babnormal(ly)?\b|\bquestionable\b|\bon fi+re\b|\bflak(y|es|iness)\b|\bcrash(es|ed|ing|loop)?\b|\bpanic(s|ked|king)?\b|\bthrottl(ed|ing)\b|\b5\d\d (responses|errors)\b|\bstuck\b|\bbreakage\b|\bis being lost\b|\bbeing (lost|dropped|declined)\b|\b(unable|not able) to\b|\bcan(no|')t\b|\bdown\b|\bdegraded\b|\berror(s|ing)?\b|\btimeouts?\b|\boutage\b|\bbacked up\b|\blatency\b|\bslow\b|\bdid not run\b|\bnot working\b|\bbroken\b|\bdenied\b|\bbounced\b|\bunreachable\b|\bread-only\b|\bwarning\b|\bred\b|\bconfusion\b|\bempty\b|\bran out\b|\bblocked\b|\bdeclin(ed|es)\b|\bwas missing\b|\bmissing\b`),
		"In the current state, the e-mail is being lost."},
	// A recommendation with no state in it is a need.
	{"should", Need, cue(`\bwe should\b|\bshould (be|we)\b|\bwe could\b|\bmaybe we\b|\bwe might want to\b`),
		"We should page the database on-call before the next change."},
	{"healthy", Condition, cue(`\b(appears?|seems?) to be (up|working|fine|ok|healthy|back)\b|\blevel(s|ed)? off\b|\bconfirmed complete\b|\blooks? (good|fine|healthy|normal)\b|\b(all )?green\b|\b(is|are) (working|back|up|healthy|stable|recovered|restored|accepting|online|reachable|clean|complete)\b|\bworking again\b|\b(able to|can) log in\b|\brecover(ed|ing)\b|\brestored\b|\bcoming in\b|\bpassed\b|\bback to\b|\bcaught up\b|\bagain\b|\bok\b|\bnormal\b|\bdropping\b|\bstreaming\b|\bshipping\b|\bclean\b`),
		"Pete says, “Looks like e-mail is working again.”"},
	{"measure", Condition, cue(`\d+(\.\d+)?\s?(%|(ms|s|g|gb|tb|m|mb|min|k)\b)|\bp9[059]\b|\b5xx\b|\blag\b|\bbacklog\b|\b\d+\+? (tickets|cases|orders|customers|users|merchants|errors)\b`),
		"Replica restore at 45%."},
	{"state", Condition, cue(`\bthere (is|are) (some |another |a |an |\w+ )?(issues?|problems?|cases?|bridge|incident)\b|\bobserves\b|\bthe problem is\b|\bappears\b|\bonly (reporting|for|one)\b|\bmay be\b|\bissue\b|\bproblem\b|\bnot possible\b|\bhas no\b|\bnobody\b|\bno one\b|\bshows?\b|\bwill take\b|\bwill be about\b|\b(best )?guess\b|\beta\b|\bestimate\b|\bsince\b|\bmatches\b|\bexpire\b|\bcharged\b|\b(a|the) change to\b|\bwas (made|changed|modified|rotated)\b|\bstarted at\b|\bwill (cause|take|be)\b`),
		"Another unidentified bridge participant observes that the problem is only for Server 24."},
}

// tagKinds maps entry tags to the kind they force.
var tagKinds = map[string]Kind{
	"action":    Action,
	"decision":  Action,
	"condition": Condition,
	"impact":    Condition,
	"need":      Need,
}
