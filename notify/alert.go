// Package notify formats alerts and delivers them to Slack, email, webhooks and the console.
package notify

import "time"

// Impact is the expected direction of a state change for one ticker.
type Impact string

// The impacts a catalyst's state may have on a ticker.
const (
	Bullish Impact = "bullish"
	Bearish Impact = "bearish"
	Neutral Impact = "neutral"
)

// Ticker is one instrument an alert concerns and the expected impact of the new state on it.
type Ticker struct {
	Symbol  string `json:"symbol"`
	Primary bool   `json:"primary"`
	Impact  Impact `json:"impact"`
}

// Evidence is one headline that carried a transition.
type Evidence struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Link      string    `json:"link,omitempty"`
	Published time.Time `json:"published"`
	FirstSeen time.Time `json:"first_seen,omitempty"`
	Trusted   bool      `json:"trusted"`
}

// Alert is one state change of one catalyst, with everything a reader needs to act on it.
type Alert struct {
	// Key is the idempotency key: the same transition always has the same key.
	Key         string     `json:"idempotency_key"`
	Kind        string     `json:"kind"` // "transition", or "operator" for feed health and delivery failures
	CatalystID  string     `json:"catalyst"`
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	From        string     `json:"from"`
	To          string     `json:"to"`
	StateText   string     `json:"state_description,omitempty"`
	At          time.Time  `json:"at"`
	Tickers     []Ticker   `json:"tickers"`
	Evidence    []Evidence `json:"evidence"`
	// Sources counts the independent sources behind the transition.
	Sources int    `json:"independent_sources"`
	Rule    string `json:"rule,omitempty"`
	// Text is the body of an operator message; empty for transitions.
	Text string `json:"text,omitempty"`
}
