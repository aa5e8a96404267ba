package notify

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// pacer spaces calls at least interval apart (Slack accepts about one message per second per
// webhook). Each caller reserves the next free slot, then sleeps until it; concurrent callers get
// consecutive slots. The clock is injectable so tests run on a fake one.
type pacer struct {
	interval time.Duration
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error

	mu   sync.Mutex
	next time.Time // earliest start of the next call
}

// newPacer returns a pacer; nil now or sleep use the real clock.
func newPacer(interval time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = sleepCtx
	}
	return &pacer{interval: interval, now: now, sleep: sleep}
}

// wait blocks until the caller may send, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if p.interval <= 0 {
		return nil
	}
	p.mu.Lock()
	now := p.now()
	slot := now
	if p.next.After(now) {
		slot = p.next
	}
	p.next = slot.Add(p.interval)
	p.mu.Unlock()
	if d := slot.Sub(now); d > 0 {
		if err := p.sleep(ctx, d); err != nil {
			return fmt.Errorf("wait %s for rate limit: %w", d, err)
		}
	}
	return nil
}

// sleepCtx sleeps for d or until ctx ends, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
