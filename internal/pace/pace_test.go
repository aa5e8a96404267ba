package pace

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeClock records the sleeps asked of it and advances by them.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	return ctx.Err()
}

func TestSpacerSpacesEachKeyApart(t *testing.T) {
	c := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := New(time.Second, c.Now, c.Sleep)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if err := s.Wait(ctx, "a"); err != nil {
			t.Fatal(err)
		}
	}
	s.Wait(ctx, "b") // another key does not wait behind "a"
	want := []time.Duration{time.Second, 2 * time.Second}
	if len(c.sleeps) != 2 || c.sleeps[0] != want[0] || c.sleeps[1] != want[1] {
		t.Errorf("sleeps = %v, want %v (none for the first call, none for key b)", c.sleeps, want)
	}
	c.now = c.now.Add(time.Hour)
	c.sleeps = nil
	s.Wait(ctx, "a")
	if len(c.sleeps) != 0 {
		t.Errorf("a call long after the last slot waited: %v", c.sleeps)
	}
}

func TestZeroIntervalNeverWaitsAndSleepHonoursContext(t *testing.T) {
	c := &fakeClock{now: time.Now()}
	s := New(0, c.Now, c.Sleep)
	s.Wait(context.Background(), "a")
	s.Wait(context.Background(), "a")
	if len(c.sleeps) != 0 {
		t.Errorf("zero interval slept: %v", c.sleeps)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("Sleep = %v", err)
	}
}
