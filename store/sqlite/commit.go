package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/store"
)

const (
	insertSeen = `INSERT INTO seen_headlines (id, feed, source, title, link, guid, published, first_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`

	insertSignal = `INSERT INTO signals
	(catalyst, state, headline_id, source, title, link, published, first_seen, trusted, cluster, rule)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (catalyst, state, headline_id) DO NOTHING`

	upsertState = `INSERT INTO catalyst_states (catalyst, state, since) VALUES (?, ?, ?)
ON CONFLICT (catalyst) DO UPDATE SET state = excluded.state, since = excluded.since`

	insertTransition = `INSERT INTO transitions (key, catalyst, from_state, to_state, at, rule, recorded_at)
VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`

	insertEvidence = `INSERT INTO transition_evidence (transition_id, position, catalyst, state, headline_id)
VALUES (?, ?, ?, ?, ?)`

	insertOutbox = `INSERT INTO outbox (key, channel, payload, created_at, next_attempt)
VALUES (?, ?, ?, ?, ?) ON CONFLICT (key, channel) DO NOTHING`

	upsertFeed = `INSERT INTO feed_states
	(name, url, etag, last_modified, body_hash, permanent_url, last_poll, last_success, next_poll, failures, status, last_error)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
	url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
	body_hash = excluded.body_hash, permanent_url = excluded.permanent_url,
	last_poll = excluded.last_poll, last_success = excluded.last_success, next_poll = excluded.next_poll,
	failures = excluded.failures, status = excluded.status, last_error = excluded.last_error`
)

// Commit stores b in one transaction. See store.Store.
func (db *DB) Commit(ctx context.Context, b store.Batch) error {
	if b.Empty() {
		return nil
	}
	if err := validate(b); err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	now := time.Now()
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		c := committer{ctx: ctx, tx: tx}
		defer c.close()
		if err := c.headlines(b.Headlines, now); err != nil {
			return err
		}
		for _, s := range b.Signals {
			if err := c.signal(s); err != nil {
				return err
			}
		}
		if err := c.states(b.States); err != nil {
			return err
		}
		for _, t := range b.Transitions {
			if err := c.transition(t); err != nil {
				return err
			}
		}
		if err := c.outbox(b.Outbox, now); err != nil {
			return err
		}
		return c.feeds(b.Feeds)
	})
	if err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	return nil
}

// validate rejects a batch with missing keys before anything is written.
func validate(b store.Batch) error {
	for i, h := range b.Headlines {
		if h.ID == "" {
			return fmt.Errorf("headline %d: empty id", i)
		}
	}
	checkSignal := func(what string, s store.Signal) error {
		if s.Catalyst == "" || s.State == "" || s.HeadlineID == "" {
			return fmt.Errorf("%s: catalyst, state and headline id are required (got %q, %q, %q)",
				what, s.Catalyst, s.State, s.HeadlineID)
		}
		return nil
	}
	for i, s := range b.Signals {
		if err := checkSignal(fmt.Sprintf("signal %d", i), s); err != nil {
			return err
		}
	}
	for i, s := range b.States {
		if s.Catalyst == "" {
			return fmt.Errorf("state %d: empty catalyst", i)
		}
	}
	for i, t := range b.Transitions {
		if t.Key == "" || t.Catalyst == "" {
			return fmt.Errorf("transition %d: key and catalyst are required", i)
		}
		for j, s := range t.Evidence {
			if err := checkSignal(fmt.Sprintf("transition %s evidence %d", t.Key, j), s); err != nil {
				return err
			}
		}
	}
	for i, o := range b.Outbox {
		if o.Key == "" || o.Channel == "" {
			return fmt.Errorf("outbox entry %d: key and channel are required", i)
		}
	}
	for i, f := range b.Feeds {
		if f.Name == "" {
			return fmt.Errorf("feed state %d: empty name", i)
		}
	}
	return nil
}

// committer writes the parts of one batch inside its transaction, preparing each statement
// once, on first use.
type committer struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (c *committer) stmt(query string) (*sql.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.tx.PrepareContext(c.ctx, query)
	if err != nil {
		return nil, err
	}
	if c.stmts == nil {
		c.stmts = make(map[string]*sql.Stmt)
	}
	c.stmts[query] = s
	return s, nil
}

func (c *committer) exec(query string, args ...any) (sql.Result, error) {
	s, err := c.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(c.ctx, args...)
}

func (c *committer) close() {
	for _, s := range c.stmts {
		s.Close()
	}
}

