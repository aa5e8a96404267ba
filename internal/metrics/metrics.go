// Package metrics holds catalyst's Prometheus collectors and the small methods the pipeline calls
// to update them: feed polls and parsing, headlines, signals, transitions, deliveries, and the
// outbox gauges computed at scrape time.
//
// Every metric name starts with "catalyst_". Label values come from the configuration (feed,
// catalyst, state and channel names) or from small fixed sets (poll and delivery results), so
// the number of series stays bounded.
//
// All methods are safe for concurrent use, and all are no-ops on a nil *Metrics, so a pipeline
// built without metrics needs no checks.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/store"
)

// Poll results other than an error class (see ErrorClass).
const (
	// ResultOK is a poll answered 200 with a new body.
	ResultOK = "200"
	// ResultNotModified is a poll answered 304 Not Modified.
	ResultNotModified = "304"
	// ResultUnchanged is a poll answered 200 with the same body as last time.
	ResultUnchanged = "unchanged"
	// ResultParse is a poll whose body could not be parsed as a feed.
	ResultParse = "parse"
	// ResultError is a failed poll whose error carries no class.
	ResultError = "error"
)

// Delivery results.
const (
	// DeliveryDelivered is an alert the channel accepted.
	DeliveryDelivered = "delivered"
	// DeliveryRetry is a failed attempt that will be retried.
	DeliveryRetry = "retry"
	// DeliveryFailed is an alert given up on.
	DeliveryFailed = "failed"
)

// OutboxFunc reports the outbox at scrape time: how many rows are pending, how many failed, and
// the creation time of the oldest pending row (zero when none is pending). An error leaves the
// three outbox gauges out of that scrape and counts catalyst_outbox_stats_errors_total.
type OutboxFunc func() (pending, failed int, oldest time.Time, err error)

// Option changes how New builds a Metrics.
type Option func(*Metrics)

// WithClock sets the clock used for the age of the oldest undelivered alert; the default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(m *Metrics) {
		if now != nil {
			m.now = now
		}
	}
}

// Metrics holds catalyst's collectors. Build it with New.
type Metrics struct {
	now func() time.Time

	polls           *prometheus.CounterVec
	parseDuration   *prometheus.HistogramVec
	headlines       *prometheus.CounterVec
	signals         *prometheus.CounterVec
	transitions     *prometheus.CounterVec
	deliveries      *prometheus.CounterVec
	deliveryLatency *prometheus.HistogramVec
	lastSuccess     *prometheus.GaugeVec
	outbox          *outboxCollector
}

// New builds the collectors and registers them with reg. It panics if reg already holds
// collectors of the same names (as prometheus.MustRegister does); a nil reg registers nothing.
func New(reg prometheus.Registerer, opts ...Option) *Metrics {
	m := &Metrics{
		now: time.Now,
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalyst_feed_polls_total",
			Help: `Feed polls by feed and result: "200", "304", "unchanged", "parse", or the fetch error class (timeout, http_5xx, rate_limited, gone, ...).`,
		}, []string{"feed", "result"}),
		parseDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "catalyst_feed_parse_duration_seconds",
			Help:    "Time to parse a fetched feed body into headlines, by feed.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 9), // 0.5ms … 33s
		}, []string{"feed"}),
		headlines: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalyst_headlines_total",
			Help: `Headlines read from feeds, by feed and kind: "new" (first seen) or "duplicate" (seen before).`,
		}, []string{"feed", "kind"}),
		signals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalyst_signals_total",
			Help: "Decisive signals classified from new headlines, by catalyst and asserted state.",
		}, []string{"catalyst", "state"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalyst_transitions_total",
			Help: "Catalyst state transitions committed, by catalyst, from-state and to-state.",
		}, []string{"catalyst", "from", "to"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalyst_deliveries_total",
			Help: `Alert delivery outcomes by channel and result: "delivered", "retry" or "failed".`,
		}, []string{"channel", "result"}),
		deliveryLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "catalyst_delivery_latency_seconds",
			Help:    "Time from a transition being recorded to its alert being accepted by the channel, by channel.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600},
		}, []string{"channel"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "catalyst_feed_last_success_timestamp_seconds",
			Help: "Unix time of the last successful poll (200, 304 or unchanged), by feed.",
		}, []string{"feed"}),
	}
	for _, o := range opts {
		o(m)
	}
	m.outbox = newOutboxCollector(m.now)
	if reg != nil {
		reg.MustRegister(m.polls, m.parseDuration, m.headlines, m.signals, m.transitions,
			m.deliveries, m.deliveryLatency, m.lastSuccess, m.outbox)
	}
	return m
}

// PollResult names the result of a successful fetch: ResultUnchanged when the body was the same
// as last time, ResultNotModified for a 304, else the status code ("200").
func PollResult(status int, notModified, unchanged bool) string {
	switch {
	case unchanged:
		return ResultUnchanged
	case notModified:
		return ResultNotModified
	default:
		return strconv.Itoa(status)
	}
}

// ErrorClass names the class of a failed poll: the Class of a *feeds.FetchError in err's chain
// (timeout, http_5xx, rate_limited, gone, ...), else ResultError. Parse failures are recorded
// by the caller as ResultParse.
func ErrorClass(err error) string {
	var fe *feeds.FetchError
	if errors.As(err, &fe) && fe.Class != "" {
		return fe.Class
	}
	return ResultError
}

