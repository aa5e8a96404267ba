package metrics

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/store"
)

var t0 = time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)

// gather compares the named metric families in reg with the exposition text want.
func gather(t *testing.T, reg *prometheus.Registry, want string, names ...string) {
	t.Helper()
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

func TestPolls(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.PollSucceeded("reuters", PollResult(200, false, false), t0)
	m.PollSucceeded("reuters", PollResult(304, true, false), t0.Add(time.Minute))
	m.PollSucceeded("reuters", PollResult(200, false, true), t0.Add(2*time.Minute+500*time.Millisecond))
	m.PollSucceeded("reuters", ResultOK, t0.Add(2*time.Minute+500*time.Millisecond))
	m.PollFailed("sec", ErrorClass(fmt.Errorf("poll: %w", &feeds.FetchError{Class: feeds.ClassTimeout})))
	m.PollFailed("sec", ErrorClass(&feeds.FetchError{Class: feeds.ClassHTTP5xx, Status: 503}))
	m.PollFailed("sec", ErrorClass(&feeds.FetchError{Class: feeds.ClassRateLimited, Status: 429}))
	m.PollFailed("gone", ErrorClass(&feeds.FetchError{Class: feeds.ClassGone, Status: 410}))
	m.PollFailed("sec", ResultParse)
	m.PollFailed("sec", ErrorClass(errors.New("store down")))

	gather(t, reg, `
# HELP catalyst_feed_polls_total Feed polls by feed and result: "200", "304", "unchanged", "parse", or the fetch error class (timeout, http_5xx, rate_limited, gone, ...).
# TYPE catalyst_feed_polls_total counter
catalyst_feed_polls_total{feed="gone",result="gone"} 1
catalyst_feed_polls_total{feed="reuters",result="200"} 2
catalyst_feed_polls_total{feed="reuters",result="304"} 1
catalyst_feed_polls_total{feed="reuters",result="unchanged"} 1
catalyst_feed_polls_total{feed="sec",result="error"} 1
catalyst_feed_polls_total{feed="sec",result="http_5xx"} 1
catalyst_feed_polls_total{feed="sec",result="parse"} 1
catalyst_feed_polls_total{feed="sec",result="rate_limited"} 1
catalyst_feed_polls_total{feed="sec",result="timeout"} 1
`, "catalyst_feed_polls_total")

	// Only successful polls set the last-success time; a feed that never succeeded has no series.
	want := float64(t0.Unix()) + 120.5
	if got := testutil.ToFloat64(m.lastSuccess.WithLabelValues("reuters")); got != want {
		t.Errorf("last success of reuters = %v, want %v", got, want)
	}
	if n := testutil.CollectAndCount(m.lastSuccess); n != 1 {
		t.Errorf("last-success series = %d, want 1 (failed feeds have none)", n)
	}
}

func TestParseDurationHistogram(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.ObserveParse("reuters", 3*time.Millisecond)
	m.ObserveParse("reuters", 40*time.Millisecond)
	m.ObserveParse("ap", time.Second)
	if n, err := testutil.GatherAndCount(reg, "catalyst_feed_parse_duration_seconds"); err != nil || n != 2 {
		t.Fatalf("parse histogram series = %d, %v; want 2", n, err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "catalyst_feed_parse_duration_seconds" {
			continue
		}
		for _, mt := range mf.GetMetric() {
			if mt.GetLabel()[0].GetValue() != "reuters" {
				continue
			}
			h := mt.GetHistogram()
			if h.GetSampleCount() != 2 || h.GetSampleSum() < 0.0429 || h.GetSampleSum() > 0.0431 {
				t.Errorf("reuters parse histogram: count %d sum %v, want 2 and 0.043", h.GetSampleCount(), h.GetSampleSum())
			}
		}
	}
}

func TestHeadlinesSignalsTransitions(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.Headlines("reuters", 3, 7)
	m.Headlines("reuters", 1, 0)
	m.Headlines("ap", 0, 2)
	m.Headlines("idle", 0, 0) // nothing read: no series
	m.Signal("happyhorse-alibaba", "confirmed")
	m.Signal("happyhorse-alibaba", "confirmed")
	m.Signal("disney-bytedance", "filed")
	m.Transition("happyhorse-alibaba", "unconfirmed", "confirmed")

	gather(t, reg, `
# HELP catalyst_headlines_total Headlines read from feeds, by feed and kind: "new" (first seen) or "duplicate" (seen before).
# TYPE catalyst_headlines_total counter
catalyst_headlines_total{feed="ap",kind="duplicate"} 2
catalyst_headlines_total{feed="reuters",kind="duplicate"} 7
catalyst_headlines_total{feed="reuters",kind="new"} 4
# HELP catalyst_signals_total Decisive signals classified from new headlines, by catalyst and asserted state.
# TYPE catalyst_signals_total counter
catalyst_signals_total{catalyst="disney-bytedance",state="filed"} 1
catalyst_signals_total{catalyst="happyhorse-alibaba",state="confirmed"} 2
# HELP catalyst_transitions_total Catalyst state transitions committed, by catalyst, from-state and to-state.
# TYPE catalyst_transitions_total counter
catalyst_transitions_total{catalyst="happyhorse-alibaba",from="unconfirmed",to="confirmed"} 1
`, "catalyst_headlines_total", "catalyst_signals_total", "catalyst_transitions_total")
}

func TestDeliveries(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.Delivered("slack", t0, t0.Add(2*time.Second))
	m.Delivered("slack", t0, t0.Add(-time.Second)) // clock skew: observed as 0
	m.Delivered("email", t0, t0.Add(20*time.Minute))
	m.DeliveryRetry("email")
	m.DeliveryRetry("email")
	m.DeliveryFailed("webhook")

	gather(t, reg, `
# HELP catalyst_deliveries_total Alert delivery outcomes by channel and result: "delivered", "retry" or "failed".
# TYPE catalyst_deliveries_total counter
catalyst_deliveries_total{channel="email",result="delivered"} 1
catalyst_deliveries_total{channel="email",result="retry"} 2
catalyst_deliveries_total{channel="slack",result="delivered"} 2
catalyst_deliveries_total{channel="webhook",result="failed"} 1
# HELP catalyst_delivery_latency_seconds Time from a transition being recorded to its alert being accepted by the channel, by channel.
# TYPE catalyst_delivery_latency_seconds histogram
catalyst_delivery_latency_seconds_bucket{channel="email",le="0.1"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="0.25"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="0.5"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="1"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="2.5"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="5"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="10"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="30"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="60"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="300"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="900"} 0
catalyst_delivery_latency_seconds_bucket{channel="email",le="3600"} 1
catalyst_delivery_latency_seconds_bucket{channel="email",le="14400"} 1
catalyst_delivery_latency_seconds_bucket{channel="email",le="86400"} 1
catalyst_delivery_latency_seconds_bucket{channel="email",le="+Inf"} 1
catalyst_delivery_latency_seconds_sum{channel="email"} 1200
catalyst_delivery_latency_seconds_count{channel="email"} 1
catalyst_delivery_latency_seconds_bucket{channel="slack",le="0.1"} 1
catalyst_delivery_latency_seconds_bucket{channel="slack",le="0.25"} 1
catalyst_delivery_latency_seconds_bucket{channel="slack",le="0.5"} 1
catalyst_delivery_latency_seconds_bucket{channel="slack",le="1"} 1
catalyst_delivery_latency_seconds_bucket{channel="slack",le="2.5"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="5"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="10"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="30"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="60"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="300"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="900"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="3600"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="14400"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="86400"} 2
catalyst_delivery_latency_seconds_bucket{channel="slack",le="+Inf"} 2
catalyst_delivery_latency_seconds_sum{channel="slack"} 2
catalyst_delivery_latency_seconds_count{channel="slack"} 2
`, "catalyst_deliveries_total", "catalyst_delivery_latency_seconds")
}

func TestOutboxGaugesAreComputedAtScrape(t *testing.T) {
	reg := prometheus.NewRegistry()
	now := t0
	m := New(reg, WithClock(func() time.Time { return now }))

	// Before a function is set the outbox gauges are absent (not a misleading 0).
	if n, err := testutil.GatherAndCount(reg, "catalyst_outbox_pending"); err != nil || n != 0 {
		t.Fatalf("outbox gauge before SetOutboxFunc: %d series, %v; want none", n, err)
	}

	calls := 0
	pending, oldest := 3, t0.Add(-90*time.Second)
	m.SetOutboxFunc(func() (int, int, time.Time, error) {
		calls++
		return pending, 2, oldest, nil
	})
	const names = `
# HELP catalyst_outbox_failed Outbox rows given up on (all channels).
# TYPE catalyst_outbox_failed gauge
catalyst_outbox_failed 2
# HELP catalyst_outbox_oldest_pending_age_seconds Age of the oldest undelivered alert in the outbox; 0 when none is pending.
# TYPE catalyst_outbox_oldest_pending_age_seconds gauge
catalyst_outbox_oldest_pending_age_seconds %v
# HELP catalyst_outbox_pending Outbox rows waiting for delivery (all channels).
# TYPE catalyst_outbox_pending gauge
catalyst_outbox_pending %d
`
	gather(t, reg, fmt.Sprintf(names, 90, 3),
		"catalyst_outbox_pending", "catalyst_outbox_failed", "catalyst_outbox_oldest_pending_age_seconds")

	// A later scrape sees the new values: they are read, not cached.
	now = now.Add(time.Minute)
	gather(t, reg, fmt.Sprintf(names, 150, 3),
		"catalyst_outbox_pending", "catalyst_outbox_failed", "catalyst_outbox_oldest_pending_age_seconds")
	pending, oldest = 0, time.Time{}
	gather(t, reg, fmt.Sprintf(names, 0, 0),
		"catalyst_outbox_pending", "catalyst_outbox_failed", "catalyst_outbox_oldest_pending_age_seconds")
	if calls != 3 {
		t.Errorf("outbox func called %d times for 3 scrapes", calls)
	}
}

func TestOutboxErrorDropsGaugesAndCounts(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.SetOutboxFunc(func() (int, int, time.Time, error) { return 0, 0, time.Time{}, errors.New("database is locked") })
	for range 2 {
		if _, err := reg.Gather(); err != nil {
			t.Fatalf("gather with a failing outbox func: %v (the rest of the scrape must survive)", err)
		}
	}
	if n, _ := testutil.GatherAndCount(reg, "catalyst_outbox_pending"); n != 0 {
		t.Errorf("pending gauge present although its read failed")
	}
	// Two gathers, one count, and the comparing gather itself: four failed reads.
	gather(t, reg, `
# HELP catalyst_outbox_stats_errors_total Scrapes whose outbox statistics could not be read.
# TYPE catalyst_outbox_stats_errors_total counter
catalyst_outbox_stats_errors_total 4
`, "catalyst_outbox_stats_errors_total")
}

func TestOutboxFromStats(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg, WithClock(func() time.Time { return t0 }))
	var gotDeadline bool
	m.SetOutboxFunc(OutboxFromStats(func(ctx context.Context) (store.OutboxStats, error) {
		_, gotDeadline = ctx.Deadline()
		return store.OutboxStats{Pending: 4, Delivered: 10, Failed: 1, OldestPending: t0.Add(-time.Hour)}, nil
	}, 2*time.Second))
	gather(t, reg, `
# HELP catalyst_outbox_oldest_pending_age_seconds Age of the oldest undelivered alert in the outbox; 0 when none is pending.
# TYPE catalyst_outbox_oldest_pending_age_seconds gauge
catalyst_outbox_oldest_pending_age_seconds 3600
# HELP catalyst_outbox_pending Outbox rows waiting for delivery (all channels).
# TYPE catalyst_outbox_pending gauge
catalyst_outbox_pending 4
`, "catalyst_outbox_pending", "catalyst_outbox_oldest_pending_age_seconds")
	if !gotDeadline {
		t.Error("OutboxFromStats did not bound the read with a deadline")
	}

	_, _, _, err := OutboxFromStats(func(context.Context) (store.OutboxStats, error) {
		return store.OutboxStats{}, errors.New("closed")
	}, 0)()
	if err == nil || !strings.Contains(err.Error(), "outbox stats") {
		t.Errorf("error = %v, want it wrapped with context", err)
	}
}

func TestNilMetricsIsANoOp(t *testing.T) {
	var m *Metrics
	m.PollSucceeded("f", ResultOK, t0)
	m.PollFailed("f", ResultParse)
	m.ObserveParse("f", time.Millisecond)
	m.Headlines("f", 1, 1)
	m.Signal("c", "s")
	m.Transition("c", "a", "b")
	m.Delivered("slack", t0, t0)
	m.DeliveryRetry("slack")
	m.DeliveryFailed("slack")
	m.SetOutboxFunc(nil)
}

func TestEveryNameIsPrefixedAndDocumented(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	// Touch every vector so that each family has a series to gather.
	m.PollSucceeded("f", ResultOK, t0)
	m.ObserveParse("f", time.Millisecond)
	m.Headlines("f", 1, 1)
	m.Signal("c", "s")
	m.Transition("c", "a", "b")
	m.Delivered("slack", t0, t0)
	m.SetOutboxFunc(func() (int, int, time.Time, error) { return 0, 0, time.Time{}, nil })
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"catalyst_feed_polls_total": true, "catalyst_feed_parse_duration_seconds": true,
		"catalyst_headlines_total": true, "catalyst_signals_total": true, "catalyst_transitions_total": true,
		"catalyst_deliveries_total": true, "catalyst_delivery_latency_seconds": true,
		"catalyst_feed_last_success_timestamp_seconds": true, "catalyst_outbox_pending": true,
		"catalyst_outbox_failed": true, "catalyst_outbox_oldest_pending_age_seconds": true,
		"catalyst_outbox_stats_errors_total": true,
	}
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "catalyst_") || mf.GetHelp() == "" {
			t.Errorf("metric %q: want a catalyst_ prefix and help text", mf.GetName())
		}
		delete(want, mf.GetName())
	}
	for name := range want {
		t.Errorf("metric %s missing", name)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

func TestNewPanicsOnDoubleRegistration(t *testing.T) {
	reg := prometheus.NewRegistry()
	New(reg)
	defer func() {
		if recover() == nil {
			t.Error("second New on the same registry did not panic")
		}
	}()
	New(reg)
}
