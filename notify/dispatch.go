package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"go.uber.org/zap"
)

// OutboxItem is one alert waiting for delivery on one channel.
type OutboxItem struct {
	ID      int64
	Channel string
	// Key is the alert's idempotency key.
	Key string
	// Payload is the JSON encoding of the Alert.
	Payload []byte
	// Attempts counts failed delivery attempts so far.
	Attempts  int
	CreatedAt time.Time
}

// Outbox is the durable queue of deliveries, as the dispatcher needs it (the store implements it).
// It must be safe for concurrent use: the dispatcher serves channels in parallel.
type Outbox interface {
	// Due returns up to limit items that are neither delivered nor failed and whose next attempt
	// is at or before now, oldest first (by CreatedAt, then ID).
	Due(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error)
	// MarkDelivered records that the channel accepted the item.
	MarkDelivered(ctx context.Context, id int64, at time.Time) error
	// MarkRetry records a failed attempt (or a wait behind an earlier item) and when to try next.
	MarkRetry(ctx context.Context, id int64, attempts int, next time.Time, lastErr string) error
	// MarkFailed gives the item up.
	MarkFailed(ctx context.Context, id int64, at time.Time, reason string) error
}

// DispatcherOptions tune a Dispatcher; zero values take the defaults.
type DispatcherOptions struct {
	// Logger receives structured logs (always with outbox_id, channel and key); default none.
	Logger *zap.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Rand returns jitter in [0,1); default math/rand/v2.Float64. Calls are serialised.
	Rand func() float64
	// MinBackoff is the delay after a first failure, before jitter; default 5s. It doubles per
	// attempt up to MaxBackoff (default 15m), and is never shorter than the destination's Retry-After.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// MaxAge is how long after its creation an item keeps being retried; a transient failure
	// after that marks it failed. Default 24h.
	MaxAge time.Duration
	// BatchSize is how many due items are loaded at a time; default 100.
	BatchSize int
	// PollInterval is the longest Run sleeps without a wake-up or a scheduled retry; default 30s.
	// It picks up retries scheduled before a restart.
	PollInterval time.Duration
	// OnFailed is called after an item is marked failed (permanent error, unknown channel,
	// undecodable payload, MaxAge exceeded), typically to enqueue an operator alert. It is not
	// called for failed operator alerts, so that a broken channel cannot cause an endless chain of
	// operator alerts about operator alerts (those failures are logged at error level). It may be
	// called from several goroutines at once.
	OnFailed func(item OutboxItem, err error)
	// OnDelivered is called after an item was accepted by its channel and marked delivered,
	// with the acceptance time (for metrics). It may be called from several goroutines at once.
	OnDelivered func(item OutboxItem, at time.Time)
	// OnRetry is called after a transient failure scheduled a retry (for metrics).
	OnRetry func(item OutboxItem, err error)
	// StopGrace is how long a send under way may still finish once the dispatcher is stopped
	// (its context ends): cutting it off could leave an alert the channel accepted unrecorded,
	// and so sent twice. Default 10s.
	StopGrace time.Duration
}

// Dispatcher delivers the outbox through the channels: per channel strictly in order, channels
// independently of each other, each item marked delivered only after its channel accepted it.
//
// When an item fails transiently, its channel's later items wait behind it (they are re-scheduled
// to the same time, so they neither go out of order nor fill the due batches and starve other
// channels). The dispatcher remembers which channels are waiting; after a restart, an item
// enqueued while an older one waits for its retry may overtake it.
type Dispatcher struct {
	outbox   Outbox
	channels map[string]Channel
	log      *zap.Logger
	now      func() time.Time
	onFailed func(OutboxItem, error)

	onDelivered func(OutboxItem, time.Time)
	onRetry     func(OutboxItem, error)
	stopGrace   time.Duration

	minBackoff, maxBackoff, maxAge time.Duration
	batch                          int
	pollInterval                   time.Duration

	randMu sync.Mutex
	rand   func() float64

	runMu sync.Mutex // one RunOnce at a time: two would deliver the same items twice

	mu      sync.Mutex
	blocked map[string]blocker // channel → the item it waits for
}

