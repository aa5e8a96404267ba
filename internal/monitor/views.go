package monitor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/web"
	"github.com/catalyst-monitor/catalyst/store"
)

// historyLimit is how many transitions per catalyst the status API and page show.
const historyLimit = 20

// Catalysts is each configured catalyst's state, since when, tickers with impact, and its
// recent transitions with evidence, for the status API and page.
func (m *Monitor) Catalysts(ctx context.Context) ([]web.CatalystView, error) {
	states := m.States()
	out := make([]web.CatalystView, 0, len(m.cfg.Catalysts))
	for _, d := range m.cfg.Catalysts {
		st := states[d.ID]
		v := web.CatalystView{ID: d.ID, Name: d.Name, Description: d.Description, State: st.State,
			StateDescription: d.States[st.State].Description, History: []web.TransitionView{}}
		if !st.Since.IsZero() {
			since := st.Since
			v.Since = &since
		}
		for _, sym := range d.Tickers {
			imp := d.States[st.State].Impact[sym]
			if imp == "" {
				imp = web.ImpactNeutral
			}
			v.Tickers = append(v.Tickers, web.TickerView{Symbol: sym, Impact: imp})
		}
		ts, err := m.store.Transitions(ctx, d.ID, historyLimit)
		if err != nil {
			return nil, fmt.Errorf("load transitions of %s: %w", d.ID, err)
		}
		for _, t := range ts {
			tv := web.TransitionView{From: t.From, To: t.To, At: t.At, Rule: t.Rule, Evidence: []web.EvidenceView{}}
			for _, ev := range t.Evidence {
				tv.Evidence = append(tv.Evidence, web.EvidenceView{ID: ev.HeadlineID, Title: ev.Title,
					Source: ev.Source, Link: ev.Link, Published: ev.Published, Trusted: ev.Trusted})
			}
			v.History = append(v.History, tv)
		}
		out = append(out, v)
	}
	return out, nil
}

// Feeds is each configured feed's health, last and next poll, and last error.
func (m *Monitor) Feeds(ctx context.Context) ([]web.FeedView, error) {
	out := make([]web.FeedView, 0, len(m.cfg.Feeds))
	for _, f := range m.cfg.Feeds {
		v := web.FeedView{Name: f.Name, URL: feeds.RedactURL(f.URL), Status: web.FeedStatusNeverPolled}
		st, err := m.store.FeedState(ctx, f.Name)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, fmt.Errorf("load feed state of %s: %w", f.Name, err)
		default:
			v.Status, v.Failures, v.LastError = st.Status, st.Failures, st.LastError
			v.LastPoll, v.LastSuccess, v.NextPoll = timePtr(st.LastPoll), timePtr(st.LastSuccess), timePtr(st.NextPoll)
		}
		out = append(out, v)
	}
	return out, nil
}

// Ready reports whether the monitor can do its work: the store answers and the scheduler runs.
func (m *Monitor) Ready(ctx context.Context) error {
	if err := m.store.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if !m.running.Load() {
		return errors.New("scheduler not running")
	}
	return nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

var _ web.Source = (*Monitor)(nil)
