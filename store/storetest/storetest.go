// Package storetest is the contract suite every store.Store implementation must pass.
//
// An implementation's test calls Run with a function that opens a new, empty store:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "catalyst.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { db.Close() })
//			return db
//		})
//	}
//
// The suite uses no sleeps: it checks times the store assigns (outbox creation) against bounds
// read from the clock around the call.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/store"
)

// Run runs the contract suite, one subtest per promise. open must return a new, empty store
// each time and arrange for it to be closed when the subtest ends; Run may close it first, so
// Close must be safe to call twice.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Empty", testEmpty},
		{"CommitReadBack", testCommitReadBack},
		{"TimesRoundTrip", testTimesRoundTrip},
		{"IdempotentRecommit", testIdempotentRecommit},
		{"CommitIsAtomic", testCommitIsAtomic},
		{"CommitRejectsMissingKeys", testCommitRejectsMissingKeys},
		{"CommitCanceled", testCommitCanceled},
		{"StatesUpsert", testStatesUpsert},
		{"Signals", testSignals},
		{"Transitions", testTransitions},
		{"TransitionRecommitKeepsFirst", testTransitionRecommitKeepsFirst},
		{"Unseen5000", testUnseen5000},
		{"PruneSeen", testPruneSeen},
		{"PruneSeenDefaultFirstSeen", testPruneSeenDefaultFirstSeen},
		{"FeedState", testFeedState},
		{"OutboxUnique", testOutboxUnique},
		{"DueOrderAndLimit", testDueOrderAndLimit},
		{"DueNextAttempt", testDueNextAttempt},
		{"MarkDelivered", testMarkDelivered},
		{"MarkFailed", testMarkFailed},
		{"MarkNotFound", testMarkNotFound},
		{"OutboxStatsAndList", testOutboxStatsAndList},
		{"ConcurrentCommit", testConcurrentCommit},
		{"Close", testClose},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// t0 has nanoseconds that survive no coarser encoding.
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func headline(id string, firstSeen time.Time) feeds.Headline {
	return feeds.Headline{
		ID: id, Source: "reuters.com", Title: "Title " + id, Summary: "Summary " + id,
		Link: "https://example.com/" + id, Published: firstSeen.Add(-time.Minute), FirstSeen: firstSeen,
		Feed: "reuters", GUID: "guid-" + id,
	}
}

func signal(catalyst, state, id string, published time.Time) store.Signal {
	return store.Signal{
		Catalyst: catalyst, State: state, HeadlineID: id, Source: "reuters.com",
		Title: "Title " + id, Link: "https://example.com/" + id,
		Published: published, FirstSeen: published.Add(time.Minute), Trusted: true,
		Cluster: "cluster-" + id, Rule: "rule-" + state,
	}
}

func feedState(name string) store.FeedState {
	return store.FeedState{
		Name: name, URL: "https://example.com/" + name + ".xml", ETag: `W/"abc"`,
		LastModified: "Sat, 14 Mar 2026 15:00:00 GMT", BodyHash: "sha256:0123",
		PermanentURL: "https://example.org/" + name + ".xml",
		LastPoll:     at(time.Minute), LastSuccess: at(0), NextPoll: at(6 * time.Minute),
		Failures: 2, Status: store.FeedFailing, LastError: "503 Service Unavailable",
	}
}

