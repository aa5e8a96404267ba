package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

var slackKeyRE = regexp.MustCompile("key `([^`]+)`")

// slackKey extracts the idempotency key from a Slack message body.
func slackKey(t *testing.T, body []byte) string {
	t.Helper()
	var p slackPayload
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Blocks {
		for _, e := range b.Elements {
			if m := slackKeyRE.FindStringSubmatch(e.Text); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no key in Slack message %s", body)
	return ""
}

func alertN(i int) Alert {
	a := happyHorse()
	a.Key = fmt.Sprintf("k%02d", i)
	a.Name = fmt.Sprintf("Catalyst %d", i)
	return a
}

func TestDispatcherRidesOutSlackOutageInOrder(t *testing.T) {
	clock := newFakeClock(t0)
	var down atomic.Bool
	down.Store(true)
	var mu sync.Mutex
	failures := 0
	srv := newHookServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if down.Load() {
			mu.Lock()
			failures++
			mu.Unlock()
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "upstream unavailable")
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	slack := newTestSlack(t, srv.URL+"/services/T/B/X", clock)
	var console bytes.Buffer

	ob := newMemOutbox()
	var slackIDs, consoleIDs []int64
	for i := range 20 {
		created := t0.Add(-time.Minute + time.Duration(i)*time.Millisecond)
		slackIDs = append(slackIDs, ob.add(t, "slack", alertN(i), created))
		if i%4 == 0 {
			consoleIDs = append(consoleIDs, ob.add(t, "console", alertN(100+i), created))
		}
	}
	var failedCalls atomic.Int32
	d := NewDispatcher(ob, map[string]Channel{"slack": slack, "console": NewConsole(&console)}, DispatcherOptions{
		Now: clock.Now, Rand: func() float64 { return 0.5 },
		MinBackoff: 5 * time.Second, MaxBackoff: 5 * time.Minute, MaxAge: 24 * time.Hour,
		BatchSize: 7, // smaller than the backlog: waiting items must not starve others
		OnFailed:  func(OutboxItem, error) { failedCalls.Add(1) },
	})

	// During the outage: the console is served, Slack's head item is retried alone with growing
	// backoff, and the rest wait behind it.
	var waits []time.Duration
	for round := range 6 {
		delivered, pending, err := d.RunOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 && delivered != len(consoleIDs) {
			t.Errorf("round 0 delivered %d, want the %d console items", delivered, len(consoleIDs))
		}
		if round > 0 && delivered != 0 {
			t.Errorf("round %d delivered %d during the outage", round, delivered)
		}
		if pending != 20 {
			t.Errorf("round %d: pending = %d, want 20", round, pending)
		}
		next := d.NextAttempt()
		if !next.After(clock.Now()) {
			t.Fatalf("round %d: next attempt %s is not in the future", round, next)
		}
		waits = append(waits, next.Sub(clock.Now()))
		clock.Set(next)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] < waits[i-1] {
			t.Errorf("backoff shrank: %v", waits)
		}
	}
	if waits[len(waits)-1] <= waits[0] {
		t.Errorf("backoff did not grow: %v", waits)
	}
	mu.Lock()
	outageRequests := failures
	mu.Unlock()
	if outageRequests != 6 {
		t.Errorf("Slack got %d requests during the outage, want 6 (one per round)", outageRequests)
	}
	if r := ob.snapshot(slackIDs[0]); r.item.Attempts != 6 || !strings.Contains(r.lastErr, "503") {
		t.Errorf("head item: attempts %d, last error %q", r.item.Attempts, r.lastErr)
	}
	if r := ob.snapshot(slackIDs[5]); r.item.Attempts != 0 || !strings.Contains(r.lastErr, "waiting behind") {
		t.Errorf("waiting item: attempts %d, last error %q", r.item.Attempts, r.lastErr)
	}

	// Recovery.
	down.Store(false)
	total := 0
	for round := 0; ; round++ {
		if round > 50 {
			t.Fatal("backlog never drained")
		}
		delivered, pending, err := d.RunOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		total += delivered
		if pending == 0 {
			break
		}
		clock.Set(d.NextAttempt())
	}
	if total != 20 {
		t.Errorf("delivered %d after recovery, want 20", total)
	}
	var got []string // keys Slack accepted, in order
	for _, r := range srv.Requests()[outageRequests:] {
		got = append(got, slackKey(t, r.Body))
	}
	var want []string
	for i := range 20 {
		want = append(want, fmt.Sprintf("k%02d", i))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Slack received %v, want each of %v once, in order", got, want)
	}
	for _, id := range append(slackIDs, consoleIDs...) {
		if r := ob.snapshot(id); r.delivered != 1 || r.failed {
			t.Errorf("item %d: delivered %d times, failed %v", id, r.delivered, r.failed)
		}
	}
	if n := failedCalls.Load(); n != 0 {
		t.Errorf("OnFailed called %d times", n)
	}
	if strings.Count(console.String(), "key: k1") != len(consoleIDs) {
		t.Errorf("console output:\n%s", console.String())
	}
	// Slack's pacing ran on the fake clock.
	if len(clock.Sleeps()) == 0 {
		t.Error("Slack pacer never waited")
	}
}

func TestDispatcherPermanentFailures(t *testing.T) {
	slackSrv := newHookServer(t, reply(http.StatusNotFound, "no_service"))
	hookSrv := newHookServer(t, nil)
	clock := newFakeClock(t0)
	slack := newTestSlack(t, slackSrv.URL+"/services/T/B/X", clock)
	hook, err := NewWebhook(WebhookConfig{URL: hookSrv.URL + "/in", Secret: "k"})
	if err != nil {
		t.Fatal(err)
	}

	ob := newMemOutbox()
	s1 := ob.add(t, "slack", alertN(1), t0)
	h1 := ob.add(t, "hook", alertN(2), t0)
	s2 := ob.add(t, "slack", alertN(3), t0)
	u1 := ob.add(t, "teams", alertN(4), t0)
	h2 := ob.add(t, "hook", alertN(5), t0)
	op := ob.add(t, "slack", operatorAlert(), t0)
	bad := ob.add(t, "hook", Alert{}, t0)
	ob.rows[bad].item.Payload = []byte("{not json")

	core, logs := observer.New(zap.InfoLevel)
	var mu sync.Mutex
	failed := map[int64]error{}
	d := NewDispatcher(ob, map[string]Channel{"slack": slack, "hook": hook}, DispatcherOptions{
		Logger: zap.New(core), Now: clock.Now,
		OnFailed: func(it OutboxItem, err error) {
			mu.Lock()
			defer mu.Unlock()
			failed[it.ID] = err
		},
	})
	delivered, pending, err := d.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if delivered != 2 || pending != 0 {
		t.Errorf("RunOnce = %d delivered, %d pending; want 2, 0", delivered, pending)
	}
	for _, id := range []int64{h1, h2} {
		if r := ob.snapshot(id); r.delivered != 1 {
			t.Errorf("hook item %d not delivered", id)
		}
	}
	for id, want := range map[int64]string{s1: "no_service", s2: "no_service", u1: `unknown channel "teams"`, op: "no_service", bad: "decode alert payload"} {
		r := ob.snapshot(id)
		if !r.failed || !strings.Contains(r.reason, want) {
			t.Errorf("item %d: failed %v, reason %q; want failed with %q", id, r.failed, r.reason, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range []int64{s1, s2, u1, bad} {
		if failed[id] == nil {
			t.Errorf("OnFailed not called for item %d", id)
		}
	}
	if !IsPermanent(failed[s1]) {
		t.Errorf("OnFailed error %v is not permanent", failed[s1])
	}
	if _, ok := failed[op]; ok {
		t.Error("OnFailed called for a failed operator alert")
	}
	for _, e := range logs.FilterMessage("alert delivery failed for good").All() {
		m := e.ContextMap()
		if m["key"] == nil || m["channel"] == nil || m["outbox_id"] == nil {
			t.Errorf("log lacks key/channel/outbox_id: %v", m)
		}
	}
	if n := logs.FilterMessage("alert delivered").Len(); n != 2 {
		t.Errorf("%d delivery logs, want 2", n)
	}
}

func TestDispatcherHonoursRetryAfterAndMaxAge(t *testing.T) {
	clock := newFakeClock(t0)
	srv := newHookServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	slack := newTestSlack(t, srv.URL+"/services/T/B/X", clock)
	ob := newMemOutbox()
	id := ob.add(t, "slack", alertN(1), t0)
	var failedErr atomic.Value
	d := NewDispatcher(ob, map[string]Channel{"slack": slack}, DispatcherOptions{
		Now: clock.Now, Rand: func() float64 { return 0 }, MinBackoff: time.Second, MaxBackoff: time.Minute, MaxAge: time.Hour,
		OnFailed: func(_ OutboxItem, err error) { failedErr.Store(err) },
	})
	if _, _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := ob.snapshot(id)
	if wait := r.next.Sub(clock.Now()); wait < 600*time.Second {
		t.Errorf("retry scheduled after %s, want at least Retry-After 600s", wait)
	}
	// Nothing is due before then.
	clock.Advance(5 * time.Minute)
	if _, pending, _ := d.RunOnce(t.Context()); pending != 0 || len(srv.Requests()) != 1 {
		t.Errorf("retried before Retry-After: pending %d, requests %d", pending, len(srv.Requests()))
	}
	// Past MaxAge, the next failure gives up.
	clock.Set(t0.Add(2 * time.Hour))
	if _, _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r := ob.snapshot(id); !r.failed || !strings.Contains(r.reason, "gave up after 2 attempts") {
		t.Errorf("item: failed %v, reason %q", r.failed, r.reason)
	}
	if err, _ := failedErr.Load().(error); err == nil {
		t.Error("OnFailed not called on giving up")
	}
}

func TestDispatcherCancelledSendIsNotAnAttempt(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := newHookServer(t, func(_ http.ResponseWriter, r *http.Request, _ int) {
		arrived <- struct{}{}
		<-r.Context().Done()
	})
	clock := newFakeClock(t0)
	ob := newMemOutbox()
	id := ob.add(t, "slack", alertN(1), t0)
	d := NewDispatcher(ob, map[string]Channel{"slack": newTestSlack(t, srv.URL+"/services/T/B/X", clock)},
		DispatcherOptions{Now: clock.Now, StopGrace: 50 * time.Millisecond})

	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-arrived
		cancel() // the send gets StopGrace to finish; this server never answers
	}()
	_, pending, err := d.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := ob.snapshot(id); pending != 1 || r.item.Attempts != 0 || r.failed || r.delivered != 0 || !r.next.Equal(t0) {
		t.Errorf("after cancel: pending %d, row %+v; want the item untouched and still due", pending, r)
	}
}

// signalWriter passes every write to a channel.
type signalWriter struct{ writes chan string }

func (w signalWriter) Write(p []byte) (int, error) {
	w.writes <- string(p)
	return len(p), nil
}

func TestDispatcherRunWakesAndStops(t *testing.T) {
	out := signalWriter{writes: make(chan string, 10)}
	ob := newMemOutbox()
	clock := newFakeClock(t0)
	d := NewDispatcher(ob, map[string]Channel{"console": NewConsole(out)}, DispatcherOptions{Now: clock.Now, PollInterval: time.Hour})

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, wake) }()

	for i := range 3 {
		ob.add(t, "console", alertN(i), t0)
		wake <- struct{}{}
		select {
		case s := <-out.writes:
			if !strings.Contains(s, fmt.Sprintf("key: k%02d", i)) {
				t.Errorf("wrote %q", s)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("alert %d not delivered after wake-up", i)
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestBackoff(t *testing.T) {
	min, max := 5*time.Second, 10*time.Minute
	prevLow := time.Duration(0)
	for attempts := 1; attempts <= 20; attempts++ {
		low := backoff(attempts, min, max, 0, 0)
		high := backoff(attempts, min, max, 0.999999, 0)
		if low > high || high > max || low < min/2 {
			t.Errorf("attempt %d: [%s, %s] out of bounds", attempts, low, high)
		}
		if low < prevLow {
			t.Errorf("attempt %d: backoff shrank", attempts)
		}
		prevLow = low
	}
	if got := backoff(1, min, max, 0.5, time.Hour); got != time.Hour {
		t.Errorf("backoff with Retry-After 1h = %s", got)
	}
	if got := backoff(1000, min, max, 0, 0); got != max/2 {
		t.Errorf("backoff(1000) = %s, want %s", got, max/2)
	}
}
