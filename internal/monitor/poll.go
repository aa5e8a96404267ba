package monitor

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"go.uber.org/zap"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/internal/metrics"
	"github.com/catalyst-monitor/catalyst/internal/pace"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store"
)

// PollResult says what one poll of one feed did.
type PollResult struct {
	Feed        string
	Status      int
	NotModified bool
	Headlines   int
	Transitions int
	Err         error
	// Fatal marks an error of the store rather than of the feed: nothing of the poll was kept.
	Fatal bool
}

// PollFeed fetches one feed, parses it and ingests its headlines. A failure is recorded in the
// feed's state (consecutive failures, backoff, failing or dead status, with one operator alert on
// each change of health) and returned; it never affects other feeds.
func (m *Monitor) PollFeed(ctx context.Context, f config.Feed) PollResult {
	log := m.log.With(zap.String("feed", f.Name), zap.String("url", feeds.RedactURL(f.URL)))
	res := PollResult{Feed: f.Name}
	st, err := m.store.FeedState(ctx, f.Name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && st.URL != f.URL) {
		st = store.FeedState{Name: f.Name, URL: f.URL, Status: store.FeedOK}
	} else if err != nil {
		res.Err, res.Fatal = fmt.Errorf("load feed state: %w", err), true
		log.Error("poll", zap.Error(res.Err))
		return res
	}
	now := m.now().UTC()
	if st.Status == store.FeedDead {
		res.Err = fmt.Errorf("feed %s is gone (410); fix its url to poll it again", f.Name)
		return res
	}
	url := f.URL
	if st.PermanentURL != "" {
		url = st.PermanentURL
	}
	resp, err := m.fetcher.Fetch(ctx, feeds.Request{URL: url, Headers: f.Headers, ETag: st.ETag,
		LastModified: st.LastModified, PrevBodyHash: st.BodyHash, MaxBytes: f.MaxBodyBytes})
	st.LastPoll = now
	prev := st
	if err != nil {
		res.Err = err
		m.metrics.PollFailed(f.Name, metrics.ErrorClass(err))
		m.recordFailure(ctx, log, f, st, err, now)
		return res
	}
	res.Status = resp.Status
	var hs []feeds.Headline
	if !resp.NotModified && !resp.Unchanged {
		parseStart := time.Now()
		hs, err = feeds.Parse(resp.Body, feeds.ParseOptions{FeedURL: url, FeedName: f.Name,
			ContentType: resp.ContentType, Now: now})
		m.metrics.ObserveParse(f.Name, time.Since(parseStart))
		if err != nil {
			res.Err = fmt.Errorf("parse feed %s: %w", f.Name, err)
			m.metrics.PollFailed(f.Name, metrics.ResultParse)
			m.recordFailure(ctx, log, f, st, res.Err, now)
			return res
		}
	}
	// Oldest first, as replay does: a feed lists its newest items first.
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Published.Before(hs[j].Published) })
	res.NotModified = resp.NotModified || resp.Unchanged
	res.Headlines = len(hs)
	if resp.NewURL != "" && resp.NewURL != st.PermanentURL {
		log.Warn("feed moved permanently; polling the new address from now on", zap.String("new_url", feeds.RedactURL(resp.NewURL)))
		st.PermanentURL = resp.NewURL
	}
	recovered := st.Status == store.FeedFailing
	st.ETag, st.LastModified, st.BodyHash = resp.ETag, resp.LastModified, resp.BodyHash
	st.LastSuccess, st.Failures, st.LastError, st.Status = now, 0, "", store.FeedOK
	st.NextPoll = m.nextScheduled(f, now)
	if f.HonorMaxAge && resp.MaxAge > 0 && now.Add(resp.MaxAge).After(st.NextPoll) {
		st.NextPoll = now.Add(resp.MaxAge)
	}
	extra := store.Batch{Feeds: []store.FeedState{st}}
	if recovered { // committed with the feed's new state: the alert and the state change are one
		extra.Outbox = m.operatorEntries(fmt.Sprintf("feed:%s:recovered:%s", f.Name, now.Format(time.RFC3339)),
			fmt.Sprintf("Feed %s (%s) recovered and is polled again.", f.Name, feeds.RedactURL(f.URL)), now)
	}
	ts, err := m.Ingest(ctx, hs, extra)
	if err != nil {
		res.Err, res.Fatal = err, true
		log.Error("ingest", zap.Error(err))
		m.recordFailure(ctx, log, f, prev, err, now) // old validators: the next poll fetches again
		return res
	}
	res.Transitions = len(ts)
	m.metrics.PollSucceeded(f.Name, metrics.PollResult(resp.Status, resp.NotModified, resp.Unchanged), now)
	if recovered {
		m.Wake()
	}
	log.Debug("polled", zap.Int("status", resp.Status), zap.Bool("not_modified", res.NotModified),
		zap.Int("headlines", len(hs)), zap.Int("transitions", len(ts)))
	return res
}