func commit(t *testing.T, s store.Store, b store.Batch) {
	t.Helper()
	if err := s.Commit(t.Context(), b); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// utcSignals returns a copy of sigs with every time in UTC, as a store returns them.
func utcSignals(sigs []store.Signal) []store.Signal {
	if sigs == nil {
		return nil
	}
	out := make([]store.Signal, len(sigs))
	for i, s := range sigs {
		s.Published, s.FirstSeen = s.Published.UTC(), s.FirstSeen.UTC()
		out[i] = s
	}
	return out
}

func utcTransition(tr store.Transition) store.Transition {
	tr.At, tr.RecordedAt = tr.At.UTC(), tr.RecordedAt.UTC()
	tr.Evidence = utcSignals(tr.Evidence)
	return tr
}

func utcFeed(f store.FeedState) store.FeedState {
	f.LastPoll, f.LastSuccess, f.NextPoll = f.LastPoll.UTC(), f.LastSuccess.UTC(), f.NextPoll.UTC()
	return f
}

// equal fails t unless got deep-equals want. Times must match exactly, including the UTC location.
func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// equalIDs fails t unless got and want hold the same strings in the same order (nil and empty
// are equal).
func equalIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func unseen(t *testing.T, s store.Store, ids ...string) []string {
	t.Helper()
	got, err := s.Unseen(t.Context(), ids)
	if err != nil {
		t.Fatalf("Unseen: %v", err)
	}
	return got
}

func signals(t *testing.T, s store.Store, catalyst string, since time.Time) []store.Signal {
	t.Helper()
	got, err := s.Signals(t.Context(), catalyst, since)
	if err != nil {
		t.Fatalf("Signals: %v", err)
	}
	return got
}

func transitions(t *testing.T, s store.Store, catalyst string, limit int) []store.Transition {
	t.Helper()
	got, err := s.Transitions(t.Context(), catalyst, limit)
	if err != nil {
		t.Fatalf("Transitions: %v", err)
	}
	return got
}

func states(t *testing.T, s store.Store) map[string]store.CatalystState {
	t.Helper()
	got, err := s.States(t.Context())
	if err != nil {
		t.Fatalf("States: %v", err)
	}
	return got
}

func due(t *testing.T, s store.Store, now time.Time, limit int) []store.OutboxItem {
	t.Helper()
	got, err := s.Due(t.Context(), now, limit)
	if err != nil {
		t.Fatalf("Due: %v", err)
	}
	return got
}

func listOutbox(t *testing.T, s store.Store, status string, limit int) []store.OutboxStatus {
	t.Helper()
	got, err := s.ListOutbox(t.Context(), status, limit)
	if err != nil {
		t.Fatalf("ListOutbox(%q): %v", status, err)
	}
	return got
}

func outboxStats(t *testing.T, s store.Store) store.OutboxStats {
	t.Helper()
	got, err := s.OutboxStats(t.Context())
	if err != nil {
		t.Fatalf("OutboxStats: %v", err)
	}
	return got
}

// outboxRow returns the single outbox row with the given id.
func outboxRow(t *testing.T, s store.Store, id int64) store.OutboxStatus {
	t.Helper()
	for _, o := range listOutbox(t, s, "", 0) {
		if o.ID == id {
			return o
		}
	}
	t.Fatalf("outbox row %d not listed", id)
	return store.OutboxStatus{}
}

func ids(items []store.OutboxItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// sampleBatch is one poll's worth of everything.
func sampleBatch() store.Batch {
	s1 := signal("fed-cut", "cut", "h1", at(0))
	s2 := signal("fed-cut", "cut", "h2", at(time.Minute))
	s2.Trusted = false
	return store.Batch{
		Headlines: []feeds.Headline{headline("h1", at(time.Minute)), headline("h2", at(2*time.Minute)), headline("h3", at(3*time.Minute))},
		Signals:   []store.Signal{s1, s2},
		States:    []store.CatalystState{{Catalyst: "fed-cut", State: "cut", Since: at(time.Minute)}},
		Transitions: []store.Transition{{
			Key: "fed-cut|hold|cut|" + at(time.Minute).Format(time.RFC3339Nano), Catalyst: "fed-cut",
			From: "hold", To: "cut", At: at(time.Minute), Rule: "two-sources",
			Evidence: []store.Signal{s2, s1}, RecordedAt: at(3 * time.Minute),
		}},
		Outbox: []store.OutboxEntry{
			{Key: "fed-cut|hold|cut|" + at(time.Minute).Format(time.RFC3339Nano), Channel: "slack", Payload: []byte(`{"n":1}`)},
			{Key: "fed-cut|hold|cut|" + at(time.Minute).Format(time.RFC3339Nano), Channel: "email", Payload: []byte(`{"n":2}`)},
		},
		Feeds: []store.FeedState{feedState("reuters")},
	}
}

func testEmpty(t *testing.T, s store.Store) {
	ctx := t.Context()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := s.Commit(ctx, store.Batch{}); err != nil {
		t.Fatalf("Commit(empty): %v", err)
	}
	if got := states(t, s); got == nil || len(got) != 0 {
		t.Errorf("States = %#v, want an empty non-nil map", got)
	}
	if got := signals(t, s, "", time.Time{}); len(got) != 0 {
		t.Errorf("Signals = %v, want none", got)
	}
	if got := transitions(t, s, "", 0); len(got) != 0 {
		t.Errorf("Transitions = %v, want none", got)
	}
	if got, err := s.FeedStates(ctx); err != nil || len(got) != 0 {
		t.Errorf("FeedStates = %v, %v; want none", got, err)
	}
	equal(t, "OutboxStats", outboxStats(t, s), store.OutboxStats{})
	if got := listOutbox(t, s, "", 0); len(got) != 0 {
		t.Errorf("ListOutbox = %v, want none", got)
	}
	if got := due(t, s, time.Now(), 10); len(got) != 0 {
		t.Errorf("Due = %v, want none", got)
	}
	if got := unseen(t, s); len(got) != 0 {
		t.Errorf("Unseen() = %v, want none", got)
	}
	equalIDs(t, "Unseen", unseen(t, s, "b", "a"), []string{"b", "a"})
	if n, err := s.PruneSeen(ctx, time.Now()); err != nil || n != 0 {
		t.Errorf("PruneSeen = %d, %v; want 0, nil", n, err)
	}
}

func testCommitReadBack(t *testing.T, s store.Store) {
	ctx := t.Context()
	b := sampleBatch()
	before := time.Now()
	commit(t, s, b)
	after := time.Now()

	equalIDs(t, "Unseen", unseen(t, s, "h0", "h1", "h2", "h3", "h4"), []string{"h0", "h4"})
	equal(t, "Signals", signals(t, s, "fed-cut", time.Time{}), utcSignals(b.Signals))
	equal(t, "States", states(t, s), map[string]store.CatalystState{
		"fed-cut": {Catalyst: "fed-cut", State: "cut", Since: at(time.Minute)},
	})
	equal(t, "Transitions", transitions(t, s, "fed-cut", 10), []store.Transition{utcTransition(b.Transitions[0])})
	f, err := s.FeedState(ctx, "reuters")
	if err != nil {
		t.Fatalf("FeedState: %v", err)
	}
	equal(t, "FeedState", f, utcFeed(b.Feeds[0]))

	items := due(t, s, after, 10)
	if len(items) != 2 {
		t.Fatalf("Due = %d items, want 2", len(items))
	}
	for i, it := range items {
		want := b.Outbox[i]
		if it.Key != want.Key || it.Channel != want.Channel || !bytes.Equal(it.Payload, want.Payload) || it.Attempts != 0 {
			t.Errorf("Due[%d] = %+v, want key %q channel %q payload %s attempts 0", i, it, want.Key, want.Channel, want.Payload)
		}
		if it.CreatedAt.Before(before) || it.CreatedAt.After(after) || it.CreatedAt.Location() != time.UTC {
			t.Errorf("Due[%d].CreatedAt = %v, want a UTC time in [%v, %v]", i, it.CreatedAt, before, after)
		}
	}
	if items[0].ID >= items[1].ID {
		t.Errorf("Due ids %v not ascending", ids(items))
	}
	for _, o := range listOutbox(t, s, store.OutboxPending, 0) {
		if o.Status != store.OutboxPending || !o.NextAttempt.Equal(o.CreatedAt) || !o.DeliveredAt.IsZero() || !o.FailedAt.IsZero() || o.LastError != "" {
			t.Errorf("new outbox row %+v: want pending, next attempt = creation time, no delivery, failure or error", o)
		}
	}
}

func testTimesRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	tokyo := time.FixedZone("JST", 9*3600)
	odd := time.Date(2031, 12, 31, 23, 59, 59, 999999999, tokyo)
	early := time.Date(1970, 1, 1, 0, 0, 0, 1, time.UTC)
	pre := time.Date(1969, 7, 20, 20, 17, 40, 123456789, time.UTC)
	withMono := time.Now() // carries a monotonic reading

	sig := signal("c", "s", "h", odd)
	sig.FirstSeen = pre
	sig2 := signal("c0", "s", "h-zero", time.Time{}) // zero times survive as zero
	sig2.FirstSeen = time.Time{}
	tr := store.Transition{Key: "k", Catalyst: "c", From: "a", To: "s", At: early, RecordedAt: withMono, Evidence: []store.Signal{sig}}
	fs := store.FeedState{Name: "f", LastPoll: odd, LastSuccess: withMono} // NextPoll zero
	commit(t, s, store.Batch{
		Signals:     []store.Signal{sig, sig2},
		States:      []store.CatalystState{{Catalyst: "c", State: "s", Since: odd}, {Catalyst: "z", State: "s"}},
		Transitions: []store.Transition{tr},
		Feeds:       []store.FeedState{fs},
	})
	equal(t, "Signals", signals(t, s, "c", time.Time{}), utcSignals([]store.Signal{sig}))
	equal(t, "Signals with zero times", signals(t, s, "c0", time.Time{}), []store.Signal{sig2})
	equal(t, "States", states(t, s), map[string]store.CatalystState{
		"c": {Catalyst: "c", State: "s", Since: odd.UTC()},
		"z": {Catalyst: "z", State: "s"},
	})
	equal(t, "Transitions", transitions(t, s, "c", 0), []store.Transition{utcTransition(tr)})
	got, err := s.FeedState(ctx, "f")
	if err != nil {
		t.Fatalf("FeedState: %v", err)
	}
	equal(t, "FeedState", got, utcFeed(fs))

	// The outbox's own times: MarkRetry's next and MarkDelivered's at come back exactly.
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: "k", Channel: "c"}}})
	id := listOutbox(t, s, "", 0)[0].ID
	if err := s.MarkRetry(ctx, id, 1, odd, "x"); err != nil {
		t.Fatalf("MarkRetry: %v", err)
	}
	equal(t, "NextAttempt", outboxRow(t, s, id).NextAttempt, odd.UTC())
	if err := s.MarkDelivered(ctx, id, withMono); err != nil {
		t.Fatalf("MarkDelivered: %v", err)
	}
	equal(t, "DeliveredAt", outboxRow(t, s, id).DeliveredAt, withMono.UTC())
}

