package monitor

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store"
)

// CheckReminders queues a reminder for each catalyst with a `reminder` period that has had no
// decisive evidence for that long (counting from its last evidence, or from when it entered its
// state). One reminder is sent per quiet period: its key counts the periods, so a check that runs
// often, or after a restart, does not repeat it.
func (m *Monitor) CheckReminders(ctx context.Context) error {
	now := m.now().UTC()
	states := m.States()
	var b store.Batch
	for id, d := range m.defs {
		if d.Reminder <= 0 {
			continue
		}
		st := states[id]
		last := st.Since
		sigs, err := m.store.Signals(ctx, id, time.Time{}) // the newest by first sighting, however old
		if err != nil {
			return fmt.Errorf("load signals of %s: %w", id, err)
		}
		for _, s := range sigs {
			if s.FirstSeen.After(last) {
				last = s.FirstSeen
			}
		}
		if last.IsZero() {
			continue // never in a dated state and never any evidence: nothing to measure from
		}
		quiet := now.Sub(last)
		if quiet < d.Reminder {
			continue
		}
		periods := int(quiet / d.Reminder)
		a := notify.Alert{
			Key:        fmt.Sprintf("reminder:%s:%s:%d", id, last.Format(time.RFC3339), periods),
			Kind:       notify.KindReminder,
			CatalystID: id,
			Name:       fmt.Sprintf("%s: no evidence for %s", d.Name, roundDays(quiet)),
			At:         now,
			Text: fmt.Sprintf("%s (%s) is still %s, and no headline has said otherwise since %s.",
				d.Name, id, st.State, last.Format("2006-01-02 15:04 UTC")),
		}
		payload, err := encodeAlert(a)
		if err != nil {
			return err
		}
		for _, ch := range m.routes[id] {
			b.Outbox = append(b.Outbox, store.OutboxEntry{Key: a.Key, Channel: ch, Payload: payload})
		}
	}
	if len(b.Outbox) == 0 {
		return nil
	}
	if err := m.store.Commit(ctx, b); err != nil {
		return fmt.Errorf("queue reminders: %w", err)
	}
	m.log.Debug("reminders queued", zap.Int("rows", len(b.Outbox)))
	m.Wake()
	return nil
}

func roundDays(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return d.Round(time.Hour).String()
}
