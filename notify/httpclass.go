package notify

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// defaultRetryAfter is the wait after a 429 that carried no usable Retry-After header.
	defaultRetryAfter = 30 * time.Second
	// maxRetryAfter caps a Retry-After hint, so one bad header cannot park a channel for days.
	maxRetryAfter = time.Hour
)

// httpVerdict is how a channel must treat an HTTP response.
type httpVerdict struct {
	// OK is true for 2xx: the destination accepted the message.
	OK bool
	// Permanent is true when retrying cannot succeed.
	Permanent bool
	// RetryAfter is the minimum wait before the next attempt (zero: use the normal backoff).
	RetryAfter time.Duration
}

// classifyHTTP is the one status classifier shared by every HTTP channel (Slack, webhook):
//
//   - 2xx: delivered.
//   - 429: retry, no sooner than Retry-After (seconds or an HTTP date, judged against now),
//     30s when absent or unreadable, capped at 1h.
//   - 5xx and 408: transient; a Retry-After header, if any, is honoured the same way.
//   - anything else, including every other 4xx (Slack's 400 invalid_payload, 403 invalid_token,
//     404 no_service, 410 channel_is_archived) and unfollowed 3xx redirects: permanent.
func classifyHTTP(status int, header http.Header, now time.Time) httpVerdict {
	switch {
	case status >= 200 && status < 300:
		return httpVerdict{OK: true}
	case status == http.StatusTooManyRequests:
		d, ok := parseRetryAfter(header.Get("Retry-After"), now)
		if !ok {
			d = defaultRetryAfter
		}
		return httpVerdict{RetryAfter: max(d, time.Second)}
	case status >= 500 || status == http.StatusRequestTimeout:
		d, _ := parseRetryAfter(header.Get("Retry-After"), now)
		return httpVerdict{RetryAfter: d}
	default:
		return httpVerdict{Permanent: true}
	}
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
// The result is never negative and at most maxRetryAfter; ok is false when v is empty or unreadable.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
		// An HTTP date has one-second resolution: round up so we never come back too early.
		if rem := d % time.Second; rem > 0 {
			d += time.Second - rem
		}
	} else {
		return 0, false
	}
	return min(max(d, 0), maxRetryAfter), true
}