func testIdempotentRecommit(t *testing.T, s store.Store) {
	b := sampleBatch()
	commit(t, s, b)
	sigs, trs := signals(t, s, "", time.Time{}), transitions(t, s, "", 0)
	rows, st := listOutbox(t, s, "", 0), states(t, s)
	feedsBefore, err := s.FeedStates(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	commit(t, s, b)
	commit(t, s, sampleBatch())
	equal(t, "Signals after recommit", signals(t, s, "", time.Time{}), sigs)
	equal(t, "Transitions after recommit", transitions(t, s, "", 0), trs)
	equal(t, "ListOutbox after recommit", listOutbox(t, s, "", 0), rows)
	equal(t, "States after recommit", states(t, s), st)
	feedsAfter, err := s.FeedStates(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "FeedStates after recommit", feedsAfter, feedsBefore)
	equalIDs(t, "Unseen after recommit", unseen(t, s, "h1", "h2", "h3"), []string{})

	// A signal stored again with other details keeps the first copy.
	changed := b.Signals[0]
	changed.Title, changed.Trusted = "rewritten", false
	commit(t, s, store.Batch{Signals: []store.Signal{changed}})
	equal(t, "Signals after changed recommit", signals(t, s, "", time.Time{}), sigs)
}

func testCommitIsAtomic(t *testing.T, s store.Store) {
	b := sampleBatch()
	// A time outside the supported range makes the last part of the batch fail.
	b.Feeds[0].NextPoll = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Commit(t.Context(), b); err == nil {
		t.Fatal("Commit with an out-of-range time succeeded")
	}
	equalIDs(t, "Unseen", unseen(t, s, "h1", "h2"), []string{"h1", "h2"})
	if got := signals(t, s, "", time.Time{}); len(got) != 0 {
		t.Errorf("Signals = %v, want none", got)
	}
	if got := states(t, s); len(got) != 0 {
		t.Errorf("States = %v, want none", got)
	}
	if got := transitions(t, s, "", 0); len(got) != 0 {
		t.Errorf("Transitions = %v, want none", got)
	}
	if got := listOutbox(t, s, "", 0); len(got) != 0 {
		t.Errorf("ListOutbox = %v, want none", got)
	}
	// The store is still usable afterwards.
	commit(t, s, sampleBatch())
	equalIDs(t, "Unseen after good commit", unseen(t, s, "h1", "h2"), []string{})
}

func testCommitRejectsMissingKeys(t *testing.T, s store.Store) {
	bad := map[string]store.Batch{
		"headline id":     {Headlines: []feeds.Headline{{Title: "no id"}}},
		"signal catalyst": {Signals: []store.Signal{{State: "s", HeadlineID: "h"}}},
		"signal state":    {Signals: []store.Signal{{Catalyst: "c", HeadlineID: "h"}}},
		"signal headline": {Signals: []store.Signal{{Catalyst: "c", State: "s"}}},
		"state catalyst":  {States: []store.CatalystState{{State: "s"}}},
		"transition key":  {Transitions: []store.Transition{{Catalyst: "c", From: "a", To: "b"}}},
		"evidence":        {Transitions: []store.Transition{{Key: "k", Catalyst: "c", Evidence: []store.Signal{{Catalyst: "c"}}}}},
		"outbox key":      {Outbox: []store.OutboxEntry{{Channel: "slack"}}},
		"outbox channel":  {Outbox: []store.OutboxEntry{{Key: "k"}}},
		"feed name":       {Feeds: []store.FeedState{{URL: "https://example.com"}}},
	}
	for name, b := range bad {
		b.Headlines = append(b.Headlines, headline("ok", t0))
		if err := s.Commit(t.Context(), b); err == nil {
			t.Errorf("%s: Commit succeeded, want an error", name)
		}
	}
	equalIDs(t, "Unseen", unseen(t, s, "ok"), []string{"ok"})
}

func testCommitCanceled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Commit(ctx, sampleBatch()); err == nil {
		t.Fatal("Commit with a canceled context succeeded")
	}
	equalIDs(t, "Unseen", unseen(t, s, "h1"), []string{"h1"})
}

