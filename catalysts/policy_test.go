package catalysts_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/catalysts"
)

// lawsuit has the graph of disney-bytedance: settled and dismissed are final.
var lawsuit = catalysts.Definition{
	ID:      "studio-v-app",
	Initial: "threatened",
	States: map[string]catalysts.State{
		"threatened": {}, "filed": {}, "injunction": {}, "settled": {}, "dismissed": {},
	},
	Transitions: map[string][]string{
		"threatened": {"filed", "settled", "dismissed"},
		"filed":      {"injunction", "settled", "dismissed"},
		"injunction": {"settled", "dismissed"},
	},
}

var testPolicy = catalysts.PolicyConfig{
	Trusted: []string{"reuters.com", "courtlistener.com"},
	Owners:  map[string][]string{"disney": {"abc.com", "disney.com", "espn.com"}},
}

var t0 = time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC)

// ev is one piece of evidence, published h hours after t0.
func ev(id, state, source, title string, h float64) catalysts.Evidence {
	return catalysts.Evidence{HeadlineID: id, State: state, Source: source, Title: title,
		Published: t0.Add(time.Duration(h * float64(time.Hour)))}
}

// step is one observation and what it must do.
type step struct {
	ev      catalysts.Evidence
	outcome catalysts.Outcome
	moves   string // "from>to@hours;..." of the transitions it completes
}

func moves(ts []catalysts.Transition) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, fmt.Sprintf("%s>%s@%g", t.From, t.To, t.At.Sub(t0).Hours()))
	}
	return strings.Join(parts, ";")
}