// PollSucceeded counts a successful poll of feed with result (ResultOK, ResultNotModified,
// ResultUnchanged or PollResult's answer) and sets the feed's last-success time to at.
func (m *Metrics) PollSucceeded(feed, result string, at time.Time) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(feed, result).Inc()
	m.lastSuccess.WithLabelValues(feed).Set(unixSeconds(at))
}

// PollFailed counts a failed poll of feed with class (ErrorClass's answer, or ResultParse).
func (m *Metrics) PollFailed(feed, class string) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(feed, class).Inc()
}

// ObserveParse records how long parsing feed's body took.
func (m *Metrics) ObserveParse(feed string, d time.Duration) {
	if m == nil {
		return
	}
	m.parseDuration.WithLabelValues(feed).Observe(d.Seconds())
}

// Headlines counts the headlines one poll of feed read: fresh first seen, duplicate seen before.
func (m *Metrics) Headlines(feed string, fresh, duplicate int) {
	if m == nil {
		return
	}
	if fresh > 0 {
		m.headlines.WithLabelValues(feed, "new").Add(float64(fresh))
	}
	if duplicate > 0 {
		m.headlines.WithLabelValues(feed, "duplicate").Add(float64(duplicate))
	}
}

// Signal counts one decisive signal for catalyst asserting state.
func (m *Metrics) Signal(catalyst, state string) {
	if m == nil {
		return
	}
	m.signals.WithLabelValues(catalyst, state).Inc()
}

// Transition counts one committed transition of catalyst from one state to another.
func (m *Metrics) Transition(catalyst, from, to string) {
	if m == nil {
		return
	}
	m.transitions.WithLabelValues(catalyst, from, to).Inc()
}

// Delivered counts an alert accepted by channel at accepted, and observes the latency from
// recorded (when its transition was recorded, i.e. the outbox row's creation) to accepted.
// A negative latency (clock skew) is observed as zero.
func (m *Metrics) Delivered(channel string, recorded, accepted time.Time) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(channel, DeliveryDelivered).Inc()
	if recorded.IsZero() {
		return
	}
	m.deliveryLatency.WithLabelValues(channel).Observe(max(accepted.Sub(recorded), 0).Seconds())
}

// DeliveryRetry counts a failed delivery attempt on channel that will be retried.
func (m *Metrics) DeliveryRetry(channel string) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(channel, DeliveryRetry).Inc()
}

// DeliveryFailed counts an alert on channel given up on.
func (m *Metrics) DeliveryFailed(channel string) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(channel, DeliveryFailed).Inc()
}

// SetOutboxFunc sets the function read at every scrape for the outbox gauges
// (catalyst_outbox_pending, catalyst_outbox_failed, catalyst_outbox_oldest_pending_age_seconds).
// Until it is set, or after it is set to nil, those gauges are absent. f runs during the scrape,
// so it should be quick and bound its own time (e.g. a store query with a short timeout).
func (m *Metrics) SetOutboxFunc(f OutboxFunc) {
	if m == nil {
		return
	}
	m.outbox.set(f)
}

// OutboxFromStats adapts a store's OutboxStats method (pass s.OutboxStats) to an OutboxFunc;
// each scrape reads the stats with a context bounded by timeout (no bound when timeout <= 0).
func OutboxFromStats(stats func(context.Context) (store.OutboxStats, error), timeout time.Duration) OutboxFunc {
	return func() (int, int, time.Time, error) {
		ctx := context.Background()
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		st, err := stats(ctx)
		if err != nil {
			return 0, 0, time.Time{}, fmt.Errorf("read outbox stats: %w", err)
		}
		return st.Pending, st.Failed, st.OldestPending, nil
	}
}

// unixSeconds is t as fractional Unix seconds.
func unixSeconds(t time.Time) float64 {
	return float64(t.UnixNano()) / 1e9
}

// outboxCollector computes the outbox gauges at scrape time from an OutboxFunc.
type outboxCollector struct {
	now     func() time.Time
	pending *prometheus.Desc
	failed  *prometheus.Desc
	age     *prometheus.Desc
	errors  prometheus.Counter

	mu sync.Mutex
	f  OutboxFunc
}

func newOutboxCollector(now func() time.Time) *outboxCollector {
	return &outboxCollector{
		now: now,
		pending: prometheus.NewDesc("catalyst_outbox_pending",
			"Outbox rows waiting for delivery (all channels).", nil, nil),
		failed: prometheus.NewDesc("catalyst_outbox_failed",
			"Outbox rows given up on (all channels).", nil, nil),
		age: prometheus.NewDesc("catalyst_outbox_oldest_pending_age_seconds",
			"Age of the oldest undelivered alert in the outbox; 0 when none is pending.", nil, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "catalyst_outbox_stats_errors_total",
			Help: "Scrapes whose outbox statistics could not be read.",
		}),
	}
}

func (c *outboxCollector) set(f OutboxFunc) {
	c.mu.Lock()
	c.f = f
	c.mu.Unlock()
}

// Describe implements prometheus.Collector.
func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.failed
	ch <- c.age
	c.errors.Describe(ch)
}

// Collect implements prometheus.Collector.
func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	f := c.f
	c.mu.Unlock()
	if f != nil {
		if pending, failed, oldest, err := f(); err != nil {
			c.errors.Inc()
		} else {
			age := 0.0
			if !oldest.IsZero() && pending > 0 {
				age = max(c.now().Sub(oldest), 0).Seconds()
			}
			ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(pending))
			ch <- prometheus.MustNewConstMetric(c.failed, prometheus.GaugeValue, float64(failed))
			ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
		}
	}
	c.errors.Collect(ch)
}
