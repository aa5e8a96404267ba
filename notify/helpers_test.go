package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"
)

// t0 is the fake "now" of the tests.
var t0 = time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)

// happyHorse is the running example: one bullish transition with one headline.
func happyHorse() Alert {
	return Alert{
		Key:         "happyhorse-alibaba|unconfirmed|confirmed|2026-11-14",
		Kind:        KindTransition,
		CatalystID:  "happyhorse-alibaba",
		Name:        "HappyHorse-1.0 is Alibaba's",
		Description: "Whether the anonymous HappyHorse-1.0 video model is Alibaba's.",
		From:        "unconfirmed",
		To:          "confirmed",
		StateText:   "Alibaba has confirmed it built HappyHorse-1.0.",
		At:          t0,
		Tickers: []Ticker{
			{Symbol: "9988.HK", Impact: Bullish},
			{Symbol: "BABA", Primary: true, Impact: Bullish},
		},
		Evidence: []Evidence{{
			ID:        "e1",
			Title:     "Alibaba confirms it is behind HappyHorse-1.0 <video> model & more",
			Source:    "reuters.com",
			Link:      "https://reuters.com/a0dcde8045?x=1&y=2",
			Published: t0.Add(-5 * time.Minute),
			FirstSeen: t0.Add(-4 * time.Minute),
			Trusted:   true,
		}},
		Sources: 1,
		Rule:    "confirmation-by-trusted-source",
	}
}

// operatorAlert is an operator message.
func operatorAlert() Alert {
	return Alert{
		Key:  "operator|feed-down|reuters",
		Kind: KindOperator,
		Name: "Feed reuters is failing",
		At:   t0,
		Text: "Feed reuters has failed 5 times in a row.\nLast error: HTTP 503.",
	}
}

// fakeClock is a manual clock; Sleep advances it instead of sleeping and records the duration.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// memOutbox is an in-memory Outbox, standing in for the store until it exists.
type memOutbox struct {
	mu     sync.Mutex
	nextID int64
	rows   map[int64]*memRow
}

type memRow struct {
	item        OutboxItem
	next        time.Time
	delivered   int // MarkDelivered calls
	deliveredAt time.Time
	failed      bool
	reason      string
	lastErr     string
}

func newMemOutbox() *memOutbox { return &memOutbox{rows: map[int64]*memRow{}} }

// add enqueues a for channel at created, due immediately.
func (o *memOutbox) add(t *testing.T, channel string, a Alert, created time.Time) int64 {
	t.Helper()
	payload, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nextID++
	o.rows[o.nextID] = &memRow{
		item: OutboxItem{ID: o.nextID, Channel: channel, Key: a.Key, Payload: payload, CreatedAt: created},
		next: created,
	}
	return o.nextID
}

func (o *memOutbox) Due(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []OutboxItem
	for _, r := range o.rows {
		if r.delivered == 0 && !r.failed && !r.next.After(now) {
			out = append(out, r.item)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (o *memOutbox) row(id int64) (*memRow, error) {
	r, ok := o.rows[id]
	if !ok {
		return nil, fmt.Errorf("no outbox item %d", id)
	}
	return r, nil
}

func (o *memOutbox) MarkDelivered(_ context.Context, id int64, at time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.row(id)
	if err != nil {
		return err
	}
	r.delivered++
	r.deliveredAt = at
	return nil
}

func (o *memOutbox) MarkRetry(_ context.Context, id int64, attempts int, next time.Time, lastErr string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.row(id)
	if err != nil {
		return err
	}
	r.item.Attempts = attempts
	r.next = next
	r.lastErr = lastErr
	return nil
}

func (o *memOutbox) MarkFailed(_ context.Context, id int64, _ time.Time, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.row(id)
	if err != nil {
		return err
	}
	r.failed = true
	r.reason = reason
	return nil
}

// snapshot returns a copy of row id.
func (o *memOutbox) snapshot(id int64) memRow {
	o.mu.Lock()
	defer o.mu.Unlock()
	return *o.rows[id]
}

// hookServer is an httptest server that records request bodies and answers with respond.
type hookServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recordedRequest
	respond  func(w http.ResponseWriter, r *http.Request, n int) // n: 1-based request number
}

type recordedRequest struct {
	Path   string
	Header http.Header
	Body   []byte
}

func newHookServer(t *testing.T, respond func(w http.ResponseWriter, r *http.Request, n int)) *hookServer {
	t.Helper()
	s := &hookServer{respond: respond}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.requests = append(s.requests, recordedRequest{Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		n := len(s.requests)
		s.mu.Unlock()
		if s.respond == nil {
			_, _ = io.WriteString(w, "ok")
			return
		}
		s.respond(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *hookServer) Requests() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// reply answers with status and body.
func reply(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}
