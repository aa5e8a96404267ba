package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/catalyst-monitor/catalyst/store"
)

// maxInList is how many values one "IN (...)" list holds; SQLite allows 32,766 parameters.
const maxInList = 500

// Unseen returns the ids never committed as seen, in input order. See store.Store.
func (db *DB) Unseen(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("unseen: %w", err)
	}
	defer tx.Rollback()

	seen := make(map[string]struct{})
	args := make([]any, 0, maxInList)
	for start := 0; start < len(ids); start += maxInList {
		part := ids[start:min(start+maxInList, len(ids))]
		args = args[:0]
		for _, id := range part {
			args = append(args, id)
		}
		q := "SELECT id FROM seen_headlines WHERE id IN (?" + strings.Repeat(", ?", len(part)-1) + ")"
		if err := scanStrings(ctx, tx, q, args, func(id string) { seen[id] = struct{}{} }); err != nil {
			return nil, fmt.Errorf("unseen: %w", err)
		}
	}
	out := make([]string, 0, len(ids)-min(len(seen), len(ids)))
	for _, id := range ids {
		if _, ok := seen[id]; !ok {
			out = append(out, id)
		}
	}
	return out, nil
}

func scanStrings(ctx context.Context, tx *sql.Tx, q string, args []any, fn func(string)) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		fn(s)
	}
	return rows.Err()
}