func testStatesUpsert(t *testing.T, s store.Store) {
	commit(t, s, store.Batch{States: []store.CatalystState{
		{Catalyst: "a", State: "rumoured", Since: at(0)},
		{Catalyst: "b", State: "idle", Since: at(time.Hour)},
	}})
	commit(t, s, store.Batch{States: []store.CatalystState{{Catalyst: "a", State: "confirmed", Since: at(2 * time.Hour)}}})
	equal(t, "States", states(t, s), map[string]store.CatalystState{
		"a": {Catalyst: "a", State: "confirmed", Since: at(2 * time.Hour)},
		"b": {Catalyst: "b", State: "idle", Since: at(time.Hour)},
	})
}

func testSignals(t *testing.T, s store.Store) {
	a1 := signal("a", "up", "h2", at(time.Hour))
	a2 := signal("a", "up", "h1", at(time.Hour)) // same time: ordered by headline id
	a3 := signal("a", "up", "h3", at(0))
	a4 := signal("a", "down", "h1", at(2*time.Hour)) // same headline, other state
	b1 := signal("b", "up", "h4", at(30*time.Minute))
	commit(t, s, store.Batch{Signals: []store.Signal{a1, a2, a3}})
	commit(t, s, store.Batch{Signals: []store.Signal{a4, b1}})

	equal(t, "Signals(a, zero)", signals(t, s, "a", time.Time{}), utcSignals([]store.Signal{a3, a2, a1, a4}))
	equal(t, "Signals(a, 1h) is inclusive", signals(t, s, "a", at(time.Hour)), utcSignals([]store.Signal{a2, a1, a4}))
	equal(t, "Signals(a, 1h+1ns)", signals(t, s, "a", at(time.Hour+1)), utcSignals([]store.Signal{a4}))
	equal(t, "Signals(all)", signals(t, s, "", time.Time{}), utcSignals([]store.Signal{a3, b1, a2, a1, a4}))
	if got := signals(t, s, "a", at(3*time.Hour)); len(got) != 0 {
		t.Errorf("Signals after the last = %v, want none", got)
	}
	if got := signals(t, s, "unknown", time.Time{}); len(got) != 0 {
		t.Errorf("Signals(unknown) = %v, want none", got)
	}
}

