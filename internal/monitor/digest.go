package monitor

import (
	"context"
	"fmt"
	"slices"
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
// recorded in it, with its evidence. Its key names the period's end, so a digest is queued once
// per period however often this runs, across restarts too. With backfill (at start-up), the
// earlier of the last maxBackfill periods that hold transitions are queued as well, so that a
// digest-only channel hears of transitions made before a downtime that spanned its schedule.
func (m *Monitor) QueueDigest(ctx context.Context, channel, spec string, backfill bool) error {
	sched, err := config.CronParser.Parse(spec)
	if err != nil {
		return fmt.Errorf("digest schedule of %s: %w", channel, err)
	}
	now := m.now().UTC()
	start, end, ok := periodEnding(sched, now)
	if !ok {
		return nil
	}
	ts, err := m.store.Transitions(ctx, "", 0)
	if err != nil {
		return fmt.Errorf("load transitions for the %s digest: %w", channel, err)
	}
	var batch store.Batch
	for i := 0; i < maxBackfill && ok; i++ {
		var in []store.Transition
		for _, t := range ts {
			if !t.RecordedAt.Before(start) && t.RecordedAt.Before(end) {
				in = append(in, t)
			}
		}
		if i == 0 || len(in) > 0 {
			a := m.digestAlert(start, end, in)
			payload, err := encodeAlert(a)
			if err != nil {
				return err
			}
			batch.Outbox = append(batch.Outbox, store.OutboxEntry{Key: a.Key, Channel: channel, Payload: payload})
		}
		if !backfill {
			break
		}
		start, end, ok = periodEnding(sched, start)
	}
	// Oldest first, so the channel reads the periods in order.
	slices.Reverse(batch.Outbox)
	if err := m.store.Commit(ctx, batch); err != nil {
		return fmt.Errorf("queue the %s digest: %w", channel, err)
	}
	m.log.Debug("digests queued", zap.String("channel", channel), zap.Int("digests", len(batch.Outbox)))
	m.Wake()
	return nil
}

// maxBackfill is how many past periods a start-up looks back over for missed digests.
const maxBackfill = 7

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
