package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// applicationID marks a SQLite file as a catalyst store ("CTLY") in PRAGMA application_id.
const applicationID = 0x43544c59

// migration is one step of the schema's history. Migrations are applied in order, each in its
// own transaction; after migrations[i] has been applied PRAGMA user_version is i+1, so the
// schema version is len(migrations). Never edit or reorder a released migration: append one.
type migration struct {
	name string
	sql  string
}

var migrations = []migration{
	{name: "initial schema", sql: schemaV1},
}

// SchemaVersion returns the schema version this build creates and understands.
func SchemaVersion() int { return len(migrations) }

const schemaV1 = `
CREATE TABLE seen_headlines (
	id         TEXT PRIMARY KEY,
	feed       TEXT NOT NULL,
	source     TEXT NOT NULL,
	title      TEXT NOT NULL,
	link       TEXT NOT NULL,
	guid       TEXT NOT NULL,
	published  INTEGER,
	first_seen INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_headlines_first_seen ON seen_headlines (first_seen);

CREATE TABLE signals (
	catalyst    TEXT NOT NULL,
	state       TEXT NOT NULL,
	headline_id TEXT NOT NULL,
	source      TEXT NOT NULL,
	title       TEXT NOT NULL,
	link        TEXT NOT NULL,
	published   INTEGER,
	first_seen  INTEGER,
	trusted     INTEGER NOT NULL CHECK (trusted IN (0, 1)),
	cluster     TEXT NOT NULL,
	rule        TEXT NOT NULL,
	PRIMARY KEY (catalyst, state, headline_id)
) WITHOUT ROWID;
CREATE INDEX signals_catalyst_published ON signals (catalyst, published, headline_id, state);
CREATE INDEX signals_published ON signals (published, headline_id);
CREATE INDEX signals_headline_id ON signals (headline_id);

CREATE TABLE catalyst_states (
	catalyst TEXT PRIMARY KEY,
	state    TEXT NOT NULL,
	since    INTEGER
) WITHOUT ROWID;

CREATE TABLE transitions (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	catalyst    TEXT NOT NULL,
	from_state  TEXT NOT NULL,
	to_state    TEXT NOT NULL,
	at          INTEGER,
	rule        TEXT NOT NULL,
	recorded_at INTEGER
);
CREATE INDEX transitions_catalyst_at ON transitions (catalyst, at, id);
CREATE INDEX transitions_at ON transitions (at, id);

CREATE TABLE transition_evidence (
	transition_id INTEGER NOT NULL REFERENCES transitions (id) ON DELETE CASCADE,
	position      INTEGER NOT NULL,
	catalyst      TEXT NOT NULL,
	state         TEXT NOT NULL,
	headline_id   TEXT NOT NULL,
	PRIMARY KEY (transition_id, position),
	FOREIGN KEY (catalyst, state, headline_id) REFERENCES signals (catalyst, state, headline_id)
) WITHOUT ROWID;
CREATE INDEX transition_evidence_signal ON transition_evidence (catalyst, state, headline_id);

CREATE TABLE feed_states (
	name          TEXT PRIMARY KEY,
	url           TEXT NOT NULL,
	etag          TEXT NOT NULL,
	last_modified TEXT NOT NULL,
	body_hash     TEXT NOT NULL,
	permanent_url TEXT NOT NULL,
	last_poll     INTEGER,
	last_success  INTEGER,
	next_poll     INTEGER,
	failures      INTEGER NOT NULL,
	status        TEXT NOT NULL,
	last_error    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	key          TEXT NOT NULL,
	channel      TEXT NOT NULL,
	payload      BLOB NOT NULL,
	status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	next_attempt INTEGER NOT NULL,
	delivered_at INTEGER,
	failed_at    INTEGER,
	last_error   TEXT NOT NULL DEFAULT '',
	UNIQUE (key, channel)
);
CREATE INDEX outbox_status ON outbox (status, id);
`

// migrate brings the database to SchemaVersion. It refuses a database with a newer schema, or
// one that another application created.
func migrate(ctx context.Context, db *sql.DB) error {
	version, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this build supports (%d): upgrade catalyst", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if err := applyMigration(ctx, db, i); err != nil {
			return err
		}
	}
	return nil
}

// schemaVersion reads the schema version, checking that the database is a catalyst store or
// empty.
func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var version, appID int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, fmt.Errorf("read application id: %w", err)
	}
	if appID == applicationID {
		return version, nil
	}
	if appID != 0 || version != 0 {
		return 0, fmt.Errorf("not a catalyst database (application_id %#x, user_version %d)", appID, version)
	}
	var objects int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return 0, fmt.Errorf("inspect schema: %w", err)
	}
	if objects != 0 {
		return 0, fmt.Errorf("not a catalyst database (%d schema objects but no catalyst schema version)", objects)
	}
	return 0, nil
}

// applyMigration applies migrations[i] in its own transaction, unless another process applied it
// meanwhile.
func applyMigration(ctx context.Context, db *sql.DB, i int) error {
	m := migrations[i]
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d (%s): %w", i+1, m.name, err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("migration %d (%s): %w", i+1, m.name, err)
	}
	if version > i {
		return nil // applied by another process since we looked
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %d (%s): %w", i+1, m.name, err)
	}
	// PRAGMA arguments cannot be bound; both values are integers formatted here.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
		return fmt.Errorf("migration %d (%s): %w", i+1, m.name, err)
	}
	if i == 0 {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return fmt.Errorf("migration %d (%s): %w", i+1, m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d (%s): %w", i+1, m.name, err)
	}
	return nil
}