func testTransitions(t *testing.T, s store.Store) {
	old := signal("a", "up", "h1", at(0))
	commit(t, s, store.Batch{Signals: []store.Signal{old}})

	// Evidence may reference a signal committed earlier, one in the same batch, or one given
	// only as evidence (stored as a signal too).
	same := signal("a", "up", "h2", at(time.Minute))
	only := signal("a", "up", "h3", at(2*time.Minute))
	t1 := store.Transition{Key: "a1", Catalyst: "a", From: "idle", To: "up", At: at(2 * time.Minute), Rule: "r1",
		Evidence: []store.Signal{only, old, same}, RecordedAt: at(3 * time.Minute)}
	t2 := store.Transition{Key: "a2", Catalyst: "a", From: "up", To: "down", At: at(time.Hour), Rule: "r2",
		RecordedAt: at(time.Hour)}
	t3 := store.Transition{Key: "b1", Catalyst: "b", From: "idle", To: "up", At: at(30 * time.Minute), Rule: "r3",
		Evidence: []store.Signal{signal("b", "up", "h9", at(30*time.Minute))}, RecordedAt: at(31 * time.Minute)}
	commit(t, s, store.Batch{Signals: []store.Signal{same}, Transitions: []store.Transition{t1}})
	commit(t, s, store.Batch{Transitions: []store.Transition{t3, t2}})

	equal(t, "Transitions(a)", transitions(t, s, "a", 0), []store.Transition{utcTransition(t2), utcTransition(t1)})
	equal(t, "Transitions(a, 1)", transitions(t, s, "a", 1), []store.Transition{utcTransition(t2)})
	equal(t, "Transitions(all)", transitions(t, s, "", 0), []store.Transition{utcTransition(t2), utcTransition(t3), utcTransition(t1)})
	equal(t, "Transitions(all, 2)", transitions(t, s, "", 2), []store.Transition{utcTransition(t2), utcTransition(t3)})
	if got := transitions(t, s, "unknown", 0); len(got) != 0 {
		t.Errorf("Transitions(unknown) = %v, want none", got)
	}
	equal(t, "Signals(a)", signals(t, s, "a", time.Time{}), utcSignals([]store.Signal{old, same, only}))

	// Equal At: the later committed comes first.
	t4 := store.Transition{Key: "a3", Catalyst: "a", From: "down", To: "up", At: at(time.Hour), Rule: "r4", RecordedAt: at(2 * time.Hour)}
	commit(t, s, store.Batch{Transitions: []store.Transition{t4}})
	equal(t, "Transitions(a, 2) with a tie", transitions(t, s, "a", 2), []store.Transition{utcTransition(t4), utcTransition(t2)})
}

func testTransitionRecommitKeepsFirst(t *testing.T, s store.Store) {
	ev := signal("a", "up", "h1", at(0))
	first := store.Transition{Key: "k", Catalyst: "a", From: "idle", To: "up", At: at(0), Rule: "first",
		Evidence: []store.Signal{ev}, RecordedAt: at(time.Minute)}
	commit(t, s, store.Batch{
		Transitions: []store.Transition{first},
		Outbox:      []store.OutboxEntry{{Key: "k", Channel: "slack", Payload: []byte("first")}},
	})
	again := first
	again.Rule = "second"
	again.Evidence = []store.Signal{ev, signal("a", "up", "h2", at(time.Minute))}
	commit(t, s, store.Batch{
		Transitions: []store.Transition{again},
		Outbox:      []store.OutboxEntry{{Key: "k", Channel: "slack", Payload: []byte("second")}},
	})
	equal(t, "Transitions", transitions(t, s, "", 0), []store.Transition{utcTransition(first)})
	rows := due(t, s, time.Now(), 0)
	if len(rows) != 1 || string(rows[0].Payload) != "first" {
		t.Errorf("Due = %+v, want the first outbox row only", rows)
	}
}

func testUnseen5000(t *testing.T, s store.Store) {
	const n = 5000
	all := make([]string, n)
	var b store.Batch
	for i := range all {
		all[i] = fmt.Sprintf("id-%05d", i)
		if i%2 == 0 {
			b.Headlines = append(b.Headlines, headline(all[i], at(time.Duration(i)*time.Second)))
		}
	}
	commit(t, s, b)

	// Input order is kept, whatever it is.
	in := slices.Clone(all)
	slices.Reverse(in)
	in[0], in[n/2] = in[n/2], in[0]
	var want []string
	for _, id := range in {
		var i int
		fmt.Sscanf(id, "id-%d", &i)
		if i%2 == 1 {
			want = append(want, id)
		}
	}
	got := unseen(t, s, in...)
	if !slices.Equal(got, want) {
		t.Errorf("Unseen(5000 ids) = %d ids, want %d in input order (first got %v)", len(got), len(want), got[:min(3, len(got))])
	}
	// Duplicates in the input are kept.
	equalIDs(t, "Unseen with duplicates", unseen(t, s, "x", all[0], "x", all[1]), []string{"x", "x", all[1]})
}

func testPruneSeen(t *testing.T, s store.Store) {
	commit(t, s, store.Batch{
		Headlines: []feeds.Headline{
			headline("old", at(0)),
			headline("old-referenced", at(0)),
			headline("old-evidence", at(0)),
			headline("boundary", at(time.Hour)), // first seen exactly at `before`: kept
			headline("new", at(2*time.Hour)),
		},
		Signals: []store.Signal{signal("a", "up", "old-referenced", at(0))},
		Transitions: []store.Transition{{Key: "k", Catalyst: "b", From: "x", To: "y", At: at(0),
			Evidence: []store.Signal{signal("b", "y", "old-evidence", at(0))}}},
	})
	n, err := s.PruneSeen(t.Context(), at(time.Hour))
	if err != nil {
		t.Fatalf("PruneSeen: %v", err)
	}
	if n != 1 {
		t.Errorf("PruneSeen = %d, want 1", n)
	}
	equalIDs(t, "Unseen after prune", unseen(t, s, "old", "old-referenced", "old-evidence", "boundary", "new"), []string{"old"})
	if n, err := s.PruneSeen(t.Context(), at(time.Hour)); err != nil || n != 0 {
		t.Errorf("second PruneSeen = %d, %v; want 0, nil", n, err)
	}
	if n, err := s.PruneSeen(t.Context(), time.Time{}); err != nil || n != 0 {
		t.Errorf("PruneSeen(zero) = %d, %v; want 0, nil", n, err)
	}
}

