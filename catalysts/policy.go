package catalysts

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Policy is a catalyst's compiled evidence policy.
type Policy struct {
	trusted []string          // registrable domains, lower case
	owners  map[string]string // domain → owner
	// Quorum is how many independent sources must agree when none is trusted.
	Quorum int
	// Window is how close in published time those sources must be.
	Window time.Duration
}

// NewPolicy compiles a policy configuration; zero Quorum and Window take the defaults 2 and 72h.
func NewPolicy(pc PolicyConfig) Policy {
	p := Policy{Quorum: pc.Quorum, Window: pc.Window, owners: map[string]string{}}
	if p.Quorum <= 0 {
		p.Quorum = 2
	}
	if p.Window <= 0 {
		p.Window = 72 * time.Hour
	}
	for _, t := range pc.Trusted {
		p.trusted = append(p.trusted, strings.ToLower(strings.TrimPrefix(t, "www.")))
	}
	for owner, domains := range pc.Owners {
		for _, d := range domains {
			p.owners[strings.ToLower(d)] = owner
		}
	}
	return p
}

// Trusted reports whether a source decides alone: it is a trusted domain or a subdomain of one.
func (p Policy) Trusted(source string) bool {
	s := strings.ToLower(strings.TrimPrefix(source, "www."))
	for _, t := range p.trusted {
		if s == t || strings.HasSuffix(s, "."+t) {
			return true
		}
	}
	return false
}

// Owner returns the group a source's domain belongs to: its owner when configured, else itself.
func (p Policy) Owner(source string) string {
	s := strings.ToLower(strings.TrimPrefix(source, "www."))
	if o, ok := p.owners[s]; ok {
		return "owner:" + o
	}
	return s
}

// Evidence is one decisive signal and the headline that carried it.
type Evidence struct {
	HeadlineID string    `json:"id"`
	State      string    `json:"state"`
	Source     string    `json:"source"`
	Title      string    `json:"title"`
	Link       string    `json:"link,omitempty"`
	Published  time.Time `json:"published"`
	FirstSeen  time.Time `json:"first_seen"`
	Trusted    bool      `json:"trusted"`
	Cue        string    `json:"cue,omitempty"`

	words []string // the title's story words, cut once (see storyWords)
}

// storyWords returns the title's story words, cutting them on first use.
func (e *Evidence) storyWords() []string {
	if e.words == nil {
		e.words = storyWords(e.Title)
	}
	return e.words
}

// Transition is a change of a catalyst's state and the evidence that carried it.
type Transition struct {
	Catalyst string
	From, To string
	// At is the published time of the headline that completed the evidence.
	At       time.Time
	Evidence []Evidence
	// Sources counts the independent sources among the evidence.
	Sources int
	// Rule says which part of the policy decided ("trusted source reuters.com").
	Rule string
}

// Key is the transition's idempotency key: the same transition always has the same key.
func (t Transition) Key() string {
	return fmt.Sprintf("%s:%s>%s@%s", t.Catalyst, t.From, t.To, t.At.UTC().Format(time.RFC3339))
}

// Outcome says what observing one piece of evidence did.
type Outcome int

// The outcomes of Machine.Observe.
const (
	// Pending: the evidence counts toward a new state that is not yet decided.
	Pending Outcome = iota
	// Current: the evidence is for the state the catalyst is already in.
	Current
	// Forbidden: the transition graph does not allow that state next.
	Forbidden
	// Late: the headline was published before the current state began; it cannot undo it.
	Late
	// Duplicate: the same headline was already counted for that state.
	Duplicate
	// Moved: the evidence completed at least one transition.
	Moved
)

func (o Outcome) String() string {
	return [...]string{"pending", "current", "forbidden", "late", "duplicate", "moved"}[o]
}

// Machine is one catalyst's state and the evidence gathered toward other states. It is not safe
// for concurrent use.
type Machine struct {
	def     *Definition
	policy  Policy
	state   string
	since   time.Time
	pending map[string][]Evidence
}

// NewMachine starts a catalyst in a state (since a time; zero for "always"), with evidence
// already gathered toward other states (as loaded from the store).
func NewMachine(def *Definition, policy Policy, state string, since time.Time, evidence []Evidence) *Machine {
	m := &Machine{def: def, policy: policy, state: state, since: since, pending: map[string][]Evidence{}}
	if m.state == "" {
		m.state = def.Initial
	}
	for _, ev := range evidence {
		if ev.State != m.state && !ev.Published.Before(m.since) && !m.has(ev) {
			ev.Trusted = policy.Trusted(ev.Source) // today's policy, not the one it was stored under
			ev.storyWords()
			m.pending[ev.State] = m.prune(append(m.pending[ev.State], ev))
		}
	}
	return m
}

// State returns the current state and since when.
func (m *Machine) State() (string, time.Time) { return m.state, m.since }

