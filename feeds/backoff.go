package feeds

import (
	"math/rand/v2"
	"time"
)

// Backoff defaults.
const (
	// DefaultBackoffBase is the first retry delay when Backoff is given no base.
	DefaultBackoffBase = time.Minute
	// DefaultBackoffMax caps Backoff when it is given no maximum.
	DefaultBackoffMax = 6 * time.Hour
	// DefaultPollMax caps NextPoll when PollTiming.Max is zero.
	DefaultPollMax = 24 * time.Hour
)

// Backoff returns how long to wait after the given number of consecutive failures: base doubled
// per failure beyond the first, capped at limit, with "equal jitter" (half the delay fixed, half
// random) so that feeds failing together spread out but never retry sooner than half the delay.
// failures <= 0 gives 0. Zero base or limit take DefaultBackoffBase and DefaultBackoffMax. rnd
// returns a number in [0, 1); nil means math/rand/v2.
func Backoff(failures int, base, limit time.Duration, rnd func() float64) time.Duration {
	if failures <= 0 {
		return 0
	}
	if base <= 0 {
		base = DefaultBackoffBase
	}
	if limit <= 0 {
		limit = DefaultBackoffMax
	}
	d := min(base, limit)
	for i := 1; i < failures && d < limit; i++ {
		if d > limit/2 {
			d = limit
			break
		}
		d *= 2
	}
	if rnd == nil {
		rnd = rand.Float64
	}
	r := rnd()
	if r < 0 || r >= 1 || r != r {
		r = 0
	}
	half := d / 2
	return half + time.Duration(r*float64(d-half))
}

// PollTiming is what NextPoll weighs.
type PollTiming struct {
	// Interval is the feed's scheduled polling interval.
	Interval time.Duration
	// MaxAge is the last response's Cache-Control max-age (Response.MaxAge).
	MaxAge time.Duration
	// HonorMaxAge makes NextPoll respect MaxAge; feeds opt in.
	HonorMaxAge bool
	// RetryAfter is the last error's Retry-After (FetchError.RetryAfter).
	RetryAfter time.Duration
	// Backoff is the current failure backoff (see Backoff), if any.
	Backoff time.Duration
	// Max caps the result; zero means DefaultPollMax.
	Max time.Duration
}

// NextPoll returns the delay before polling a feed again: the largest of the scheduled interval,
// the max-age (when opted in), the server's Retry-After and the failure backoff, capped at Max.
func NextPoll(p PollTiming) time.Duration {
	limit := p.Max
	if limit <= 0 {
		limit = DefaultPollMax
	}
	d := max(p.Interval, p.RetryAfter, p.Backoff, 0)
	if p.HonorMaxAge {
		d = max(d, p.MaxAge)
	}
	return min(d, limit)
}