// blocker is the item a channel's later items wait behind.
type blocker struct {
	id    int64
	key   string
	until time.Time
}

// defaultStopGrace is DispatcherOptions.StopGrace's default.
const defaultStopGrace = 10 * time.Second

// send delivers one alert. A stop (ctx ending) does not cut a send short: it gets StopGrace to
// finish, within the channel's own timeouts.
func (d *Dispatcher) send(ctx context.Context, ch Channel, a Alert) error {
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(d.stopGrace, cancel)
		context.AfterFunc(sctx, func() { t.Stop() })
	})
	defer stop()
	return ch.Send(sctx, a)
}

// maxRounds bounds the batches one RunOnce loads, in case a store does not persist MarkRetry.
const maxRounds = 1000

// markTimeout bounds one outbox update; updates run even when the dispatcher's context has
// ended, so that a delivery that happened is recorded.
const markTimeout = 10 * time.Second

// NewDispatcher returns a dispatcher for outbox over channels, keyed by the names used in
// OutboxItem.Channel.
func NewDispatcher(outbox Outbox, channels map[string]Channel, opts DispatcherOptions) *Dispatcher {
	d := &Dispatcher{
		outbox:       outbox,
		channels:     make(map[string]Channel, len(channels)),
		log:          opts.Logger,
		now:          opts.Now,
		rand:         opts.Rand,
		onFailed:     opts.OnFailed,
		onDelivered:  opts.OnDelivered,
		onRetry:      opts.OnRetry,
		stopGrace:    opts.StopGrace,
		minBackoff:   opts.MinBackoff,
		maxBackoff:   opts.MaxBackoff,
		maxAge:       opts.MaxAge,
		batch:        opts.BatchSize,
		pollInterval: opts.PollInterval,
		blocked:      map[string]blocker{},
	}
	for name, ch := range channels {
		d.channels[name] = ch
	}
	if d.log == nil {
		d.log = zap.NewNop()
	}
	if d.now == nil {
		d.now = time.Now
	}
	if d.rand == nil {
		d.rand = rand.Float64
	}
	if d.minBackoff <= 0 {
		d.minBackoff = 5 * time.Second
	}
	if d.maxBackoff <= 0 {
		d.maxBackoff = 15 * time.Minute
	}
	d.maxBackoff = max(d.maxBackoff, d.minBackoff)
	if d.maxAge <= 0 {
		d.maxAge = 24 * time.Hour
	}
	if d.stopGrace <= 0 {
		d.stopGrace = defaultStopGrace
	}
	if d.batch <= 0 {
		d.batch = 100
	}
	if d.pollInterval <= 0 {
		d.pollInterval = 30 * time.Second
	}
	return d
}

// RunOnce delivers everything due now. It returns how many items were delivered, how many are
// still pending (scheduled for a retry, or waiting behind one), and any outbox error. Delivery
// failures are not errors: they are recorded in the outbox.
//
// Calls are serialised: a RunOnce waits for one already running.
func (d *Dispatcher) RunOnce(ctx context.Context) (delivered, pending int, err error) {
	d.runMu.Lock()
	defer d.runMu.Unlock()
	start := d.now()
	defer d.forgetStale(start)
	for range maxRounds {
		items, err := d.outbox.Due(ctx, start, d.batch)
		if err != nil {
			return delivered, pending, fmt.Errorf("notify: load due outbox items: %w", err)
		}
		var order []string
		groups := map[string][]OutboxItem{}
		for _, it := range items {
			if _, ok := groups[it.Channel]; !ok {
				order = append(order, it.Channel)
			}
			groups[it.Channel] = append(groups[it.Channel], it)
		}
		results := make([]channelResult, len(order))
		var wg sync.WaitGroup
		for i, name := range order {
			wg.Go(func() { results[i] = d.deliverChannel(ctx, name, groups[name]) })
		}
		wg.Wait()
		var errs []error
		for _, r := range results {
			delivered += r.delivered
			pending += r.pending
			errs = append(errs, r.err)
		}
		if err := errors.Join(errs...); err != nil {
			return delivered, pending, err
		}
		if len(items) < d.batch || ctx.Err() != nil {
			return delivered, pending, nil
		}
	}
	return delivered, pending, fmt.Errorf("notify: outbox still returned due items after %d batches; does MarkRetry persist the next attempt?", maxRounds)
}

