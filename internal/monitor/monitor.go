// Package monitor runs catalyst's data path, one way: schedule → fetch → parse → dedupe →
// classify → apply policy → (state + outbox, one transaction) → deliver.
package monitor

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/catalyst-monitor/catalyst/catalysts"
	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/internal/metrics"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store"
)

// Options are what a Monitor needs besides its configuration.
type Options struct {
	// Store keeps state; the Monitor does not close it.
	Store store.Store
	// Logger receives structured logs; nil means none.
	Logger *zap.Logger
	// Stdout receives console alerts; nil means none.
	Stdout io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Channels, when not nil, replaces the channels built from the configuration (replay uses an
	// empty map: it sends nothing).
	Channels map[string]notify.Channel
	// Fetcher, when not nil, replaces the one built from the configuration.
	Fetcher *feeds.Fetcher
	// Metrics receives counts and timings; nil records nothing.
	Metrics *metrics.Metrics
}

// Monitor holds the running pipeline. Ingest is serialised: one batch at a time decides
// transitions and commits them, so the state machine and the store never disagree.
type Monitor struct {
	cfg      *config.Config
	log      *zap.Logger
	store    store.Store
	engine   *catalysts.Engine
	now      func() time.Time
	fetcher  *feeds.Fetcher
	channels map[string]notify.Channel
	routes   map[string][]string // catalyst id → channel names
	operator []string
	wake     chan struct{}
	disp     *notify.Dispatcher
	metrics  *metrics.Metrics
	polls    sync.WaitGroup // polls started outside the scheduler
	running  atomic.Bool    // the scheduler runs

	mu       sync.Mutex // guards machines and serialises Ingest
	defs     map[string]*catalysts.Definition
	machines map[string]*catalysts.Machine
	policies map[string]catalysts.Policy
}

// New builds a Monitor and restores each catalyst's state and pending evidence from the store.
func New(ctx context.Context, cfg *config.Config, sec *config.Secrets, opts Options) (*Monitor, error) {
	eng, err := cfg.Engine()
	if err != nil {
		return nil, fmt.Errorf("compile catalysts: %w", err)
	}
	m := &Monitor{
		cfg:      cfg,
		log:      opts.Logger,
		store:    opts.Store,
		engine:   eng,
		now:      opts.Now,
		fetcher:  opts.Fetcher,
		metrics:  opts.Metrics,
		channels: opts.Channels,
		wake:     make(chan struct{}, 1),
		defs:     map[string]*catalysts.Definition{},
		machines: map[string]*catalysts.Machine{},
		policies: map[string]catalysts.Policy{},
	}
	if m.log == nil {
		m.log = zap.NewNop()
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.channels == nil {
		if m.channels, err = BuildChannels(cfg, sec, opts.Stdout, m.now); err != nil {
			return nil, err
		}
	}
	if m.fetcher == nil {
		m.fetcher = feeds.NewFetcher(feeds.FetcherOptions{
			UserAgent:       cfg.Defaults.UserAgent,
			RequestTimeout:  cfg.Defaults.Timeout,
			MaxBytes:        cfg.Defaults.MaxBodyBytes,
			PerHostLimit:    cfg.Defaults.PerHostLimit,
			PerHostInterval: cfg.Defaults.PerHostInterval,
			Logger:          m.log,
		})
	}
	m.routes, m.operator = routes(cfg, m.channels)
	m.disp = m.newDispatcher()
	for i := range cfg.Catalysts {
		d := &cfg.Catalysts[i]
		m.defs[d.ID] = d
		m.policies[d.ID] = catalysts.NewPolicy(cfg.PolicyFor(d))
	}
	if err := m.restore(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// restore rebuilds every catalyst's machine from the store.
func (m *Monitor) restore(ctx context.Context) error {
	states, err := m.store.States(ctx)
	if err != nil {
		return fmt.Errorf("load states: %w", err)
	}
	for id, d := range m.defs {
		state, since := d.Initial, time.Time{}
		if st, ok := states[id]; ok {
			if _, known := d.States[st.State]; known {
				state, since = st.State, st.Since
			} else {
				m.log.Warn("stored state is no longer in the configuration; starting from the initial state",
					zap.String("catalyst", id), zap.String("state", st.State))
			}
		}
		// Evidence older than four windows cannot combine with anything arriving now.
		from := since
		if h := m.now().Add(-4 * m.policies[id].Window); h.After(from) {
			from = h
		}
		sigs, err := m.store.Signals(ctx, id, from)
		if err != nil {
			return fmt.Errorf("load signals of %s: %w", id, err)
		}
		evs := make([]catalysts.Evidence, 0, len(sigs))
		for _, s := range sigs {
			evs = append(evs, evidenceFromSignal(s))
		}
		m.machines[id] = catalysts.NewMachine(d, m.policies[id], state, since, evs)
	}
	return nil
}

// Engine returns the compiled classifier.
func (m *Monitor) Engine() *catalysts.Engine { return m.engine }

// Channels returns the names of the configured alert channels, sorted.
func (m *Monitor) Channels() []string {
	names := make([]string, 0, len(m.channels))
	for n := range m.channels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Ingest processes headlines in the order given: those already seen are skipped, the rest are
// classified, their decisive signals applied to the catalysts' state machines, and everything
// (seen headlines, signals, new states, transitions, outbox rows and the feed's state) is
// committed in one transaction. It returns the transitions made.
func (m *Monitor) Ingest(ctx context.Context, hs []feeds.Headline, extra ...store.Batch) ([]catalysts.Transition, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	unseen, err := m.store.Unseen(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("dedupe headlines: %w", err)
	}
	fresh := make(map[string]bool, len(unseen))
	for _, id := range unseen {
		fresh[id] = true
	}
	if len(hs) > 0 {
		m.metrics.Headlines(hs[0].Feed, len(unseen), len(hs)-len(unseen))
	}
	now := m.now().UTC()
	var batch store.Batch
	for _, x := range extra { // feed state and operator alerts that commit with the headlines
		batch.Feeds = append(batch.Feeds, x.Feeds...)
		batch.Outbox = append(batch.Outbox, x.Outbox...)
	}
	var moved []catalysts.Transition
	for _, h := range hs {
		if !fresh[h.ID] {
			continue
		}
		delete(fresh, h.ID) // the same id twice in one batch counts once
		if h.FirstSeen.IsZero() {
			h.FirstSeen = now
		}
		h.Published = plausiblePublished(h.Published, h.FirstSeen)
		batch.Headlines = append(batch.Headlines, h)
		for _, sig := range m.engine.Classify(h.Title) {
			m.metrics.Signal(sig.Catalyst, sig.State)
			if !sig.Decisive() {
				continue
			}
			mach, ok := m.machines[sig.Catalyst]
			if !ok {
				continue
			}
			ev := catalysts.Evidence{HeadlineID: h.ID, State: sig.State, Source: h.Source, Title: h.Title,
				Link: h.Link, Published: h.Published.UTC(), FirstSeen: h.FirstSeen.UTC(), Cue: sig.Cue}
			ts, outcome := mach.Observe(ev)
			ev.Trusted = m.policies[sig.Catalyst].Trusted(h.Source)
			batch.Signals = append(batch.Signals, signalFromEvidence(sig.Catalyst, ev))
			m.log.Debug("signal", zap.String("catalyst", sig.Catalyst), zap.String("state", sig.State),
				zap.String("headline", h.ID), zap.String("source", h.Source), zap.Stringer("outcome", outcome))
			for _, t := range ts {
				moved = append(moved, t)
				m.addTransition(&batch, t, now)
			}
		}
	}
	if batch.Empty() {
		return nil, nil
	}
	if err := m.store.Commit(ctx, batch); err != nil {
		// The machines ran ahead of the store: rebuild them from what was committed.
		if rerr := m.restore(context.WithoutCancel(ctx)); rerr != nil {
			m.log.Error("restore after failed commit", zap.Error(rerr))
		}
		return nil, fmt.Errorf("commit batch: %w", err)
	}
	for _, t := range moved {
		m.metrics.Transition(t.Catalyst, t.From, t.To)
		m.log.Info("transition", zap.String("catalyst", t.Catalyst), zap.String("from", t.From),
			zap.String("to", t.To), zap.Time("at", t.At), zap.String("rule", t.Rule), zap.String("key", t.Key()))
	}
	if len(batch.Transitions) > 0 {
		m.Wake()
	}
	return moved, nil
}

// addTransition adds a transition, the catalyst's new state and one outbox row per routed
// channel to the batch.
func (m *Monitor) addTransition(b *store.Batch, t catalysts.Transition, now time.Time) {
	st := store.Transition{Key: t.Key(), Catalyst: t.Catalyst, From: t.From, To: t.To, At: t.At,
		Rule: t.Rule, RecordedAt: now}
	for _, ev := range t.Evidence {
		st.Evidence = append(st.Evidence, signalFromEvidence(t.Catalyst, ev))
	}
	b.Transitions = append(b.Transitions, st)
	replaced := false
	for i := range b.States {
		if b.States[i].Catalyst == t.Catalyst {
			b.States[i] = store.CatalystState{Catalyst: t.Catalyst, State: t.To, Since: t.At}
			replaced = true
		}
	}
	if !replaced {
		b.States = append(b.States, store.CatalystState{Catalyst: t.Catalyst, State: t.To, Since: t.At})
	}
	alert := m.alertFor(t)
	payload, err := encodeAlert(alert)
	if err != nil {
		m.log.Error("encode alert", zap.String("key", alert.Key), zap.Error(err))
		return
	}
	impacts := make(map[string]string, len(alert.Tickers))
	for _, tk := range alert.Tickers {
		impacts[tk.Symbol] = string(tk.Impact)
	}
	filters, digests := m.cfg.Notifiers.Filters(), m.cfg.Notifiers.Digests()
	for _, ch := range m.routes[t.Catalyst] {
		if f, ok := filters[ch]; ok && !f.Match(impacts) {
			continue
		}
		if _, digest := digests[ch]; digest {
			continue // this channel hears of transitions in its digest
		}
		b.Outbox = append(b.Outbox, store.OutboxEntry{Key: alert.Key, Channel: ch, Payload: payload})
	}
}

// Wake asks the dispatcher to look at the outbox now.
func (m *Monitor) Wake() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// States returns each catalyst's current state and since when, from memory.
func (m *Monitor) States() map[string]store.CatalystState {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]store.CatalystState, len(m.machines))
	for id, mach := range m.machines {
		s, since := mach.State()
		out[id] = store.CatalystState{Catalyst: id, State: s, Since: since}
	}
	return out
}

func evidenceFromSignal(s store.Signal) catalysts.Evidence {
	return catalysts.Evidence{HeadlineID: s.HeadlineID, State: s.State, Source: s.Source, Title: s.Title,
		Link: s.Link, Published: s.Published, FirstSeen: s.FirstSeen, Trusted: s.Trusted, Cue: s.Rule}
}

func signalFromEvidence(catalyst string, ev catalysts.Evidence) store.Signal {
	return store.Signal{Catalyst: catalyst, State: ev.State, HeadlineID: ev.HeadlineID, Source: ev.Source,
		Title: ev.Title, Link: ev.Link, Published: ev.Published, FirstSeen: ev.FirstSeen, Trusted: ev.Trusted,
		Rule: ev.Cue}
}

// maxClockSkew is how far in the future of its first sighting a headline's date may be.
const maxClockSkew = 24 * time.Hour

// plausiblePublished guards the state machine against impossible dates: a headline dated
// after its first sighting (plus clock skew) was published when it was first seen, and so was
// one with no usable date. A wrong year in one feed item must not freeze a catalyst in the
// future, nor stop a feed.
func plausiblePublished(published, firstSeen time.Time) time.Time {
	if published.IsZero() || published.After(firstSeen.Add(maxClockSkew)) || published.Year() < 1971 {
		return firstSeen
	}
	return published
}
