package notify

import "time"

// backoff is the delay before retry number attempts (1 after the first failure): min doubled per
// further attempt, capped at max, with "equal jitter" (uniformly in [d/2, d) for jitter in [0,1))
// so that retries of many items spread out; never shorter than retryAfter, the destination's own
// Retry-After, even when that exceeds max.
func backoff(attempts int, min, max time.Duration, jitter float64, retryAfter time.Duration) time.Duration {
	d := min
	for i := 1; i < attempts && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	if jitter < 0 || jitter >= 1 {
		jitter = 0
	}
	d = d/2 + time.Duration(jitter*float64(d/2))
	if d < retryAfter {
		d = retryAfter
	}
	if d <= 0 {
		d = time.Second
	}
	return d
}
