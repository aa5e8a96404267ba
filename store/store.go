// Package store defines catalyst's durable state: the headlines already seen, the classified
// signals, each catalyst's current state and its transitions, the feeds' polling state, and the
// outbox through which alerts are delivered exactly once.
//
// The package holds only the domain types and the Store interface. Implementations live in
// subpackages (store/sqlite; PostgreSQL later), and store/storetest is the contract suite every
// implementation must pass.
//
// Conventions shared by every implementation:
//
//   - Times are stored in UTC with nanosecond precision and come back in UTC: a stored time t
//     is returned as t' with t'.Equal(t) and t'.Location() == time.UTC. The zero time.Time is
//     stored as "no time" and returned as the zero time.Time. Times outside the years 1678–2262
//     are rejected with an error.
//   - A limit <= 0 means "no limit".
//   - Errors other than ErrNotFound are wrapped with a short lowercase context.
//   - All methods are safe for concurrent use.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/notify"
)

// ErrNotFound is returned, possibly wrapped, when a named or numbered record does not exist.
// Test for it with errors.Is.
var ErrNotFound = errors.New("not found")

// The feed statuses a FeedState may carry.
const (
	FeedOK      = "ok"
	FeedFailing = "failing"
	FeedDead    = "dead"
)

// The statuses of an outbox row.
const (
	OutboxPending   = "pending"   // waiting for its first or next delivery attempt
	OutboxDelivered = "delivered" // delivered; never attempted again
	OutboxFailed    = "failed"    // given up on; never attempted again
)

// CatalystState is the current state of one watched catalyst.
type CatalystState struct {
	Catalyst string
	State    string
	// Since is when the catalyst entered State (the At of the transition that led there).
	Since time.Time
}

// Signal is one headline's classified evidence for one catalyst state. A signal is identified by
// (Catalyst, State, HeadlineID); storing the same triple again is a no-op and keeps the first copy.
type Signal struct {
	Catalyst   string
	State      string
	HeadlineID string
	Source     string
	Title      string
	Link       string
	Published  time.Time
	FirstSeen  time.Time
	Trusted    bool
	// Cluster is the near-duplicate cluster id: copies of one story share it.
	Cluster string
	// Rule names the cue or rule that fired.
	Rule string
}

// Transition is one change of a catalyst's state, with the evidence that caused it.
type Transition struct {
	// Key is the idempotency key, derived from (catalyst, from, to, at); it is unique.
	Key      string
	Catalyst string
	From     string
	To       string
	// At is the published time of the headline that completed the evidence.
	At   time.Time
	Rule string
	// Evidence lists the signals behind the transition, in the order given at commit.
	Evidence []Signal
	// RecordedAt is when the transition was decided.
	RecordedAt time.Time
}

// FeedState is the polling state of one configured feed.
type FeedState struct {
	Name         string
	URL          string
	ETag         string
	LastModified string
	BodyHash     string
	// PermanentURL is remembered after a 301 or 308 redirect; empty otherwise.
	PermanentURL string
	LastPoll     time.Time
	LastSuccess  time.Time
	NextPoll     time.Time
	// Failures counts consecutive failed polls.
	Failures int
	// Status is FeedOK, FeedFailing or FeedDead.
	Status    string
	LastError string
}

// OutboxEntry is one alert to deliver on one channel. Key is normally the transition's
// idempotency key; (Key, Channel) is unique in the outbox.
type OutboxEntry struct {
	Key     string
	Channel string
	Payload []byte
}

// Batch is everything one poll produced. Commit stores it in one transaction: either all of it
// is stored or none of it.
type Batch struct {
	// Headlines are marked seen by ID. A headline already seen keeps its first record.
	Headlines []feeds.Headline
	// Signals are stored; a (Catalyst, State, HeadlineID) already stored is left unchanged.
	Signals []Signal
	// States are upserted by Catalyst.
	States []CatalystState
	// Transitions are stored with their evidence; a Key already stored is a no-op.
	Transitions []Transition
	// Outbox rows are created pending and due at once (NextAttempt = CreatedAt = commit time);
	// a (Key, Channel) already present, whatever its status, is a no-op.
	Outbox []OutboxEntry
	// Feeds are upserted by Name, replacing every field.
	Feeds []FeedState
}