func TestMachine(t *testing.T) {
	cases := map[string]struct {
		steps []step
		state string // the state at the end
	}{
		"trusted_decides_alone": {steps: []step{
			{ev("h1", "filed", "reuters.com", "Studio sues app maker", 0), catalysts.Moved, "threatened>filed@0"},
		}, state: "filed"},
		"trusted_subdomain": {steps: []step{
			{ev("h1", "filed", "www.courtlistener.com", "Complaint", 0), catalysts.Moved, "threatened>filed@0"},
		}, state: "filed"},
		"trusted_deep_subdomain": {steps: []step{
			{ev("h1", "filed", "uk.mobile.reuters.com", "Studio sues app maker", 0), catalysts.Moved, "threatened>filed@0"},
		}, state: "filed"},
		"lookalike_domain_is_not_trusted": {steps: []step{
			{ev("h1", "filed", "notreuters.com", "Studio sues app maker", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "reuters.com.example.net", "Lawsuit lands against app maker", 1), catalysts.Moved, "threatened>filed@1"},
		}, state: "filed"},
		"quorum_of_two_within_window": {steps: []step{
			{ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "deadline.com", "App maker hit with copyright complaint", 20), catalysts.Moved, "threatened>filed@20"},
		}, state: "filed"},
		"window_edge_72h_counts": {steps: []step{
			{ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "deadline.com", "App maker hit with copyright complaint", 72), catalysts.Moved, "threatened>filed@72"},
		}, state: "filed"},
		"window_expired_73h": {steps: []step{
			{ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "deadline.com", "App maker hit with copyright complaint", 73), catalysts.Pending, ""},
		}, state: "threatened"},
		"expired_then_a_third_within_window": {steps: []step{
			{ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "deadline.com", "App maker hit with copyright complaint", 73), catalysts.Pending, ""},
			{ev("h3", "filed", "latimes.com", "Lawsuit filed in Los Angeles", 80), catalysts.Moved, "threatened>filed@80"},
		}, state: "filed"},
		"syndicated_copy_is_one_source": {steps: []step{
			{ev("h1", "filed", "thewrap.com", "Studio sues app maker over AI video clips", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "finance.yahoo.com", "Studio sues app maker over AI video clips - Yahoo Finance", 1), catalysts.Pending, ""},
			{ev("h3", "filed", "msn.com", "EXCLUSIVE: Studio sues app maker over AI video clips | MSN", 2), catalysts.Pending, ""},
			{ev("h4", "filed", "deadline.com", "App maker hit with copyright complaint", 3), catalysts.Moved, "threatened>filed@3"},
		}, state: "filed"},
		"same_domain_is_one_source": {steps: []step{
			{ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "www.variety.com", "What the lawsuit against the app maker says", 1), catalysts.Pending, ""},
		}, state: "threatened"},
		"owner_group_is_one_source": {steps: []step{
			{ev("h1", "filed", "abc.com", "Studio sues app maker over clips", 0), catalysts.Pending, ""},
			{ev("h2", "filed", "disney.com", "Our complaint against the app maker", 1), catalysts.Pending, ""},
			{ev("h3", "filed", "variety.com", "App maker hit with copyright complaint", 2), catalysts.Moved, "threatened>filed@2"},
		}, state: "filed"},
		"forbidden_transition_ignored": {steps: []step{
			{ev("h1", "injunction", "reuters.com", "Judge blocks app", 0), catalysts.Forbidden, ""},
		}, state: "threatened"},
		"final_state_stays_final": {steps: []step{
			{ev("h1", "settled", "reuters.com", "Studio and app maker settle", 0), catalysts.Moved, "threatened>settled@0"},
			{ev("h2", "dismissed", "reuters.com", "Judge dismisses case", 5), catalysts.Forbidden, ""},
			{ev("h3", "filed", "courtlistener.com", "New complaint", 6), catalysts.Forbidden, ""},
		}, state: "settled"},
		"signal_for_current_state": {steps: []step{
			{ev("h1", "filed", "reuters.com", "Studio sues app maker", 0), catalysts.Moved, "threatened>filed@0"},
			{ev("h2", "filed", "courtlistener.com", "Complaint", 1), catalysts.Current, ""},
		}, state: "filed"},
		"initial_state_signal_is_current": {steps: []step{
			{ev("h1", "threatened", "reuters.com", "Studio warns app maker", 0), catalysts.Current, ""},
		}, state: "threatened"},
		"late_item_does_not_undo": {steps: []step{
			{ev("h1", "filed", "reuters.com", "Studio sues app maker", 10), catalysts.Moved, "threatened>filed@10"},
			{ev("h2", "dismissed", "reuters.com", "Old: judge dismisses earlier case", 5), catalysts.Late, ""},
		}, state: "filed"},
		"duplicate_evidence": {steps: []step{
			{ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0), catalysts.Pending, ""},
			{ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0), catalysts.Duplicate, ""},
		}, state: "threatened"},
		"pending_evidence_carries_over": {steps: []step{
			{ev("h1", "settled", "variety.com", "Studio and app maker settle", 2), catalysts.Pending, ""},
			{ev("h2", "filed", "reuters.com", "Studio sues app maker", 1), catalysts.Moved, "threatened>filed@1"},
			{ev("h3", "settled", "deadline.com", "Settlement ends the lawsuit", 3), catalysts.Moved, "filed>settled@3"},
		}, state: "settled"},
		"evidence_kept_for_a_later_reachable_state": {steps: []step{
			{ev("h1", "injunction", "reuters.com", "Judge blocks app", 3), catalysts.Forbidden, ""},
			{ev("h2", "filed", "reuters.com", "Studio sues app maker", 1), catalysts.Moved, "threatened>filed@1;filed>injunction@3"},
		}, state: "injunction"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := catalysts.NewMachine(&lawsuit, catalysts.NewPolicy(testPolicy), "", time.Time{}, nil)
			for i, s := range tc.steps {
				ts, out := m.Observe(s.ev)
				if out != s.outcome || moves(ts) != s.moves {
					t.Fatalf("step %d (%s): %v %q, want %v %q", i+1, s.ev.HeadlineID, out, moves(ts), s.outcome, s.moves)
				}
				for _, tr := range ts {
					if tr.Catalyst != lawsuit.ID || len(tr.Evidence) == 0 || tr.Rule == "" || tr.Sources < 1 {
						t.Errorf("incomplete transition %+v", tr)
					}
				}
			}
			if st, _ := m.State(); st != tc.state {
				t.Errorf("state %s, want %s", st, tc.state)
			}
		})
	}
}

// TestMachineTransitionDetails checks the evidence, sources and rule a transition carries.
func TestMachineTransitionDetails(t *testing.T) {
	m := catalysts.NewMachine(&lawsuit, catalysts.NewPolicy(testPolicy), "", time.Time{}, nil)
	m.Observe(ev("h1", "filed", "abc.com", "Studio sues app maker over clips", 0))
	m.Observe(ev("h2", "filed", "disney.com", "Our complaint against the app maker", 1))
	ts, _ := m.Observe(ev("h3", "filed", "variety.com", "App maker hit with copyright complaint", 2))
	if len(ts) != 1 {
		t.Fatalf("transitions %+v", ts)
	}
	tr := ts[0]
	var ids []string
	for _, e := range tr.Evidence {
		ids = append(ids, e.HeadlineID)
	}
	if !slices.Equal(ids, []string{"h1", "h2", "h3"}) || tr.Sources != 2 || !tr.At.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("evidence %v, sources %d, at %v", ids, tr.Sources, tr.At)
	}
	if !strings.Contains(tr.Rule, "2 independent sources within 72h0m0s") {
		t.Errorf("rule %q", tr.Rule)
	}
	if st, since := m.State(); st != "filed" || !since.Equal(tr.At) {
		t.Errorf("state %s since %v", st, since)
	}
}

