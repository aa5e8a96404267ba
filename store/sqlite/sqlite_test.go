package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/store"
	"github.com/catalyst-monitor/catalyst/store/storetest"
)

func openFile(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tempPath(t testing.TB) string { return filepath.Join(t.TempDir(), "catalyst.db") }

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openFile(t, tempPath(t)) })
}

func TestContractMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openFile(t, ":memory:") })
}

// raw opens path without the store, to inspect or tamper with it.
func raw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

func TestOpenFreshFile(t *testing.T) {
	path := tempPath(t)
	db := openFile(t, path)
	checks := map[string]string{
		"user_version":   fmt.Sprint(SchemaVersion()),
		"application_id": fmt.Sprint(applicationID),
		"journal_mode":   "wal",
		"foreign_keys":   "1",
		"synchronous":    "1", // NORMAL
		"busy_timeout":   fmt.Sprint(busyTimeoutMillis),
	}
	for name, want := range checks {
		var got string
		if err := db.w.QueryRow("PRAGMA " + name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", name, got, want)
		}
	}
	// The read pool cannot write.
	if _, err := db.r.Exec("CREATE TABLE x (a)"); err == nil {
		t.Error("read pool accepted a write")
	}
	for _, table := range []string{"seen_headlines", "signals", "catalyst_states", "transitions", "transition_evidence", "feed_states", "outbox"} {
		var n int
		if err := db.r.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: count %d, %v", table, n, err)
		}
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.UTC)
	b := store.Batch{
		Headlines: []feeds.Headline{{ID: "h1", FirstSeen: published}},
		Signals:   []store.Signal{{Catalyst: "c", State: "s", HeadlineID: "h1", Published: published}},
		States:    []store.CatalystState{{Catalyst: "c", State: "s", Since: published}},
		Outbox:    []store.OutboxEntry{{Key: "k", Channel: "slack", Payload: []byte("p")}},
		Feeds:     []store.FeedState{{Name: "f", ETag: "e", LastPoll: published}},
	}
	if err := db.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openFile(t, path)
	if got, _ := db.Unseen(ctx, []string{"h1", "h2"}); len(got) != 1 || got[0] != "h2" {
		t.Errorf("Unseen after reopen = %v, want [h2]", got)
	}
	if st, _ := db.States(ctx); !st["c"].Since.Equal(published) {
		t.Errorf("States after reopen = %v", st)
	}
	if f, err := db.FeedState(ctx, "f"); err != nil || f.ETag != "e" || !f.LastPoll.Equal(published) {
		t.Errorf("FeedState after reopen = %+v, %v", f, err)
	}
	if items, _ := db.Due(ctx, time.Now(), 0); len(items) != 1 || string(items[0].Payload) != "p" {
		t.Errorf("Due after reopen = %+v", items)
	}
	if got := pragma(t, db.w, "user_version"); got != fmt.Sprint(SchemaVersion()) {
		t.Errorf("user_version after reopen = %s", got)
	}
}

// withMigrations replaces the migration list for one test.
func withMigrations(t *testing.T, ms []migration) {
	old := migrations
	migrations = ms
	t.Cleanup(func() { migrations = old })
}

func TestMigrateForward(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Commit(ctx, store.Batch{Headlines: []feeds.Headline{{ID: "h1"}}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	withMigrations(t, append(migrations[:len(migrations):len(migrations)],
		migration{name: "add notes", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL); INSERT INTO notes (body) VALUES ('hi');"},
		migration{name: "add column", sql: "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''"},
	))
	db = openFile(t, path)
	if got := pragma(t, db.w, "user_version"); got != fmt.Sprint(len(migrations)) {
		t.Errorf("user_version = %s, want %d", got, len(migrations))
	}
	var body, author string
	if err := db.r.QueryRow("SELECT body, author FROM notes").Scan(&body, &author); err != nil || body != "hi" {
		t.Errorf("migrated table: %q %q %v", body, author, err)
	}
	if got, _ := db.Unseen(ctx, []string{"h1"}); len(got) != 0 {
		t.Errorf("data lost in migration: Unseen = %v", got)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	path := tempPath(t)
	openFile(t, path).Close()

	withMigrations(t, append(migrations[:len(migrations):len(migrations)],
		migration{name: "broken", sql: "CREATE TABLE half (a); INSERT INTO no_such_table VALUES (1);"},
	))
	if db, err := Open(context.Background(), path); err == nil {
		db.Close()
		t.Fatal("Open with a broken migration succeeded")
	} else if !strings.Contains(err.Error(), "broken") {
		t.Errorf("error %q does not name the migration", err)
	}
	r := raw(t, path)
	if got := pragma(t, r, "user_version"); got != fmt.Sprint(len(migrations)-1) {
		t.Errorf("user_version = %s, want %d", got, len(migrations)-1)
	}
	var n int
	if err := r.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'half'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the broken migration's first statement was kept (%d, %v)", n, err)
	}
}

func TestFutureSchemaRefused(t *testing.T) {
	path := tempPath(t)
	openFile(t, path).Close()
	future := SchemaVersion() + 1
	if _, err := raw(t, path).Exec(fmt.Sprintf("PRAGMA user_version = %d", future)); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
	if !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), fmt.Sprint(future)) {
		t.Errorf("error %q does not explain the version", err)
	}
	if got := pragma(t, raw(t, path), "user_version"); got != fmt.Sprint(future) {
		t.Errorf("user_version changed to %s", got)
	}
}