// recordFailure counts a failed poll, schedules the next one with backoff, and alerts the
// operator once when the feed turns failing or dead.
func (m *Monitor) recordFailure(ctx context.Context, log *zap.Logger, f config.Feed, st store.FeedState, err error, now time.Time) {
	st.Failures++
	st.LastError = err.Error()
	var fe *feeds.FetchError
	retryAfter := time.Duration(0)
	gone := false
	if errors.As(err, &fe) {
		retryAfter = fe.RetryAfter
		gone = fe.Class == feeds.ClassGone
	}
	backoff := feeds.Backoff(st.Failures, time.Minute, m.cfg.Defaults.MaxBackoff, nil)
	st.NextPoll = now.Add(feeds.NextPoll(feeds.PollTiming{RetryAfter: retryAfter, Backoff: backoff,
		Max: m.cfg.Defaults.MaxBackoff}))
	var alert string
	switch {
	case gone:
		st.Status = store.FeedDead
		alert = fmt.Sprintf("Feed %s (%s) is gone (HTTP 410) and will not be polled again until its url is changed.",
			f.Name, feeds.RedactURL(f.URL))
	case st.Failures >= m.cfg.Defaults.FailureThreshold && st.Status != store.FeedFailing:
		st.Status = store.FeedFailing
		alert = fmt.Sprintf("Feed %s (%s) is failing: %d consecutive failures, the last: %s. Retrying with backoff.",
			f.Name, feeds.RedactURL(f.URL), st.Failures, err)
	}
	log.Warn("poll failed", zap.Int("failures", st.Failures), zap.Time("next_poll", st.NextPoll),
		zap.String("status", st.Status), zap.Error(err))
	b := store.Batch{Feeds: []store.FeedState{st}}
	if alert != "" {
		b.Outbox = m.operatorEntries(fmt.Sprintf("feed:%s:%s:%s", f.Name, st.Status, now.Format(time.RFC3339)), alert, now)
	}
	if cerr := m.store.Commit(ctx, b); cerr != nil {
		log.Error("record feed failure", zap.Error(cerr))
		return
	}
	if alert != "" {
		m.Wake()
	}
}

// operatorAlert queues a message for the operator channels.
func (m *Monitor) operatorAlert(ctx context.Context, log *zap.Logger, key, text string, now time.Time) {
	entries := m.operatorEntries(key, text, now)
	if len(entries) == 0 {
		return
	}
	if err := m.store.Commit(ctx, store.Batch{Outbox: entries}); err != nil {
		log.Error("queue operator alert", zap.String("key", key), zap.Error(err))
		return
	}
	m.Wake()
}

// nextScheduled is the feed's next cron time after now.
func (m *Monitor) nextScheduled(f config.Feed, now time.Time) time.Time {
	sched, err := config.CronParser.Parse(f.Schedule)
	if err != nil {
		return now.Add(5 * time.Minute)
	}
	return sched.Next(now)
}

// PollAll polls every feed once, concurrently (the fetcher bounds concurrency per host and
// overall), and returns each feed's result in configuration order.
func (m *Monitor) PollAll(ctx context.Context) []PollResult {
	results := make([]PollResult, len(m.cfg.Feeds))
	var wg sync.WaitGroup
	for i, f := range m.cfg.Feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = m.PollFeed(ctx, f)
		}()
	}
	wg.Wait()
	return results
}

// newDispatcher builds the outbox dispatcher; a failed delivery is reported to the operator.
// One dispatcher lives as long as the Monitor: it remembers which channels wait on a retry.
func (m *Monitor) newDispatcher() *notify.Dispatcher {
	return notify.NewDispatcher(m.store, m.channels, notify.DispatcherOptions{
		Logger: m.log,
		Now:    m.now,
		OnDelivered: func(item notify.OutboxItem, at time.Time) {
			m.metrics.Delivered(item.Channel, item.CreatedAt, at)
		},
		OnRetry: func(item notify.OutboxItem, _ error) { m.metrics.DeliveryRetry(item.Channel) },
		OnFailed: func(item notify.OutboxItem, err error) {
			m.metrics.DeliveryFailed(item.Channel)
			now := m.now().UTC()
			m.operatorAlert(context.Background(), m.log, fmt.Sprintf("delivery:%d:failed", item.ID),
				fmt.Sprintf("Alert %s could not be delivered to %s and was given up: %v", item.Key, item.Channel, err), now)
		},
	})
}

// Deliver sends everything due in the outbox now, once, and returns how many were delivered
// and how many remain pending for a later retry.
func (m *Monitor) Deliver(ctx context.Context) (delivered, pending int, err error) {
	return m.disp.RunOnce(ctx)
}