// Empty reports whether b holds nothing to store.
func (b Batch) Empty() bool {
	return len(b.Headlines) == 0 && len(b.Signals) == 0 && len(b.States) == 0 &&
		len(b.Transitions) == 0 && len(b.Outbox) == 0 && len(b.Feeds) == 0
}

// OutboxStatus describes one outbox row for operators.
type OutboxStatus struct {
	ID      int64
	Key     string
	Channel string
	// Status is OutboxPending, OutboxDelivered or OutboxFailed.
	Status      string
	Attempts    int
	CreatedAt   time.Time
	NextAttempt time.Time
	DeliveredAt time.Time // zero unless delivered
	FailedAt    time.Time // zero unless failed
	LastError   string
}

// OutboxStats counts the outbox rows by status.
type OutboxStats struct {
	Pending   int
	Delivered int
	Failed    int
	// OldestPending is the creation time of the oldest pending row; zero when none is pending.
	OldestPending time.Time
}

// Store is catalyst's durable state. Implementations must pass storetest.Run.
//
// The embedded notify.Outbox methods behave as follows:
//
//   - Due returns up to limit pending rows whose next attempt is at or before now, oldest first
//     by ID. A row's CreatedAt never decreases as IDs grow, so this is also oldest first by
//     (CreatedAt, ID). Delivered and failed rows are never returned. A row created by Commit is
//     due from its creation time on. Due does not lease rows: run one dispatcher per store.
//   - MarkDelivered marks a pending or failed row delivered at `at`. Marking a delivered row
//     again is a no-op that keeps the first delivery time (idempotent). It returns ErrNotFound
//     when no row has that id.
//   - MarkRetry keeps a pending row pending and sets its attempt count to attempts, its next
//     attempt to next and its last error to lastErr. On a delivered or failed row it is a
//     no-op: a finished row is never brought back. ErrNotFound when no row has that id.
//   - MarkFailed marks a pending row failed at `at` with reason as its last error. On a
//     delivered or failed row it is a no-op. ErrNotFound when no row has that id.
//
// Attempts is the count last set by MarkRetry (the dispatcher's failed attempts); MarkDelivered
// and MarkFailed leave it unchanged.
type Store interface {
	notify.Outbox

	// Commit stores b in a single transaction; on error nothing of b is stored. Committing
	// the same batch twice is a no-op the second time, except that States and Feeds are
	// upserted again (to the same values). A transition whose Key is already stored is
	// skipped together with its evidence links. Evidence signals not already stored are
	// stored as signals. Outbox rows are unique by (Key, Channel), so re-committing a
	// transition's alerts never duplicates them.
	Commit(ctx context.Context, b Batch) error

	// Unseen returns the ids that were never committed as seen headlines, in input order
	// (duplicates in the input are kept). It handles any number of ids.
	Unseen(ctx context.Context, ids []string) ([]string, error)

	// PruneSeen deletes the seen headlines first seen before `before` that no stored signal
	// references, and returns how many it deleted. A pruned id is reported by Unseen again.
	PruneSeen(ctx context.Context, before time.Time) (int64, error)

	// States returns every catalyst's current state, keyed by catalyst.
	States(ctx context.Context) (map[string]CatalystState, error)

	// Signals returns the signals for catalyst ("" = every catalyst) published at or after
	// since (zero = no bound), ordered by published time, then headline id, catalyst and state.
	Signals(ctx context.Context, catalyst string, since time.Time) ([]Signal, error)

	// Transitions returns up to limit transitions of catalyst ("" = every catalyst), newest
	// first (by At, then most recently committed first), each with its evidence in commit order.
	Transitions(ctx context.Context, catalyst string, limit int) ([]Transition, error)

	// FeedState returns the state of the named feed, or ErrNotFound when it was never stored.
	FeedState(ctx context.Context, name string) (FeedState, error)

	// FeedStates returns every stored feed state, ordered by name.
	FeedStates(ctx context.Context) ([]FeedState, error)

	// OutboxStats counts the outbox rows by status.
	OutboxStats(ctx context.Context) (OutboxStats, error)

	// ListOutbox returns up to limit outbox rows with the given status ("" = any), newest
	// first (by ID). An unknown status is an error.
	ListOutbox(ctx context.Context, status string, limit int) ([]OutboxStatus, error)

	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error

	// Close releases the store. Calling any other method afterwards is an error.
	Close() error
}