func TestForeignDatabaseRefused(t *testing.T) {
	path := tempPath(t)
	if _, err := raw(t, path).Exec("CREATE TABLE other (a)"); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(context.Background(), path); err == nil {
		db.Close()
		t.Fatal("Open of a foreign database succeeded")
	}

	path2 := tempPath(t)
	if _, err := raw(t, path2).Exec("PRAGMA application_id = 42"); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(context.Background(), path2); err == nil {
		db.Close()
		t.Fatal("Open of a database with another application id succeeded")
	}
}

func TestOpenBadPath(t *testing.T) {
	for _, p := range []string{"", "a?b", filepath.Join(t.TempDir(), "missing-dir", "x.db")} {
		if db, err := Open(context.Background(), p); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// TestTwoHandles commits through two DB handles on one file at once, as two processes would:
// BEGIN IMMEDIATE and the busy timeout serialise them without SQLITE_BUSY errors.
func TestTwoHandles(t *testing.T) {
	path := tempPath(t)
	dbs := []*DB{openFile(t, path), openFile(t, path)}
	var wg sync.WaitGroup
	errs := make(chan error, 2*50)
	for h, db := range dbs {
		wg.Go(func() {
			for i := range 50 {
				id := fmt.Sprintf("%d-%d", h, i)
				b := store.Batch{
					Headlines: []feeds.Headline{{ID: id}},
					Outbox:    []store.OutboxEntry{{Key: fmt.Sprint(i), Channel: "slack"}}, // shared by both handles
				}
				if err := db.Commit(context.Background(), b); err != nil {
					errs <- err
				}
				if _, err := db.Due(context.Background(), time.Now(), 10); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st, err := dbs[0].OutboxStats(context.Background())
	if err != nil || st.Pending != 50 {
		t.Errorf("OutboxStats = %+v, %v; want 50 pending", st, err)
	}
}

func TestCloseTwice(t *testing.T) {
	db := openFile(t, tempPath(t))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// BenchmarkCommitHeadlines commits batches of new headlines into a real file and reports the
// rate of new headlines per second.
func BenchmarkCommitHeadlines(b *testing.B) {
	for _, size := range []int{100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			db := openFile(b, tempPath(b))
			ctx := context.Background()
			now := time.Now()
			n := 0
			for b.Loop() {
				batch := store.Batch{Headlines: make([]feeds.Headline, size)}
				for i := range batch.Headlines {
					id := fmt.Sprintf("%064x", n)
					n++
					batch.Headlines[i] = feeds.Headline{
						ID: id, Source: "reuters.com", Feed: "reuters", GUID: "guid-" + id,
						Title:     "Central bank signals a rate cut as inflation cools for a third month",
						Link:      "https://www.reuters.com/markets/" + id,
						Published: now, FirstSeen: now,
					}
				}
				if err := db.Commit(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "headlines/s")
		})
	}
}

// TestOutboxCreatedAtNeverDecreases stands in for a wall clock that steps back: a row created
// "in the future" makes later rows take its creation time, so ID order stays CreatedAt order.
func TestOutboxCreatedAtNeverDecreases(t *testing.T) {
	ctx := context.Background()
	db := openFile(t, tempPath(t))
	future := time.Now().Add(time.Hour).UTC()
	if _, err := db.w.Exec("INSERT INTO outbox (key, channel, payload, created_at, next_attempt) VALUES ('a', 'slack', x'', ?, ?)",
		future.UnixNano(), future.UnixNano()); err != nil {
		t.Fatal(err)
	}
	if err := db.Commit(ctx, store.Batch{Outbox: []store.OutboxEntry{{Key: "b", Channel: "slack"}}}); err != nil {
		t.Fatal(err)
	}
	items, err := db.Due(ctx, future, 0)
	if err != nil || len(items) != 2 {
		t.Fatalf("Due = %v, %v; want 2 rows", items, err)
	}
	if items[1].Key != "b" || !items[1].CreatedAt.Equal(future) {
		t.Errorf("second row = %+v, want key b created at %v", items[1], future)
	}
	if got, _ := db.Due(ctx, time.Now(), 0); len(got) != 0 {
		t.Errorf("Due(now) = %v, want none: both rows are due only from %v", got, future)
	}
}