// TestMachineOutOfOrder: evidence arriving in any order gives the transition and time that
// published order gives. (Evidence published before the transition but arriving after it is
// Late: it cannot join the transition's evidence, nor move its time.)
func TestMachineOutOfOrder(t *testing.T) {
	evs := []catalysts.Evidence{
		ev("a", "filed", "variety.com", "Studio sues app maker over clips", 0),
		ev("b", "filed", "finance.yahoo.com", "Studio sues app maker over clips - Yahoo Finance", 1),
		ev("c", "settled", "thewrap.com", "Studio and app maker reach a deal", 2),
		ev("d", "filed", "deadline.com", "App maker hit with copyright complaint", 30),
		ev("e", "filed", "ign.com", "Lawsuit against app maker filed", 200),
	}
	run := func(order []int) string {
		m := catalysts.NewMachine(&lawsuit, catalysts.NewPolicy(testPolicy), "", time.Time{}, nil)
		var keys []string
		for _, i := range order {
			ts, _ := m.Observe(evs[i])
			for _, tr := range ts {
				keys = append(keys, tr.Key())
			}
		}
		st, since := m.State()
		return fmt.Sprintf("%v end %s since %s", keys, st, since.Format(time.RFC3339))
	}
	want := run([]int{0, 1, 2, 3, 4})
	if want != "[studio-v-app:threatened>filed@2026-11-19T15:00:00Z] end filed since 2026-11-19T15:00:00Z" {
		t.Fatalf("published order: %s", want)
	}
	// Every order of the five.
	var permute func(prefix, rest []int)
	n := 0
	permute = func(prefix, rest []int) {
		if len(rest) == 0 {
			n++
			if got := run(prefix); got != want {
				t.Errorf("order %v:\n got %s\nwant %s", prefix, got, want)
			}
			return
		}
		for i := range rest {
			next := append(slices.Clone(prefix), rest[i])
			others := append(slices.Clone(rest[:i]), rest[i+1:]...)
			permute(next, others)
		}
	}
	permute(nil, []int{0, 1, 2, 3, 4})
	if n != 120 {
		t.Fatalf("%d orders", n)
	}
}

// TestMachineRestart: a machine rebuilt from stored evidence carries on as if never stopped.
func TestMachineRestart(t *testing.T) {
	first := ev("h1", "filed", "variety.com", "Studio sues app maker over clips", 0)
	stale := ev("h0", "filed", "latimes.com", "Studio files suit", -10)
	m := catalysts.NewMachine(&lawsuit, catalysts.NewPolicy(testPolicy), "threatened", t0.Add(-5*time.Hour),
		[]catalysts.Evidence{first, first, stale})
	ts, out := m.Observe(ev("h2", "filed", "deadline.com", "App maker hit with copyright complaint", 3))
	if out != catalysts.Moved || moves(ts) != "threatened>filed@3" || len(ts[0].Evidence) != 2 {
		t.Fatalf("%v %s %+v", out, moves(ts), ts)
	}
	if _, out := m.Observe(first); out != catalysts.Current {
		t.Errorf("stored evidence again: %v", out)
	}
}