// RunOnce polls every feed once, then delivers what is due; alerts that could not be delivered
// stay in the outbox for the next run. A feed that fails is logged and recorded in its state;
// the error returned is one of the store or the outbox, when something could not be kept.
func (m *Monitor) RunOnce(ctx context.Context) error {
	var first error
	for _, r := range m.PollAll(ctx) {
		if r.Fatal && first == nil {
			first = fmt.Errorf("feed %s: %w", r.Feed, r.Err)
		}
	}
	if _, _, err := m.Deliver(ctx); err != nil && first == nil {
		first = err
	}
	return first
}

// Run polls each feed on its schedule and delivers alerts until ctx is done, then stops the
// schedule, waits for polls in flight and returns. A feed in backoff skips its scheduled polls
// until its next poll time; a poll never overlaps the previous poll of the same feed.
func (m *Monitor) Run(ctx context.Context) error {
	// Schedules are in UTC, like every time catalyst stores and shows.
	c := cron.New(cron.WithParser(config.CronParser), cron.WithLocation(time.UTC),
		cron.WithChain(cron.Recover(cronLogger{m.log})))
	running := make(map[string]*sync.Mutex, len(m.cfg.Feeds)) // one poll of a feed at a time
	for _, f := range m.cfg.Feeds {
		running[f.Name] = &sync.Mutex{}
	}
	for _, f := range m.cfg.Feeds {
		running := running[f.Name]
		jitter := feedJitter(f.Name, m.cfg.Defaults.Timeout)
		job := func() {
			if !running.TryLock() {
				m.log.Debug("previous poll still running; skipped", zap.String("feed", f.Name))
				return
			}
			defer running.Unlock()
			if pace.Sleep(ctx, jitter) != nil {
				return
			}
			if m.notDue(ctx, f) {
				return
			}
			m.PollFeed(ctx, f)
		}
		if _, err := c.AddFunc(f.Schedule, job); err != nil {
			return fmt.Errorf("schedule feed %s: %w", f.Name, err)
		}
	}
	for ch, spec := range m.cfg.Notifiers.Digests() {
		if _, on := m.channels[ch]; !on {
			continue
		}
		queue := func(backfill bool) {
			if err := m.QueueDigest(ctx, ch, spec, backfill); err != nil && ctx.Err() == nil {
				m.log.Error("digest", zap.String("channel", ch), zap.Error(err))
			}
		}
		if _, err := c.AddFunc(spec, func() { queue(false) }); err != nil {
			return fmt.Errorf("schedule the %s digest: %w", ch, err)
		}
		queue(true) // digests missed while the daemon was down go out now, once each
	}
	c.Start()
	m.running.Store(true)
	defer m.running.Store(false)
	m.log.Info("monitor started", zap.Int("feeds", len(m.cfg.Feeds)), zap.Int("catalysts", len(m.cfg.Catalysts)),
		zap.Strings("channels", m.Channels()))
	// Poll everything once at start, so a restart does not wait for the schedule.
	for _, f := range m.cfg.Feeds {
		m.polls.Add(1)
		go func() {
			defer m.polls.Done()
			if mu := running[f.Name]; mu.TryLock() {
				defer mu.Unlock()
				m.PollFeed(ctx, f)
			}
		}()
	}
	m.polls.Add(1)
	go func() {
		defer m.polls.Done()
		m.pruneLoop(ctx)
	}()
	err := m.disp.Run(ctx, m.wake)
	stopped := c.Stop()
	<-stopped.Done()
	m.polls.Wait()
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	m.log.Info("monitor stopped")
	return nil
}

// notDue reports whether a scheduled poll should be skipped: the feed is backing off after
// failures, or its server's max-age (when honoured) has not expired.
func (m *Monitor) notDue(ctx context.Context, f config.Feed) bool {
	st, err := m.store.FeedState(ctx, f.Name)
	if err != nil || st.NextPoll.IsZero() {
		return false
	}
	// A second's slack: the schedule fires at the very time the last poll computed.
	early := m.now().Add(time.Second).Before(st.NextPoll)
	return early && (st.Failures > 0 || f.HonorMaxAge)
}

// pruneLoop forgets seen headlines older than the retention window and checks reminders, once
// an hour.
func (m *Monitor) pruneLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		n, err := m.store.PruneSeen(ctx, m.now().Add(-m.cfg.Storage.SeenRetention))
		if err != nil && ctx.Err() == nil {
			m.log.Warn("prune seen headlines", zap.Error(err))
		} else if n > 0 {
			m.log.Info("pruned seen headlines", zap.Int64("count", n))
		}
		if err := m.CheckReminders(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("check reminders", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// feedJitter spreads feeds on the same schedule over up to a tenth of the timeout (at most 30s),
// the same for a feed every time.
func feedJitter(name string, timeout time.Duration) time.Duration {
	h := fnv.New32a()
	h.Write([]byte(name))
	span := min(timeout/10, 30*time.Second)
	if span <= 0 {
		return 0
	}
	return time.Duration(h.Sum32()) % span
}

// cronLogger adapts zap to cron's logger for recovered panics.
type cronLogger struct{ log *zap.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Sugar().Debugw(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Sugar().Errorw(msg, append(kv, "error", err)...)
}
