package feeds

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const base, limit = time.Minute, 6 * time.Hour
	zero := func() float64 { return 0 }
	almostOne := func() float64 { return 0.999999 }
	tests := []struct {
		failures int
		rnd      func() float64
		lo, hi   time.Duration
	}{
		{0, zero, 0, 0},
		{-3, zero, 0, 0},
		{1, zero, 30 * time.Second, 30 * time.Second},
		{1, almostOne, 59 * time.Second, time.Minute},
		{2, zero, time.Minute, time.Minute},
		{3, almostOne, 3*time.Minute + 59*time.Second, 4 * time.Minute},
		{9, zero, 128 * time.Minute, 128 * time.Minute}, // 1m·2⁸ = 256m, half fixed
		{10, zero, 3 * time.Hour, 3 * time.Hour},        // 512m capped at 6h, half fixed
		{11, almostOne, 6*time.Hour - time.Second, 6 * time.Hour},
		{1000, almostOne, 6*time.Hour - time.Second, 6 * time.Hour},
		{1 << 30, func() float64 { return 2 }, 3 * time.Hour, 3 * time.Hour}, // out-of-range rnd treated as 0
	}
	for _, tt := range tests {
		got := Backoff(tt.failures, base, limit, tt.rnd)
		if got < tt.lo || got > tt.hi {
			t.Errorf("Backoff(%d) = %v, want in [%v, %v]", tt.failures, got, tt.lo, tt.hi)
		}
	}
	// Defaults and the real random source.
	for i := 1; i < 100; i++ {
		if d := Backoff(i, 0, 0, nil); d < DefaultBackoffBase/2 || d > DefaultBackoffMax {
			t.Fatalf("Backoff(%d, defaults) = %v", i, d)
		}
	}
	if d := Backoff(5, time.Hour, time.Minute, zero); d != 30*time.Second {
		t.Errorf("base above max: %v", d)
	}
}

func TestNextPoll(t *testing.T) {
	tests := []struct {
		name string
		in   PollTiming
		want time.Duration
	}{
		{"interval", PollTiming{Interval: 5 * time.Minute}, 5 * time.Minute},
		{"max-age ignored unless opted in", PollTiming{Interval: 5 * time.Minute, MaxAge: time.Hour}, 5 * time.Minute},
		{"max-age honoured", PollTiming{Interval: 5 * time.Minute, MaxAge: time.Hour, HonorMaxAge: true}, time.Hour},
		{"short max-age does not speed up", PollTiming{Interval: 5 * time.Minute, MaxAge: time.Minute, HonorMaxAge: true}, 5 * time.Minute},
		{"retry-after", PollTiming{Interval: 5 * time.Minute, RetryAfter: 2 * time.Hour}, 2 * time.Hour},
		{"backoff", PollTiming{Interval: 5 * time.Minute, Backoff: 20 * time.Minute}, 20 * time.Minute},
		{"clamped", PollTiming{Interval: 5 * time.Minute, RetryAfter: 48 * time.Hour, Max: 12 * time.Hour}, 12 * time.Hour},
		{"default clamp", PollTiming{RetryAfter: 100 * time.Hour}, DefaultPollMax},
		{"negative inputs", PollTiming{Interval: -time.Minute}, 0},
	}
	for _, tt := range tests {
		if got := NextPoll(tt.in); got != tt.want {
			t.Errorf("%s: NextPoll = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                                  0,
		"0":                                 0,
		" 120 ":                             2 * time.Minute,
		"-5":                                0,
		"86401":                             MaxRetryAfter,
		"Wed, 05 Mar 2025 12:30:00 GMT":     30 * time.Minute,
		"Wednesday, 05-Mar-25 13:00:00 GMT": time.Hour,
		"Wed Mar  5 12:00:10 2025":          10 * time.Second,
		"Tue, 04 Mar 2025 12:00:00 GMT":     0,
		"Fri, 05 Mar 2100 12:00:00 GMT":     MaxRetryAfter,
		"tomorrow":                          0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
