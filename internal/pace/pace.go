// Package pace spaces calls apart in time: a per-key minimum interval (one host, one webhook),
// and a context-aware sleep.
package pace

import (
	"context"
	"sync"
	"time"
)

// maxKeys bounds the remembered keys; past it, keys whose slot has passed are forgotten.
const maxKeys = 1024

// Spacer keeps calls with the same key at least an interval apart. Each caller reserves the
// next free slot for its key under a lock, then sleeps until it outside the lock, so concurrent
// callers get consecutive slots. It is safe for concurrent use.
type Spacer struct {
	interval time.Duration
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error

	mu   sync.Mutex
	next map[string]time.Time // earliest start of the next call, per key
}

// New returns a Spacer; nil now or sleep use the real clock (tests inject fake ones). An
// interval of zero or less never waits.
func New(interval time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *Spacer {
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = Sleep
	}
	return &Spacer{interval: interval, now: now, sleep: sleep, next: make(map[string]time.Time)}
}

// Wait blocks until a call for key may start, or ctx ends (its error is returned).
func (s *Spacer) Wait(ctx context.Context, key string) error {
	if s.interval <= 0 {
		return nil
	}
	s.mu.Lock()
	now := s.now()
	slot := now
	if at := s.next[key]; at.After(now) {
		slot = at
	}
	s.next[key] = slot.Add(s.interval)
	if len(s.next) > maxKeys {
		for k, t := range s.next {
			if t.Before(now) {
				delete(s.next, k)
			}
		}
	}
	s.mu.Unlock()
	if d := slot.Sub(now); d > 0 {
		return s.sleep(ctx, d)
	}
	return nil
}

// Sleep sleeps for d or until ctx ends, whichever is first; it returns ctx's error if ctx ended.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