// channelResult is what delivering one channel's items in one batch came to.
type channelResult struct {
	delivered, pending int
	err                error // outbox errors only
}

// deliverChannel delivers one channel's due items in order, stopping at the first transient failure.
func (d *Dispatcher) deliverChannel(ctx context.Context, name string, items []OutboxItem) (res channelResult) {
	ch := d.channels[name]
	for i, it := range items {
		rest := len(items) - i
		if ctx.Err() != nil {
			res.pending += rest
			return res
		}
		log := d.log.With(zap.Int64("outbox_id", it.ID), zap.String("channel", name), zap.String("key", it.Key))

		var a Alert
		if err := json.Unmarshal(it.Payload, &a); err != nil {
			res.err = d.fail(ctx, log, it, false, fmt.Errorf("decode alert payload: %w", err))
			if res.err != nil {
				return res
			}
			continue
		}
		if a.Key == "" {
			a.Key = it.Key
		}
		operator := isOperator(a)
		if ch == nil {
			if res.err = d.fail(ctx, log, it, operator, fmt.Errorf("unknown channel %q", name)); res.err != nil {
				return res
			}
			continue
		}
		if b, ok := d.blockedBy(name); ok && b.id != it.ID && b.until.After(d.now()) {
			res.pending += rest
			res.err = d.wait(ctx, name, items[i:], b)
			return res
		}

		err := d.send(ctx, ch, a)
		now := d.now()
		if err == nil {
			d.unblock(name)
			res.delivered++
			if merr := d.mark(ctx, func(mctx context.Context) error { return d.outbox.MarkDelivered(mctx, it.ID, now) }); merr != nil {
				log.Error("alert delivered but not marked delivered; it will be sent again", zap.Error(merr))
				res.pending += rest - 1
				res.err = fmt.Errorf("notify: mark outbox item %d delivered: %w", it.ID, merr)
				return res
			}
			log.Info("alert delivered", zap.Int("attempts", it.Attempts+1))
			if d.onDelivered != nil {
				d.onDelivered(it, now)
			}
			continue
		}
		if ctx.Err() != nil {
			// Shutting down: this attempt does not count; the item stays due.
			res.pending += rest
			return res
		}
		attempts := it.Attempts + 1
		if IsPermanent(err) {
			d.unblock(name)
			if res.err = d.fail(ctx, log, it, operator, err); res.err != nil {
				return res
			}
			continue
		}
		if age := now.Sub(it.CreatedAt); age >= d.maxAge {
			d.unblock(name)
			reason := fmt.Errorf("gave up after %d attempts over %s: %w", attempts, age.Round(time.Second), err)
			if res.err = d.fail(ctx, log, it, operator, reason); res.err != nil {
				return res
			}
			continue
		}
		retryAfter := RetryAfterOf(err)
		next := now.Add(backoff(attempts, d.minBackoff, d.maxBackoff, d.jitter(), retryAfter))
		b := blocker{id: it.ID, key: it.Key, until: next}
		d.block(name, b)
		res.pending += rest
		if merr := d.mark(ctx, func(mctx context.Context) error {
			return d.outbox.MarkRetry(mctx, it.ID, attempts, next, err.Error())
		}); merr != nil {
			res.err = fmt.Errorf("notify: schedule retry of outbox item %d: %w", it.ID, merr)
			return res
		}
		if d.onRetry != nil {
			d.onRetry(it, err)
		}
		log.Warn("alert delivery failed, will retry",
			zap.Int("attempts", attempts), zap.Time("next_attempt", next),
			zap.Duration("retry_after", retryAfter), zap.Error(err))
		res.err = d.wait(ctx, name, items[i+1:], b)
		return res
	}
	return res
}

