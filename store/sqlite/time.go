package sqlite

import (
	"database/sql"
	"fmt"
	"math"
	"time"
)

// Times are stored as INTEGER nanoseconds since the Unix epoch (UTC), which sorts and compares
// correctly in SQL and round-trips exactly. The zero time.Time is stored as NULL.

var (
	minTime = time.Unix(0, math.MinInt64).UTC()
	maxTime = time.Unix(0, math.MaxInt64).UTC()
)

// encodeTime converts t for storage: NULL for the zero time, unix nanoseconds otherwise.
func encodeTime(t time.Time) (sql.NullInt64, error) {
	if t.IsZero() {
		return sql.NullInt64{}, nil
	}
	if t.Before(minTime) || t.After(maxTime) {
		return sql.NullInt64{}, fmt.Errorf("time %s out of range", t.Format(time.RFC3339Nano))
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}, nil
}

// decodeTime reverses encodeTime.
func decodeTime(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// timeEncoder collects the first encoding error of a series of times, so that a row's
// arguments can be built without an error check per column.
type timeEncoder struct{ err error }

func (e *timeEncoder) enc(t time.Time) any {
	n, err := encodeTime(t)
	if err != nil {
		if e.err == nil {
			e.err = err
		}
		return nil
	}
	if !n.Valid {
		return nil
	}
	return n.Int64
}