// testPruneSeenDefaultFirstSeen checks that a headline without FirstSeen counts as first seen
// at commit time.
func testPruneSeenDefaultFirstSeen(t *testing.T, s store.Store) {
	before := time.Now()
	h := headline("no-first-seen", time.Time{})
	h.Published = time.Time{}
	commit(t, s, store.Batch{Headlines: []feeds.Headline{h}})
	after := time.Now()
	if n, err := s.PruneSeen(t.Context(), before.Add(-time.Nanosecond)); err != nil || n != 0 {
		t.Errorf("PruneSeen before commit time = %d, %v; want 0, nil", n, err)
	}
	if n, err := s.PruneSeen(t.Context(), after.Add(time.Nanosecond)); err != nil || n != 1 {
		t.Errorf("PruneSeen after commit time = %d, %v; want 1, nil", n, err)
	}
	equalIDs(t, "Unseen after prune", unseen(t, s, "no-first-seen"), []string{"no-first-seen"})
}

func testFeedState(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.FeedState(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FeedState(missing) error = %v, want ErrNotFound", err)
	}
	a, b := feedState("b-feed"), feedState("a-feed")
	b.Status, b.Failures, b.LastError, b.PermanentURL = store.FeedOK, 0, "", ""
	commit(t, s, store.Batch{Feeds: []store.FeedState{a, b}})
	got, err := s.FeedState(ctx, "b-feed")
	if err != nil {
		t.Fatalf("FeedState: %v", err)
	}
	equal(t, "FeedState", got, utcFeed(a))

	// Upsert replaces every field, including clearing ones.
	a2 := store.FeedState{Name: "b-feed", URL: "https://new.example.com/feed", LastPoll: at(time.Hour), Status: store.FeedDead, Failures: 9}
	commit(t, s, store.Batch{Feeds: []store.FeedState{a2}})
	all, err := s.FeedStates(ctx)
	if err != nil {
		t.Fatalf("FeedStates: %v", err)
	}
	equal(t, "FeedStates", all, []store.FeedState{utcFeed(b), utcFeed(a2)})
}

func testOutboxUnique(t *testing.T, s store.Store) {
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{
		{Key: "k1", Channel: "slack", Payload: []byte("a")},
		{Key: "k1", Channel: "slack", Payload: []byte("b")}, // same pair in one batch
		{Key: "k1", Channel: "email", Payload: []byte("c")},
		{Key: "k2", Channel: "slack", Payload: []byte("d")},
	}})
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: "k1", Channel: "slack", Payload: []byte("e")}}})
	items := due(t, s, time.Now(), 0)
	var got []string
	for _, it := range items {
		got = append(got, it.Key+"/"+it.Channel+"="+string(it.Payload))
	}
	equal(t, "Due", got, []string{"k1/slack=a", "k1/email=c", "k2/slack=d"})
	if st := outboxStats(t, s); st.Pending != 3 {
		t.Errorf("OutboxStats.Pending = %d, want 3", st.Pending)
	}
	// A delivered pair is not re-created either.
	if err := s.MarkDelivered(t.Context(), items[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: "k1", Channel: "slack", Payload: []byte("f")}}})
	if got := due(t, s, time.Now(), 0); len(got) != 2 {
		t.Errorf("Due after re-adding a delivered pair = %d rows, want 2", len(got))
	}
}

func testDueOrderAndLimit(t *testing.T, s store.Store) {
	for i := range 5 {
		commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: fmt.Sprintf("k%d", i), Channel: "slack"}}})
	}
	now := time.Now()
	all := due(t, s, now, 0)
	if len(all) != 5 {
		t.Fatalf("Due = %d rows, want 5", len(all))
	}
	for i, it := range all {
		if want := fmt.Sprintf("k%d", i); it.Key != want {
			t.Errorf("Due[%d].Key = %q, want %q (oldest first)", i, it.Key, want)
		}
		if i > 0 && it.ID <= all[i-1].ID {
			t.Errorf("Due ids %v not ascending", ids(all))
		}
		if i > 0 && it.CreatedAt.Before(all[i-1].CreatedAt) {
			t.Errorf("Due[%d].CreatedAt %v before Due[%d].CreatedAt %v", i, it.CreatedAt, i-1, all[i-1].CreatedAt)
		}
	}
	equal(t, "Due(limit 2)", ids(due(t, s, now, 2)), ids(all[:2]))

	// Retrying the oldest row does not reorder: it stays first once due again.
	if err := s.MarkRetry(t.Context(), all[0].ID, 1, now, "timeout"); err != nil {
		t.Fatal(err)
	}
	equal(t, "Due after retry", ids(due(t, s, now, 0)), ids(all))
}

func testDueNextAttempt(t *testing.T, s store.Store) {
	ctx := t.Context()
	before := time.Now()
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: "a", Channel: "slack"}, {Key: "b", Channel: "slack"}}})
	after := time.Now()
	if got := due(t, s, before.Add(-time.Nanosecond), 0); len(got) != 0 {
		t.Errorf("Due before creation = %v, want none", got)
	}
	rows := due(t, s, after, 0)
	if len(rows) != 2 {
		t.Fatalf("Due at creation = %d rows, want 2", len(rows))
	}
	// Due at exactly the creation time includes the row.
	if got := due(t, s, rows[0].CreatedAt, 0); len(got) == 0 || got[0].ID != rows[0].ID {
		t.Errorf("Due(createdAt) = %v, want row %d first", ids(got), rows[0].ID)
	}

	next := after.Add(time.Hour)
	if err := s.MarkRetry(ctx, rows[0].ID, 3, next, "503"); err != nil {
		t.Fatalf("MarkRetry: %v", err)
	}
	equal(t, "Due before next attempt", ids(due(t, s, next.Add(-time.Nanosecond), 0)), []int64{rows[1].ID})
	got := due(t, s, next, 0) // inclusive
	equal(t, "Due at next attempt", ids(got), []int64{rows[0].ID, rows[1].ID})
	if got[0].Attempts != 3 {
		t.Errorf("Due[0].Attempts = %d, want 3", got[0].Attempts)
	}
	o := outboxRow(t, s, rows[0].ID)
	if o.Status != store.OutboxPending || o.Attempts != 3 || !o.NextAttempt.Equal(next) || o.LastError != "503" {
		t.Errorf("row after MarkRetry = %+v, want pending, 3 attempts, next %v, last error 503", o, next)
	}
	if !o.CreatedAt.Equal(rows[0].CreatedAt) {
		t.Errorf("MarkRetry changed CreatedAt: %v, want %v", o.CreatedAt, rows[0].CreatedAt)
	}
}

