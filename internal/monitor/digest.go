package monitor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"go.uber.org/zap"

	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store"
)

// digestLookback bounds how far back the previous digest boundary is searched: a yearly
// digest finds its period; a schedule that fires every minute is walked at most this often.
const (
	digestLookback = 400 * 24 * time.Hour
	digestMaxSteps = 100000
)

// periodEnding returns the latest schedule boundary at or before now and the one before it,
// in UTC (the scheduler's time zone).
func periodEnding(sched cron.Schedule, now time.Time) (start, end time.Time, ok bool) {
	now = now.UTC()
	from := now.Add(-digestLookback)
	if step := sched.Next(now.Add(-time.Hour)); !step.IsZero() && step.Before(now) {
		// Frequent schedules: start closer, so the walk stays short.
		from = now.Add(-48 * time.Hour)
	}
	n := 0
	for t := sched.Next(from); !t.IsZero() && !t.After(now) && n < digestMaxSteps; t = sched.Next(t) {
		start, end, ok = end, t, true
		n++
	}
	if start.IsZero() && ok {
		start = end.Add(-24 * time.Hour)
	}
	return start, end, ok
}

// QueueDigest queues the digest of the latest complete period for a channel: every transition
// recorded in it, with its evidence. Its key names the channel and the period's end, so a
// digest is queued once per period however often this runs, across restarts too.
func (m *Monitor) QueueDigest(ctx context.Context, channel, spec string) error {
	sched, err := config.CronParser.Parse(spec)
	if err != nil {
		return fmt.Errorf("digest schedule of %s: %w", channel, err)
	}
	start, end, ok := periodEnding(sched, m.now().UTC())
	if !ok {
		return nil
	}
	ts, err := m.store.Transitions(ctx, "", 0)
	if err != nil {
		return fmt.Errorf("load transitions for the %s digest: %w", channel, err)
	}
	var in []store.Transition
	for _, t := range ts {
		if !t.RecordedAt.Before(start) && t.RecordedAt.Before(end) {
			in = append(in, t)
		}
	}
	a := m.digestAlert(start, end, in)
	payload, err := encodeAlert(a)
	if err != nil {
		return err
	}
	if err := m.store.Commit(ctx, store.Batch{Outbox: []store.OutboxEntry{{Key: a.Key, Channel: channel, Payload: payload}}}); err != nil {
		return fmt.Errorf("queue the %s digest: %w", channel, err)
	}
	m.log.Debug("digest queued", zap.String("channel", channel), zap.String("key", a.Key), zap.Int("transitions", len(in)))
	m.Wake()
	return nil
}

func (m *Monitor) digestAlert(start, end time.Time, ts []store.Transition) notify.Alert {
	var b strings.Builder
	fmt.Fprintf(&b, "Transitions from %s to %s: %d\n", start.Format("2006-01-02 15:04"), end.Format("2006-01-02 15:04 UTC"), len(ts))
	// oldest first reads like a story
	for i := len(ts) - 1; i >= 0; i-- {
		t := ts[i]
		name := t.Catalyst
		if d, ok := m.defs[t.Catalyst]; ok && d.Name != "" {
			name = d.Name + " (" + t.Catalyst + ")"
		}
		fmt.Fprintf(&b, "\n%s: %s → %s at %s — %s\n", name, t.From, t.To, t.At.UTC().Format("2006-01-02 15:04 UTC"), t.Rule)
		for _, ev := range t.Evidence {
			fmt.Fprintf(&b, "  - %s (%s) %s\n", ev.Title, ev.Source, ev.Link)
		}
	}
	if len(ts) == 0 {
		b.WriteString("\nNo catalyst changed state.\n")
	}
	return notify.Alert{
		Key:  "digest:" + end.Format(time.RFC3339),
		Kind: notify.KindDigest,
		Name: fmt.Sprintf("catalyst digest: %d transitions until %s", len(ts), end.Format("2006-01-02 15:04 UTC")),
		At:   end,
		Text: b.String(),
	}
}