// PruneSeen deletes old seen headlines no signal references. See store.Store.
func (db *DB) PruneSeen(ctx context.Context, before time.Time) (int64, error) {
	b, err := encodeTime(before)
	if err != nil {
		return 0, fmt.Errorf("prune seen: %w", err)
	}
	if !b.Valid {
		return 0, nil // nothing was first seen before the zero time
	}
	var n int64
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM seen_headlines
WHERE first_seen < ? AND NOT EXISTS (SELECT 1 FROM signals WHERE signals.headline_id = seen_headlines.id)`, b.Int64)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune seen: %w", err)
	}
	return n, nil
}

// States returns every catalyst's current state. See store.Store.
func (db *DB) States(ctx context.Context) (map[string]store.CatalystState, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT catalyst, state, since FROM catalyst_states")
	if err != nil {
		return nil, fmt.Errorf("states: %w", err)
	}
	defer rows.Close()
	out := make(map[string]store.CatalystState)
	for rows.Next() {
		var s store.CatalystState
		var since sql.NullInt64
		if err := rows.Scan(&s.Catalyst, &s.State, &since); err != nil {
			return nil, fmt.Errorf("states: %w", err)
		}
		s.Since = decodeTime(since)
		out[s.Catalyst] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("states: %w", err)
	}
	return out, nil
}

const signalColumns = "catalyst, state, headline_id, source, title, link, published, first_seen, trusted, cluster, rule"

// scanSignal scans the signalColumns of a row into s, after the leading destinations lead.
func scanSignal(r rowScanner, s *store.Signal, lead ...any) error {
	var published, firstSeen sql.NullInt64
	dest := append(lead, &s.Catalyst, &s.State, &s.HeadlineID, &s.Source, &s.Title, &s.Link,
		&published, &firstSeen, &s.Trusted, &s.Cluster, &s.Rule)
	if err := r.Scan(dest...); err != nil {
		return err
	}
	s.Published = decodeTime(published)
	s.FirstSeen = decodeTime(firstSeen)
	return nil
}

// Signals returns the signals published since a time. See store.Store.
func (db *DB) Signals(ctx context.Context, catalyst string, since time.Time) ([]store.Signal, error) {
	sinceN, err := encodeTime(since)
	if err != nil {
		return nil, fmt.Errorf("signals: %w", err)
	}
	var where []string
	var args []any
	if catalyst != "" {
		where = append(where, "catalyst = ?")
		args = append(args, catalyst)
	}
	if sinceN.Valid {
		where = append(where, "published >= ?")
		args = append(args, sinceN.Int64)
	}
	q := "SELECT " + signalColumns + " FROM signals"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY published, headline_id, catalyst, state"
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("signals: %w", err)
	}
	defer rows.Close()
	var out []store.Signal
	for rows.Next() {
		var s store.Signal
		if err := scanSignal(rows, &s); err != nil {
			return nil, fmt.Errorf("signals: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("signals: %w", err)
	}
	return out, nil
}

// Transitions returns the newest transitions with their evidence. See store.Store.
func (db *DB) Transitions(ctx context.Context, catalyst string, limit int) ([]store.Transition, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("transitions: %w", err)
	}
	defer tx.Rollback()

	q := "SELECT id, key, catalyst, from_state, to_state, at, rule, recorded_at FROM transitions"
	var args []any
	if catalyst != "" {
		q += " WHERE catalyst = ?"
		args = append(args, catalyst)
	}
	q += " ORDER BY at DESC, id DESC"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	var out []store.Transition
	var ids []int64
	index := make(map[int64]int)
	err = func() error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t store.Transition
			var id int64
			var at, recorded sql.NullInt64
			if err := rows.Scan(&id, &t.Key, &t.Catalyst, &t.From, &t.To, &at, &t.Rule, &recorded); err != nil {
				return err
			}
			t.At, t.RecordedAt = decodeTime(at), decodeTime(recorded)
			index[id] = len(out)
			ids = append(ids, id)
			out = append(out, t)
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, fmt.Errorf("transitions: %w", err)
	}

	for start := 0; start < len(ids); start += maxInList {
		part := ids[start:min(start+maxInList, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		q := `SELECT e.transition_id, s.catalyst, s.state, s.headline_id, s.source, s.title, s.link,
	s.published, s.first_seen, s.trusted, s.cluster, s.rule
FROM transition_evidence e
JOIN signals s ON s.catalyst = e.catalyst AND s.state = e.state AND s.headline_id = e.headline_id
WHERE e.transition_id IN (?` + strings.Repeat(", ?", len(part)-1) + `)
ORDER BY e.transition_id, e.position`
		err := func() error {
			rows, err := tx.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var s store.Signal
				if err := scanSignal(rows, &s, &id); err != nil {
					return err
				}
				t := &out[index[id]]
				t.Evidence = append(t.Evidence, s)
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("transitions: evidence: %w", err)
		}
	}
	return out, nil
}

const feedColumns = `name, url, etag, last_modified, body_hash, permanent_url,
	last_poll, last_success, next_poll, failures, status, last_error`

type rowScanner interface{ Scan(dest ...any) error }

func scanFeed(r rowScanner) (store.FeedState, error) {
	var f store.FeedState
	var lastPoll, lastSuccess, nextPoll sql.NullInt64
	err := r.Scan(&f.Name, &f.URL, &f.ETag, &f.LastModified, &f.BodyHash, &f.PermanentURL,
		&lastPoll, &lastSuccess, &nextPoll, &f.Failures, &f.Status, &f.LastError)
	f.LastPoll, f.LastSuccess, f.NextPoll = decodeTime(lastPoll), decodeTime(lastSuccess), decodeTime(nextPoll)
	return f, err
}

// FeedState returns one feed's state, or store.ErrNotFound. See store.Store.
func (db *DB) FeedState(ctx context.Context, name string) (store.FeedState, error) {
	f, err := scanFeed(db.r.QueryRowContext(ctx, "SELECT "+feedColumns+" FROM feed_states WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.FeedState{}, fmt.Errorf("feed state %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return store.FeedState{}, fmt.Errorf("feed state %q: %w", name, err)
	}
	return f, nil
}

// FeedStates returns every feed's state, by name. See store.Store.
func (db *DB) FeedStates(ctx context.Context) ([]store.FeedState, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+feedColumns+" FROM feed_states ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	defer rows.Close()
	var out []store.FeedState
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("feed states: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	return out, nil
}
