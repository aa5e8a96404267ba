package monitor

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/catalyst-monitor/catalyst/catalysts"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store"
)

// alertFor turns a transition into the alert every channel renders.
func (m *Monitor) alertFor(t catalysts.Transition) notify.Alert {
	d := m.defs[t.Catalyst]
	st := d.States[t.To]
	a := notify.Alert{
		Key:         t.Key(),
		Kind:        "transition",
		CatalystID:  d.ID,
		Name:        d.Name,
		Description: d.Description,
		From:        t.From,
		To:          t.To,
		StateText:   st.Description,
		At:          t.At,
		Sources:     t.Sources,
		Rule:        t.Rule,
	}
	for i, sym := range d.Tickers {
		imp := notify.Impact(st.Impact[sym])
		if imp == "" {
			imp = notify.Neutral
		}
		a.Tickers = append(a.Tickers, notify.Ticker{Symbol: sym, Primary: i == 0, Impact: imp})
	}
	for _, ev := range t.Evidence {
		a.Evidence = append(a.Evidence, notify.Evidence{ID: ev.HeadlineID, Title: ev.Title, Source: ev.Source,
			Link: ev.Link, Published: ev.Published, FirstSeen: ev.FirstSeen, Trusted: ev.Trusted})
	}
	return a
}

func encodeAlert(a notify.Alert) ([]byte, error) { return json.Marshal(a) }

// operatorEntries builds outbox rows for an operator message (feed health, delivery failures).
func (m *Monitor) operatorEntries(key, text string, at time.Time) []store.OutboxEntry {
	a := notify.Alert{Key: key, Kind: "operator", Name: "catalyst operator", At: at, Text: text}
	payload, err := encodeAlert(a)
	if err != nil {
		return nil
	}
	out := make([]store.OutboxEntry, 0, len(m.operator))
	for _, ch := range m.operator {
		out = append(out, store.OutboxEntry{Key: key, Channel: ch, Payload: payload})
	}
	return out
}

// BuildChannels makes the channels the configuration and environment switch on.
func BuildChannels(cfg *config.Config, sec *config.Secrets, stdout io.Writer, now func() time.Time) (map[string]notify.Channel, error) {
	chans := map[string]notify.Channel{}
	if sec != nil && sec.SlackURL != "" {
		s, err := notify.NewSlack(notify.SlackConfig{WebhookURL: sec.SlackURL, TextTemplate: cfg.Notifiers.Slack.TextTemplate})
		if err != nil {
			return nil, fmt.Errorf("slack: %w", err)
		}
		chans[s.Name()] = s
	}
	if sec != nil && sec.SMTP != nil {
		e, err := notify.NewEmail(notify.EmailConfig{Host: sec.SMTP.Host, Port: sec.SMTP.Port,
			Username: sec.SMTP.Username, Password: sec.SMTP.Password, From: sec.SMTP.From, To: sec.SMTP.To,
			TLS: sec.SMTP.TLS, Now: now, TextTemplate: cfg.Notifiers.Email.TextTemplate,
			HTMLTemplate: cfg.Notifiers.Email.HTMLTemplate})
		if err != nil {
			return nil, fmt.Errorf("email: %w", err)
		}
		chans[e.Name()] = e
	}
	for _, w := range cfg.Notifiers.Webhooks {
		ws := sec.Webhooks[w.Name]
		h, err := notify.NewWebhook(notify.WebhookConfig{Name: w.Name, URL: ws.URL, Secret: ws.Secret, Now: now})
		if err != nil {
			return nil, fmt.Errorf("webhook %s: %w", w.Name, err)
		}
		chans[h.Name()] = h
	}
	console := len(chans) == 0
	if cfg.Notifiers.Console != nil {
		console = *cfg.Notifiers.Console
	}
	if console && stdout != nil {
		c := notify.NewConsole(stdout)
		chans[c.Name()] = c
	}
	return chans, nil
}

// routes maps each catalyst to the channels its alerts go to (its own list, or every channel),
// and names the operator channels.
func routes(cfg *config.Config, chans map[string]notify.Channel) (map[string][]string, []string) {
	all := make([]string, 0, len(chans))
	for n := range chans {
		all = append(all, n)
	}
	sort.Strings(all)
	r := map[string][]string{}
	for _, d := range cfg.Catalysts {
		if len(d.Channels) == 0 {
			r[d.ID] = all
			continue
		}
		for _, ch := range d.Channels {
			if _, ok := chans[ch]; ok {
				r[d.ID] = append(r[d.ID], ch)
			}
		}
	}
	op := all
	if name := cfg.Notifiers.Operator; name != "" {
		op = nil
		if _, ok := chans[name]; ok {
			op = []string{name}
		}
	}
	return r, op
}