func TestTransitionKey(t *testing.T) {
	at := time.Date(2026, 11, 18, 14, 20, 0, 0, time.UTC)
	base := catalysts.Transition{Catalyst: "disney-bytedance", From: "threatened", To: "filed", At: at}
	cases := map[string]struct {
		t    catalysts.Transition
		same bool
	}{
		"identical":             {base, true},
		"other_evidence":        {catalysts.Transition{Catalyst: base.Catalyst, From: base.From, To: base.To, At: at, Evidence: []catalysts.Evidence{{HeadlineID: "x"}}, Sources: 3, Rule: "x"}, true},
		"same_instant_other_tz": {catalysts.Transition{Catalyst: base.Catalyst, From: base.From, To: base.To, At: at.In(time.FixedZone("HKT", 8*3600))}, true},
		"other_time":            {catalysts.Transition{Catalyst: base.Catalyst, From: base.From, To: base.To, At: at.Add(time.Minute)}, false},
		"other_state":           {catalysts.Transition{Catalyst: base.Catalyst, From: base.From, To: "settled", At: at}, false},
		"other_catalyst":        {catalysts.Transition{Catalyst: "x", From: base.From, To: base.To, At: at}, false},
	}
	if got, want := base.Key(), "disney-bytedance:threatened>filed@2026-11-18T14:20:00Z"; got != want {
		t.Errorf("Key() = %q, want %q", got, want)
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if same := tc.t.Key() == base.Key(); same != tc.same {
				t.Errorf("%q vs %q: same %v, want %v", tc.t.Key(), base.Key(), same, tc.same)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	p := catalysts.NewPolicy(catalysts.PolicyConfig{Trusted: []string{"www.Reuters.com", "sec.gov"},
		Owners: map[string][]string{"disney": {"ABC.com", "disney.com"}}})
	if p.Quorum != 2 || p.Window != 72*time.Hour {
		t.Errorf("defaults: quorum %d window %v", p.Quorum, p.Window)
	}
	for src, want := range map[string]bool{
		"reuters.com": true, "www.reuters.com": true, "REUTERS.COM": true, "uk.reuters.com": true,
		"www.sec.gov": true, "efts.sec.gov": true, "notreuters.com": false, "reuters.com.evil.net": false,
		"sec.gov.cn": false, "": false,
	} {
		if got := p.Trusted(src); got != want {
			t.Errorf("Trusted(%q) = %v, want %v", src, got, want)
		}
	}
	for _, pair := range [][2]string{{"abc.com", "disney.com"}, {"www.abc.com", "Disney.com"}, {"variety.com", "www.variety.com"}} {
		if p.Owner(pair[0]) != p.Owner(pair[1]) {
			t.Errorf("Owner(%q) != Owner(%q)", pair[0], pair[1])
		}
	}
	if p.Owner("abc.com") == p.Owner("variety.com") {
		t.Error("abc.com and variety.com share an owner")
	}
	custom := catalysts.NewPolicy(catalysts.PolicyConfig{Quorum: 3, Window: 24 * time.Hour})
	if custom.Quorum != 3 || custom.Window != 24*time.Hour {
		t.Errorf("custom: %+v", custom)
	}
}

func TestMachinePendingEvidenceIsBounded(t *testing.T) {
	def := &catalysts.Definition{ID: "x", Initial: "a", States: map[string]catalysts.State{"a": {}, "b": {}, "c": {}},
		Transitions: map[string][]string{"a": {"b"}}}
	m := catalysts.NewMachine(def, catalysts.NewPolicy(catalysts.PolicyConfig{Quorum: 2, Window: time.Hour}), "a", time.Time{}, nil)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 5000; i++ {
		// "c" is never reachable: every signal for it is forbidden and kept only while fresh.
		m.Observe(catalysts.Evidence{HeadlineID: fmt.Sprint(i), State: "c", Source: fmt.Sprintf("s%d.example", i),
			Title: fmt.Sprint("story ", i), Published: base.Add(time.Duration(i) * time.Minute)})
	}
	if n := catalysts.PendingCount(m, "c"); n > 128 {
		t.Errorf("%d forbidden signals kept; want at most 128", n)
	}
}

func TestManySyndicatedCopiesStayCheap(t *testing.T) {
	def := &catalysts.Definition{ID: "x", Initial: "a", States: map[string]catalysts.State{"a": {}, "b": {}},
		Transitions: map[string][]string{"a": {"b"}}}
	m := catalysts.NewMachine(def, catalysts.NewPolicy(catalysts.PolicyConfig{Quorum: 2, Window: 72 * time.Hour}), "a", time.Time{}, nil)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// 1,000 copies of one untrusted story on 1,000 domains never reach a quorum of two; each
	// observation must stay cheap (this took minutes when every window re-clustered every title).
	for i := 0; i < 1000; i++ {
		ts, _ := m.Observe(catalysts.Evidence{HeadlineID: fmt.Sprint(i), State: "b", Source: fmt.Sprintf("s%d.example", i),
			Title: "Acme agrees to merge with Bolt - Syndicator " + fmt.Sprint(i%3), Published: base.Add(time.Duration(i) * time.Second)})
		if len(ts) != 0 {
			t.Fatalf("copies of one story made a quorum at copy %d", i)
		}
	}
	ts, _ := m.Observe(catalysts.Evidence{HeadlineID: "other", State: "b", Source: "independent.example",
		Title: "Bolt board backs deal with Acme in all-stock merger", Published: base.Add(2000 * time.Second)})
	if len(ts) != 1 || ts[0].Sources != 2 {
		t.Fatalf("an independent second story: %+v", ts)
	}
}