// wait re-schedules items (a channel's items behind a retrying one) to when the blocker is due
// again, without counting an attempt, so that they keep their order and leave the due set.
func (d *Dispatcher) wait(ctx context.Context, name string, items []OutboxItem, b blocker) error {
	reason := fmt.Sprintf("waiting behind outbox item %d on channel %s", b.id, name)
	for _, it := range items {
		if err := d.mark(ctx, func(mctx context.Context) error {
			return d.outbox.MarkRetry(mctx, it.ID, it.Attempts, b.until, reason)
		}); err != nil {
			return fmt.Errorf("notify: defer outbox item %d: %w", it.ID, err)
		}
	}
	if len(items) > 0 {
		d.log.Debug("alerts wait behind a retry", zap.String("channel", name), zap.String("key", b.key),
			zap.Int64("outbox_id", b.id), zap.Int("waiting", len(items)), zap.Time("next_attempt", b.until))
	}
	return nil
}

// fail marks an item failed and tells OnFailed (except for operator alerts). It returns only
// outbox errors.
func (d *Dispatcher) fail(ctx context.Context, log *zap.Logger, it OutboxItem, operator bool, reason error) error {
	now := d.now()
	if err := d.mark(ctx, func(mctx context.Context) error {
		return d.outbox.MarkFailed(mctx, it.ID, now, reason.Error())
	}); err != nil {
		log.Error("could not mark alert failed", zap.Error(err), zap.NamedError("reason", reason))
		return fmt.Errorf("notify: mark outbox item %d failed: %w", it.ID, err)
	}
	log.Error("alert delivery failed for good", zap.Int("attempts", it.Attempts+1), zap.Bool("operator", operator), zap.Error(reason))
	if d.onFailed != nil && !operator {
		d.onFailed(it, reason)
	}
	return nil
}

// mark runs an outbox update with a context that survives ctx's cancellation but not forever.
func (d *Dispatcher) mark(ctx context.Context, f func(context.Context) error) error {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	return f(mctx)
}

func (d *Dispatcher) jitter() float64 {
	d.randMu.Lock()
	defer d.randMu.Unlock()
	return d.rand()
}

func (d *Dispatcher) blockedBy(name string) (blocker, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, ok := d.blocked[name]
	return b, ok
}

func (d *Dispatcher) block(name string, b blocker) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.blocked[name] = b
}

func (d *Dispatcher) unblock(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.blocked, name)
}

// forgetStale drops waits that should have ended by now (their blocker was due and, had it
// still been in the outbox, would have been attempted), so Run does not spin on them.
func (d *Dispatcher) forgetStale(now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for name, b := range d.blocked {
		if !b.until.After(now) {
			delete(d.blocked, name)
		}
	}
}

// NextAttempt returns the earliest scheduled retry this dispatcher knows of, or the zero time.
func (d *Dispatcher) NextAttempt() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	var next time.Time
	for _, b := range d.blocked {
		if next.IsZero() || b.until.Before(next) {
			next = b.until
		}
	}
	return next
}

// Run delivers until ctx ends: a RunOnce, then a wait for a signal on wake (send one after
// enqueueing), the earliest scheduled retry, or PollInterval, whichever comes first. It returns
// ctx's error. A nil wake relies on the timers alone.
func (d *Dispatcher) Run(ctx context.Context, wake <-chan struct{}) error {
	for {
		delivered, pending, err := d.RunOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := d.pollInterval
		if err != nil {
			d.log.Error("outbox round failed", zap.Error(err))
			wait = min(wait, 5*time.Second)
		} else if delivered+pending > 0 {
			d.log.Debug("outbox round done", zap.Int("delivered", delivered), zap.Int("pending", pending))
		}
		if next := d.NextAttempt(); !next.IsZero() {
			wait = max(min(wait, next.Sub(d.now())), 0)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case _, ok := <-wake:
			if !ok {
				wake = nil
			}
		case <-t.C:
		}
		t.Stop()
	}
}