func testMarkDelivered(t *testing.T, s store.Store) {
	ctx := t.Context()
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: "a", Channel: "slack"}, {Key: "b", Channel: "slack"}}})
	rows := due(t, s, time.Now(), 0)
	id := rows[0].ID
	if err := s.MarkRetry(ctx, id, 1, time.Now(), "flaky"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDelivered(ctx, id, at(0)); err != nil {
		t.Fatalf("MarkDelivered: %v", err)
	}
	far := time.Now().Add(24 * time.Hour)
	equal(t, "Due after delivery", ids(due(t, s, far, 0)), []int64{rows[1].ID})
	o := outboxRow(t, s, id)
	if o.Status != store.OutboxDelivered || !o.DeliveredAt.Equal(at(0)) || o.Attempts != 1 || !o.FailedAt.IsZero() {
		t.Errorf("row after MarkDelivered = %+v, want delivered at %v, attempts still 1", o, at(0))
	}

	// Idempotent: a second delivery keeps the first time and count.
	if err := s.MarkDelivered(ctx, id, at(time.Hour)); err != nil {
		t.Fatalf("second MarkDelivered: %v", err)
	}
	equal(t, "row after second MarkDelivered", outboxRow(t, s, id), o)
	// A delivered row is never brought back.
	if err := s.MarkRetry(ctx, id, 5, time.Now(), "late"); err != nil {
		t.Fatalf("MarkRetry on delivered: %v", err)
	}
	if err := s.MarkFailed(ctx, id, time.Now(), "late"); err != nil {
		t.Fatalf("MarkFailed on delivered: %v", err)
	}
	equal(t, "row after MarkRetry/MarkFailed on delivered", outboxRow(t, s, id), o)
	equal(t, "Due after all", ids(due(t, s, far, 0)), []int64{rows[1].ID})
}

func testMarkFailed(t *testing.T, s store.Store) {
	ctx := t.Context()
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: "a", Channel: "webhook"}, {Key: "b", Channel: "webhook"}}})
	rows := due(t, s, time.Now(), 0)
	id := rows[0].ID
	if err := s.MarkFailed(ctx, id, at(0), "410 Gone"); err != nil {
		t.Fatalf("MarkFailed: %v", err)
	}
	far := time.Now().Add(24 * time.Hour)
	equal(t, "Due after failure", ids(due(t, s, far, 0)), []int64{rows[1].ID})
	o := outboxRow(t, s, id)
	if o.Status != store.OutboxFailed || !o.FailedAt.Equal(at(0)) || o.LastError != "410 Gone" || o.Attempts != 0 || !o.DeliveredAt.IsZero() {
		t.Errorf("row after MarkFailed = %+v, want failed at %v, 0 attempts, last error 410 Gone", o, at(0))
	}
	// A failed row stays failed under MarkRetry and MarkFailed.
	if err := s.MarkRetry(ctx, id, 7, time.Now(), "again"); err != nil {
		t.Fatalf("MarkRetry on failed: %v", err)
	}
	if err := s.MarkFailed(ctx, id, at(time.Hour), "again"); err != nil {
		t.Fatalf("second MarkFailed: %v", err)
	}
	equal(t, "row after MarkRetry/MarkFailed on failed", outboxRow(t, s, id), o)
	equal(t, "Due", ids(due(t, s, far, 0)), []int64{rows[1].ID})

	// A late success may still be recorded; the row is then delivered.
	if err := s.MarkDelivered(ctx, id, at(2*time.Hour)); err != nil {
		t.Fatalf("MarkDelivered on failed: %v", err)
	}
	o = outboxRow(t, s, id)
	if o.Status != store.OutboxDelivered || !o.DeliveredAt.Equal(at(2*time.Hour)) || !o.FailedAt.IsZero() {
		t.Errorf("failed row after MarkDelivered = %+v, want delivered at %v", o, at(2*time.Hour))
	}
	equal(t, "Due", ids(due(t, s, far, 0)), []int64{rows[1].ID})
}

func testMarkNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	commit(t, s, store.Batch{Outbox: []store.OutboxEntry{{Key: "a", Channel: "slack"}}})
	id := listOutbox(t, s, "", 0)[0].ID + 1000
	if err := s.MarkDelivered(ctx, id, time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkDelivered(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.MarkRetry(ctx, id, 1, time.Now(), "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkRetry(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.MarkFailed(ctx, id, time.Now(), "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkFailed(unknown) = %v, want ErrNotFound", err)
	}
	if st := outboxStats(t, s); st.Pending != 1 || st.Delivered != 0 || st.Failed != 0 {
		t.Errorf("OutboxStats = %+v, want 1 pending", st)
	}
}

func testOutboxStatsAndList(t *testing.T, s store.Store) {
	ctx := t.Context()
	var entries []store.OutboxEntry
	for i := range 6 {
		entries = append(entries, store.OutboxEntry{Key: fmt.Sprintf("k%d", i), Channel: "slack"})
	}
	before := time.Now()
	commit(t, s, store.Batch{Outbox: entries[:3]})
	commit(t, s, store.Batch{Outbox: entries[3:]})
	rows := due(t, s, time.Now(), 0)
	if len(rows) != 6 {
		t.Fatalf("Due = %d rows, want 6", len(rows))
	}
	for _, i := range []int{0, 3} {
		if err := s.MarkDelivered(ctx, rows[i].ID, at(0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkFailed(ctx, rows[1].ID, at(0), "bad"); err != nil {
		t.Fatal(err)
	}
	st := outboxStats(t, s)
	if st.Pending != 3 || st.Delivered != 2 || st.Failed != 1 {
		t.Errorf("OutboxStats = %+v, want 3 pending, 2 delivered, 1 failed", st)
	}
	// The oldest pending row is rows[2], created by the first commit.
	if !st.OldestPending.Equal(rows[2].CreatedAt) || st.OldestPending.Before(before) {
		t.Errorf("OldestPending = %v, want %v", st.OldestPending, rows[2].CreatedAt)
	}

	listIDs := func(status string, limit int) []int64 {
		var out []int64
		for _, o := range listOutbox(t, s, status, limit) {
			if status != "" && o.Status != status {
				t.Errorf("ListOutbox(%q) listed a %s row", status, o.Status)
			}
			out = append(out, o.ID)
		}
		return out
	}
	equal(t, "ListOutbox(all)", listIDs("", 0), []int64{rows[5].ID, rows[4].ID, rows[3].ID, rows[2].ID, rows[1].ID, rows[0].ID})
	equal(t, "ListOutbox(all, 2)", listIDs("", 2), []int64{rows[5].ID, rows[4].ID})
	equal(t, "ListOutbox(pending)", listIDs(store.OutboxPending, 0), []int64{rows[5].ID, rows[4].ID, rows[2].ID})
	equal(t, "ListOutbox(delivered)", listIDs(store.OutboxDelivered, 0), []int64{rows[3].ID, rows[0].ID})
	equal(t, "ListOutbox(failed)", listIDs(store.OutboxFailed, 0), []int64{rows[1].ID})
	if _, err := s.ListOutbox(ctx, "bogus", 0); err == nil {
		t.Error("ListOutbox(bogus) succeeded, want an error")
	}
	o := listOutbox(t, s, store.OutboxFailed, 0)[0]
	if o.Key != "k1" || o.Channel != "slack" || o.LastError != "bad" || !o.FailedAt.Equal(at(0)) {
		t.Errorf("failed row = %+v", o)
	}
}

// testConcurrentCommit commits overlapping batches from several goroutines while others read,
// then checks that every row exists exactly once.
func testConcurrentCommit(t *testing.T, s store.Store) {
	const workers, batches, perBatch = 6, 10, 20
	// Odd-numbered items are shared by workers 2k and 2k+1.
	idFor := func(w, i, j int) string {
		if j%2 == 1 {
			return fmt.Sprintf("shared-%d-%d", w/2, i*perBatch+j)
		}
		return fmt.Sprintf("own-%d-%d", w, i*perBatch+j)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*batches*4)
	for w := range workers {
		wg.Go(func() {
			for i := range batches {
				var b store.Batch
				for j := range perBatch {
					id := idFor(w, i, j)
					b.Headlines = append(b.Headlines, headline(id, at(time.Duration(i)*time.Second)))
					b.Signals = append(b.Signals, signal("c", "s", id, at(time.Duration(j)*time.Second)))
					b.Outbox = append(b.Outbox, store.OutboxEntry{Key: id, Channel: "slack"})
				}
				b.States = []store.CatalystState{{Catalyst: fmt.Sprintf("c%d", w), State: fmt.Sprint(i), Since: at(0)}}
				if err := s.Commit(context.Background(), b); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for range 20 {
				if _, err := s.Due(context.Background(), time.Now(), 50); err != nil {
					errs <- err
					return
				}
				if _, err := s.Unseen(context.Background(), []string{"own-0-0", "shared-0-1", "nope"}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent: %v", err)
	}

	want := make(map[string]bool)
	for w := range workers {
		for i := range batches {
			for j := range perBatch {
				want[idFor(w, i, j)] = true
			}
		}
	}
	if got := signals(t, s, "c", time.Time{}); len(got) != len(want) {
		t.Errorf("Signals = %d, want %d", len(got), len(want))
	}
	if st := outboxStats(t, s); st.Pending != len(want) {
		t.Errorf("OutboxStats.Pending = %d, want %d", st.Pending, len(want))
	}
	all := make([]string, 0, len(want))
	for id := range want {
		all = append(all, id)
	}
	if got := unseen(t, s, all...); len(got) != 0 {
		t.Errorf("Unseen = %d ids, want 0", len(got))
	}
	st := states(t, s)
	for w := range workers {
		if got := st[fmt.Sprintf("c%d", w)].State; got != fmt.Sprint(batches-1) {
			t.Errorf("state of c%d = %q, want %q", w, got, fmt.Sprint(batches-1))
		}
	}
}

func testClose(t *testing.T, s store.Store) {
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Ping(t.Context()); err == nil {
		t.Error("Ping after Close succeeded")
	}
	if err := s.Commit(t.Context(), sampleBatch()); err == nil {
		t.Error("Commit after Close succeeded")
	}
	_ = s.Close() // a second Close must not panic
}
