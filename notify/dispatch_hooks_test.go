package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// flaky fails its first send transiently, then accepts.
type flaky struct {
	mu    sync.Mutex
	calls int
}

func (f *flaky) Name() string { return "flaky" }
func (f *flaky) Send(context.Context, Alert) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls == 1 {
		return &DeliveryError{Channel: "flaky", Err: errors.New("busy")}
	}
	return nil
}

func TestDispatcherHooksReportDeliveriesAndRetries(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)}
	ob := newMemOutbox()
	ob.add(t, "flaky", happyHorse(), clock.Now())
	var mu sync.Mutex
	var delivered, retried int
	var at time.Time
	d := NewDispatcher(ob, map[string]Channel{"flaky": &flaky{}}, DispatcherOptions{
		Now:         clock.Now,
		Rand:        func() float64 { return 0 },
		OnDelivered: func(_ OutboxItem, t time.Time) { mu.Lock(); delivered++; at = t; mu.Unlock() },
		OnRetry:     func(OutboxItem, error) { mu.Lock(); retried++; mu.Unlock() },
	})
	if _, _, err := d.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if delivered != 0 || retried != 1 {
		t.Fatalf("after a transient failure: delivered %d, retried %d", delivered, retried)
	}
	clock.Advance(time.Hour)
	if _, _, err := d.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if delivered != 1 || retried != 1 || !at.Equal(clock.Now()) {
		t.Fatalf("after the retry: delivered %d at %v, retried %d", delivered, at, retried)
	}
}

// slowAccept accepts every alert, after a pause that outlasts the dispatcher's stop.
type slowAccept struct {
	started chan struct{}
	release chan struct{}
}

func (s *slowAccept) Name() string { return "slow" }
func (s *slowAccept) Send(ctx context.Context, _ Alert) error {
	s.started <- struct{}{}
	select {
	case <-s.release:
		return nil
	case <-ctx.Done():
		return &DeliveryError{Channel: "slow", Err: ctx.Err()}
	}
}

func TestDispatcherStopLetsASendUnderWayFinish(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)}
	ob := newMemOutbox()
	id := ob.add(t, "slow", happyHorse(), clock.Now())
	ch := &slowAccept{started: make(chan struct{}, 1), release: make(chan struct{})}
	d := NewDispatcher(ob, map[string]Channel{"slow": ch}, DispatcherOptions{Now: clock.Now})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-ch.started
		cancel()          // the daemon is told to stop (SIGTERM, a reload) mid-send
		close(ch.release) // the channel accepts after the stop
	}()
	if _, _, err := d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if r := ob.snapshot(id); r.delivered == 0 {
		t.Errorf("an alert accepted after the stop was not recorded as delivered: it would be sent again: %+v", r)
	}
}