func (c *committer) headlines(hs []feeds.Headline, now time.Time) error {
	for _, h := range hs {
		var te timeEncoder
		firstSeen := h.FirstSeen
		if firstSeen.IsZero() {
			firstSeen = now
		}
		args := []any{h.ID, h.Feed, h.Source, h.Title, h.Link, h.GUID, te.enc(h.Published), te.enc(firstSeen)}
		if te.err != nil {
			return fmt.Errorf("headline %s: %w", h.ID, te.err)
		}
		if _, err := c.exec(insertSeen, args...); err != nil {
			return fmt.Errorf("headline %s: %w", h.ID, err)
		}
	}
	return nil
}

func (c *committer) signal(s store.Signal) error {
	var te timeEncoder
	args := []any{s.Catalyst, s.State, s.HeadlineID, s.Source, s.Title, s.Link,
		te.enc(s.Published), te.enc(s.FirstSeen), s.Trusted, s.Cluster, s.Rule}
	if te.err != nil {
		return fmt.Errorf("signal %s/%s/%s: %w", s.Catalyst, s.State, s.HeadlineID, te.err)
	}
	if _, err := c.exec(insertSignal, args...); err != nil {
		return fmt.Errorf("signal %s/%s/%s: %w", s.Catalyst, s.State, s.HeadlineID, err)
	}
	return nil
}

func (c *committer) states(states []store.CatalystState) error {
	for _, s := range states {
		var te timeEncoder
		args := []any{s.Catalyst, s.State, te.enc(s.Since)}
		if te.err != nil {
			return fmt.Errorf("state %s: %w", s.Catalyst, te.err)
		}
		if _, err := c.exec(upsertState, args...); err != nil {
			return fmt.Errorf("state %s: %w", s.Catalyst, err)
		}
	}
	return nil
}

// transition stores t and links its evidence, unless t.Key is already stored.
func (c *committer) transition(t store.Transition) error {
	var te timeEncoder
	args := []any{t.Key, t.Catalyst, t.From, t.To, te.enc(t.At), t.Rule, te.enc(t.RecordedAt)}
	if te.err != nil {
		return fmt.Errorf("transition %s: %w", t.Key, te.err)
	}
	res, err := c.exec(insertTransition, args...)
	if err != nil {
		return fmt.Errorf("transition %s: %w", t.Key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("transition %s: %w", t.Key, err)
	}
	if n == 0 {
		return nil // already stored: idempotent
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("transition %s: %w", t.Key, err)
	}
	type signalKey struct{ catalyst, state, headline string }
	linked := make(map[signalKey]bool, len(t.Evidence))
	for pos, s := range t.Evidence {
		k := signalKey{s.Catalyst, s.State, s.HeadlineID}
		if linked[k] {
			continue
		}
		linked[k] = true
		if err := c.signal(s); err != nil {
			return fmt.Errorf("transition %s: %w", t.Key, err)
		}
		if _, err := c.exec(insertEvidence, id, pos, s.Catalyst, s.State, s.HeadlineID); err != nil {
			return fmt.Errorf("transition %s evidence %d: %w", t.Key, pos, err)
		}
	}
	return nil
}

func (c *committer) outbox(entries []store.OutboxEntry, now time.Time) error {
	if len(entries) == 0 {
		return nil
	}
	created, err := encodeTime(now)
	if err != nil {
		return err
	}
	// Keep CreatedAt non-decreasing in ID order even if the wall clock steps back, so that
	// "oldest first by ID" and "by (CreatedAt, ID)" agree.
	var last sql.NullInt64
	err = c.tx.QueryRowContext(c.ctx, "SELECT created_at FROM outbox ORDER BY id DESC LIMIT 1").Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("outbox: %w", err)
	}
	if last.Valid && last.Int64 > created.Int64 {
		created.Int64 = last.Int64
	}
	for _, o := range entries {
		payload := o.Payload
		if payload == nil {
			payload = []byte{}
		}
		if _, err := c.exec(insertOutbox, o.Key, o.Channel, payload, created.Int64, created.Int64); err != nil {
			return fmt.Errorf("outbox %s/%s: %w", o.Key, o.Channel, err)
		}
	}
	return nil
}

func (c *committer) feeds(fs []store.FeedState) error {
	for _, f := range fs {
		var te timeEncoder
		args := []any{f.Name, f.URL, f.ETag, f.LastModified, f.BodyHash, f.PermanentURL,
			te.enc(f.LastPoll), te.enc(f.LastSuccess), te.enc(f.NextPoll), f.Failures, f.Status, f.LastError}
		if te.err != nil {
			return fmt.Errorf("feed %s: %w", f.Name, te.err)
		}
		if _, err := c.exec(upsertFeed, args...); err != nil {
			return fmt.Errorf("feed %s: %w", f.Name, err)
		}
	}
	return nil
}
