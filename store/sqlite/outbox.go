package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/catalyst-monitor/catalyst/store"
)

// Due returns the pending rows due at now, oldest first. See store.Store.
func (db *DB) Due(ctx context.Context, now time.Time, limit int) ([]store.OutboxItem, error) {
	n, err := encodeTime(now)
	if err != nil {
		return nil, fmt.Errorf("due: %w", err)
	}
	if !n.Valid {
		return nil, nil // nothing is due at the zero time
	}
	q := `SELECT id, channel, key, payload, attempts, created_at FROM outbox
WHERE status = 'pending' AND next_attempt <= ? ORDER BY id`
	args := []any{n.Int64}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("due: %w", err)
	}
	defer rows.Close()
	var out []store.OutboxItem
	for rows.Next() {
		var it store.OutboxItem
		var created sql.NullInt64
		if err := rows.Scan(&it.ID, &it.Channel, &it.Key, &it.Payload, &it.Attempts, &created); err != nil {
			return nil, fmt.Errorf("due: %w", err)
		}
		it.CreatedAt = decodeTime(created)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due: %w", err)
	}
	return out, nil
}

// MarkDelivered marks a row delivered. See store.Store.
func (db *DB) MarkDelivered(ctx context.Context, id int64, at time.Time) error {
	return db.markOutbox(ctx, "mark delivered", id, `UPDATE outbox
SET status = 'delivered', delivered_at = ?, failed_at = NULL
WHERE id = ? AND status != 'delivered'`, at)
}

// MarkRetry schedules another attempt of a pending row. See store.Store.
func (db *DB) MarkRetry(ctx context.Context, id int64, attempts int, next time.Time, lastErr string) error {
	if next.IsZero() {
		return fmt.Errorf("mark retry %d: zero next attempt time", id)
	}
	if attempts < 0 {
		return fmt.Errorf("mark retry %d: negative attempts %d", id, attempts)
	}
	return db.markOutbox(ctx, "mark retry", id, `UPDATE outbox
SET attempts = ?, next_attempt = ?, last_error = ?
WHERE id = ? AND status = 'pending'`, attempts, next, lastErr)
}

// MarkFailed gives up on a pending row. See store.Store.
func (db *DB) MarkFailed(ctx context.Context, id int64, at time.Time, reason string) error {
	return db.markOutbox(ctx, "mark failed", id, `UPDATE outbox
SET status = 'failed', failed_at = ?, last_error = ?
WHERE id = ? AND status = 'pending'`, at, reason)
}

// markOutbox runs update, whose last parameter is the row id, with args then id. It returns
// store.ErrNotFound when no row has that id; an update that matches no row of an existing id is a
// no-op. time.Time arguments are encoded for storage.
func (db *DB) markOutbox(ctx context.Context, op string, id int64, update string, args ...any) error {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			n, err := encodeTime(t)
			if err != nil {
				return fmt.Errorf("%s %d: %w", op, id, err)
			}
			args[i] = n
		}
	}
	args = append(args, id)
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, update, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n > 0 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, "SELECT 1 FROM outbox WHERE id = ?", id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("%s %d: %w", op, id, err)
	}
	return nil
}

// OutboxStats counts the outbox rows by status. See store.Store.
func (db *DB) OutboxStats(ctx context.Context) (store.OutboxStats, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT status, count(*), min(created_at) FROM outbox GROUP BY status")
	if err != nil {
		return store.OutboxStats{}, fmt.Errorf("outbox stats: %w", err)
	}
	defer rows.Close()
	var st store.OutboxStats
	for rows.Next() {
		var status string
		var n int
		var oldest sql.NullInt64
		if err := rows.Scan(&status, &n, &oldest); err != nil {
			return store.OutboxStats{}, fmt.Errorf("outbox stats: %w", err)
		}
		switch status {
		case store.OutboxPending:
			st.Pending = n
			st.OldestPending = decodeTime(oldest)
		case store.OutboxDelivered:
			st.Delivered = n
		case store.OutboxFailed:
			st.Failed = n
		}
	}
	if err := rows.Err(); err != nil {
		return store.OutboxStats{}, fmt.Errorf("outbox stats: %w", err)
	}
	return st, nil
}

// ListOutbox lists outbox rows, newest first. See store.Store.
func (db *DB) ListOutbox(ctx context.Context, status string, limit int) ([]store.OutboxStatus, error) {
	q := `SELECT id, key, channel, status, attempts, created_at, next_attempt, delivered_at, failed_at, last_error
FROM outbox`
	var args []any
	switch status {
	case "":
	case store.OutboxPending, store.OutboxDelivered, store.OutboxFailed:
		q += " WHERE status = ?"
		args = append(args, status)
	default:
		return nil, fmt.Errorf("list outbox: unknown status %q", status)
	}
	q += " ORDER BY id DESC"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []store.OutboxStatus
	for rows.Next() {
		var o store.OutboxStatus
		var created, next, delivered, failed sql.NullInt64
		if err := rows.Scan(&o.ID, &o.Key, &o.Channel, &o.Status, &o.Attempts,
			&created, &next, &delivered, &failed, &o.LastError); err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		o.CreatedAt, o.NextAttempt = decodeTime(created), decodeTime(next)
		o.DeliveredAt, o.FailedAt = decodeTime(delivered), decodeTime(failed)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}
