// Package sqlite implements store.Store on SQLite (modernc.org/sqlite, pure Go).
//
// A file database runs in WAL mode with one writing connection, through which every write
// transaction is serialised (BEGIN IMMEDIATE, so writers never deadlock upgrading a read lock),
// and a small pool of read-only connections that read concurrently with the writer. Other
// processes writing the same file are waited for up to the busy timeout. The ":memory:"
// database, meant for throwaway stores, uses one connection for everything.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/catalyst-monitor/catalyst/store"
)

// busyTimeoutMillis is how long a statement waits for a lock held by another process.
const busyTimeoutMillis = 10_000

// DB is a store.Store backed by one SQLite database.
type DB struct {
	path string
	w    *sql.DB // one connection: every write transaction goes through it
	r    *sql.DB // read-only connections; the same pool as w for ":memory:"

	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*DB)(nil)

// Open opens the SQLite database at path, creating it if needed, and migrates its schema to the
// current version. It refuses a database whose schema is newer than this build knows, and a
// non-empty database that catalyst did not create. A path of ":memory:" opens a private
// in-memory database that disappears on Close.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open store: empty path")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open store %s: path must not contain '?' or '#'", path)
	}
	memory := path == ":memory:"

	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeoutMillis))
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	if !memory {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
	}
	w, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, w: w, r: w}

	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}

	if !memory {
		q.Del("_journal_mode")
		q.Del("_txlock")
		q.Set("_query_only", "1")
		r, err := sql.Open("sqlite", path+"?"+q.Encode())
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
		n := max(4, runtime.GOMAXPROCS(0))
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
		r.SetConnMaxLifetime(0)
		r.SetConnMaxIdleTime(0)
		db.r = r
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return db, nil
}

// Path returns the path the database was opened with.
func (db *DB) Path() string { return db.path }

// Ping checks that both the writing and the reading connections work.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if db.r != db.w {
		var n int
		if err := db.r.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
			return fmt.Errorf("ping: %w", err)
		}
	}
	return nil
}

// Close closes the database. It is safe to call more than once; later calls return the
// first call's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		var errs []error
		if db.r != db.w {
			errs = append(errs, db.r.Close())
		}
		errs = append(errs, db.w.Close())
		if err := errors.Join(errs...); err != nil {
			db.closeErr = fmt.Errorf("close store: %w", err)
		}
	})
	return db.closeErr
}

// readTx starts a read-only transaction, so that a method's several queries see one snapshot.
func (db *DB) readTx(ctx context.Context) (*sql.Tx, error) {
	return db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// writeTx runs fn in a write transaction and commits it, or rolls it back when fn fails.
func (db *DB) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
