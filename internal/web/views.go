package web

import (
	"context"
	"time"
)

// Source is what the web server reads: the catalysts' states and histories, the feeds' health,
// and whether the process is ready to serve. The monitor's wiring implements it; every method
// must be safe for concurrent use and honour ctx (the server bounds each call).
type Source interface {
	// Catalysts returns every watched catalyst, in the order the page shows them.
	Catalysts(ctx context.Context) ([]CatalystView, error)
	// Feeds returns every configured feed, in the order the page shows them.
	Feeds(ctx context.Context) ([]FeedView, error)
	// Ready returns nil when the process can do its work (e.g. the store answers), else the
	// reason it cannot.
	Ready(ctx context.Context) error
}

// The impacts a TickerView may carry; anything else is shown as neutral.
const (
	ImpactBullish = "bullish"
	ImpactBearish = "bearish"
	ImpactNeutral = "neutral"
)

// The statuses a FeedView may carry.
const (
	FeedStatusOK          = "ok"
	FeedStatusFailing     = "failing"
	FeedStatusDead        = "dead"
	FeedStatusNeverPolled = "never polled"
)

// CatalystView is one catalyst as the page and /api/catalysts show it.
type CatalystView struct {
	// ID is the catalyst's stable identifier ("happyhorse-alibaba").
	ID string `json:"id"`
	// Name is its short human title.
	Name string `json:"name"`
	// Description says what the catalyst is about.
	Description string `json:"description,omitempty"`
	// State is the current state's name.
	State string `json:"state"`
	// StateDescription says what being in State means.
	StateDescription string `json:"state_description,omitempty"`
	// Since is when the catalyst entered State; nil while it is still in its initial state.
	Since *time.Time `json:"since,omitempty"`
	// Tickers are the instruments the catalyst moves, primary first, with the current state's
	// impact on each.
	Tickers []TickerView `json:"tickers"`
	// History lists the catalyst's transitions, newest first.
	History []TransitionView `json:"history"`
}

// TickerView is one ticker and the current state's expected impact on it.
type TickerView struct {
	// Symbol is the ticker ("BABA", "9988.HK").
	Symbol string `json:"symbol"`
	// Impact is ImpactBullish, ImpactBearish or ImpactNeutral.
	Impact string `json:"impact"`
}

// TransitionView is one change of a catalyst's state, with its evidence.
type TransitionView struct {
	// From and To are the states before and after.
	From string `json:"from"`
	To   string `json:"to"`
	// At is the published time of the headline that completed the evidence.
	At time.Time `json:"at"`
	// Rule says why the evidence sufficed ("trusted source reuters.com", "2 independent sources").
	Rule string `json:"rule,omitempty"`
	// Evidence lists the headlines behind the transition.
	Evidence []EvidenceView `json:"evidence"`
}

// EvidenceView is one headline behind a transition.
type EvidenceView struct {
	// ID is the headline's id.
	ID string `json:"id"`
	// Title is the headline as published.
	Title string `json:"title"`
	// Source is the publisher's domain.
	Source string `json:"source"`
	// Link is the article's URL; the page links only http and https URLs.
	Link string `json:"link,omitempty"`
	// Published is when the headline was published; zero when unknown.
	Published time.Time `json:"published"`
	// Trusted reports whether the source decides alone under the catalyst's policy.
	Trusted bool `json:"trusted"`
}

// FeedView is one feed's health as the page and /api/feeds show it.
type FeedView struct {
	// Name is the feed's configured name.
	Name string `json:"name"`
	// URL is the feed's address, already redacted of credentials by the caller.
	URL string `json:"url"`
	// Status is FeedStatusOK, FeedStatusFailing, FeedStatusDead or FeedStatusNeverPolled.
	Status string `json:"status"`
	// LastPoll is when the feed was last polled, successfully or not; nil if never.
	LastPoll *time.Time `json:"last_poll,omitempty"`
	// LastSuccess is when the feed was last polled successfully; nil if never.
	LastSuccess *time.Time `json:"last_success,omitempty"`
	// NextPoll is when the feed is polled next; nil when unknown.
	NextPoll *time.Time `json:"next_poll,omitempty"`
	// Failures counts consecutive failed polls.
	Failures int `json:"failures"`
	// LastError is the last poll's error; empty after a success.
	LastError string `json:"last_error,omitempty"`
}