// Allowed reports whether the graph lets the catalyst go from one state to another.
func (m *Machine) Allowed(from, to string) bool {
	for _, s := range m.def.Transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

func (m *Machine) has(ev Evidence) bool {
	for _, e := range m.pending[ev.State] {
		if e.HeadlineID == ev.HeadlineID {
			return true
		}
	}
	return false
}

// Observe records one decisive signal and returns the transitions it completes, in order.
// Evidence for the current state, for a state the graph forbids, or published before the current
// state began changes nothing.
func (m *Machine) Observe(ev Evidence) ([]Transition, Outcome) {
	ev.Trusted = m.policy.Trusted(ev.Source)
	switch {
	case ev.State == m.state:
		return nil, Current
	case ev.Published.Before(m.since):
		return nil, Late
	case m.has(ev):
		return nil, Duplicate
	}
	ev.storyWords()
	m.pending[ev.State] = m.prune(append(m.pending[ev.State], ev))
	if !m.Allowed(m.state, ev.State) {
		// Kept: a later transition may make this state reachable while the evidence is fresh.
		return nil, Forbidden
	}
	var out []Transition
	for {
		t, ok := m.next()
		if !ok {
			break
		}
		out = append(out, t)
		m.state, m.since = t.To, t.At
		for s, evs := range m.pending {
			kept := evs[:0]
			for _, e := range evs {
				if s != m.state && !e.Published.Before(m.since) {
					kept = append(kept, e)
				}
			}
			m.pending[s] = kept
		}
	}
	if len(out) > 0 {
		return out, Moved
	}
	return nil, Pending
}

// maxPending bounds the evidence kept for one state, so that a long run of signals the graph
// forbids (say, after a final state) cannot grow memory without end.
const maxPending = 128

// prune keeps at most maxPending pieces of evidence for a state, the most recently published.
// Pruning by age instead would depend on arrival order: a late item must still find the
// evidence it completes a window with.
func (m *Machine) prune(evs []Evidence) []Evidence {
	if len(evs) <= maxPending {
		return evs
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Published.Before(evs[j].Published) })
	return append(evs[:0], evs[len(evs)-maxPending:]...)
}

// next finds the earliest transition the pending evidence completes from the current state.
func (m *Machine) next() (Transition, bool) {
	var best Transition
	found := false
	for _, to := range m.def.Transitions[m.state] {
		t, ok := m.completion(to)
		if ok && (!found || t.At.Before(best.At)) {
			best, found = t, true
		}
	}
	return best, found
}

// completion returns the earliest moment the evidence for a state satisfies the policy: a
// trusted source, or Quorum independent sources within Window.
func (m *Machine) completion(to string) (Transition, bool) {
	evs := append([]Evidence(nil), m.pending[to]...)
	sort.SliceStable(evs, func(i, j int) bool {
		if !evs[i].Published.Equal(evs[j].Published) {
			return evs[i].Published.Before(evs[j].Published)
		}
		return evs[i].HeadlineID < evs[j].HeadlineID
	})
	// Sources are clustered once: two pieces of evidence are one source when their domains
	// share an owner or their titles are copies of one story.
	cluster := m.policy.clusters(evs)
	seen := make(map[int]bool, len(evs))
	for i, ev := range evs {
		if ev.Published.Before(m.since) {
			continue
		}
		t := Transition{Catalyst: m.def.ID, From: m.state, To: to, At: ev.Published}
		if ev.Trusted {
			t.Evidence, t.Sources = []Evidence{ev}, 1
			t.Rule = "trusted source " + ev.Source
			return t, true
		}
		var window []Evidence
		clear(seen)
		for j, w := range evs[:i+1] {
			if !w.Published.Before(m.since) && ev.Published.Sub(w.Published) <= m.policy.Window {
				window = append(window, w)
				seen[cluster[j]] = true
			}
		}
		if n := len(seen); n >= m.policy.Quorum {
			t.Evidence, t.Sources = window, n
			var srcs []string
			for _, w := range window {
				srcs = appendUnique(srcs, w.Source)
			}
			t.Rule = fmt.Sprintf("%d independent sources within %s (%s)", n, m.policy.Window, strings.Join(srcs, ", "))
			return t, true
		}
	}
	return Transition{}, false
}

// Independent counts the independent sources among the evidence: sources of one owner are one,
// and copies of one story (near-identical titles) are one, whichever domains carry them.
func (p Policy) Independent(evs []Evidence) int {
	roots := map[int]bool{}
	for _, c := range p.clusters(evs) {
		roots[c] = true
	}
	return len(roots)
}

// clusters gives each piece of evidence the index of its source cluster: evidence whose domains
// share an owner, or whose titles are copies of one story, is one cluster. Each title is cut into
// words once, so the cost is the pairwise comparison alone.
func (p Policy) clusters(evs []Evidence) []int {
	parent := make([]int, len(evs))
	owners := make([]string, len(evs))
	words := make([][]string, len(evs))
	for i, ev := range evs {
		parent[i] = i
		owners[i] = p.Owner(ev.Source)
		words[i] = ev.storyWords()
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range evs {
		for j := i + 1; j < len(evs); j++ {
			if find(i) != find(j) && (owners[i] == owners[j] || sameStoryWords(words[i], words[j])) {
				parent[find(i)] = find(j)
			}
		}
	}
	out := make([]int, len(evs))
	for i := range evs {
		out[i] = find(i)
	}
	return out
}
