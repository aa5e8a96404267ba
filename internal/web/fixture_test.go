package web

import (
	"context"
	"errors"
	"sync"
	"time"
)

// now is the fixed clock of the tests.
var now = time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

const (
	hostileTitle = `<script>alert(1)</script>`
	reutersLink  = "https://reuters.com/a0dcde8045"
	reutersTitle = "Alibaba confirms it is behind HappyHorse-1.0, the video model that topped the leaderboard"
	courtLink    = "https://www.courtlistener.com/docket/71234/disney-v-bytedance/"
	courtTitle   = "Complaint: Disney Enterprises, Inc. v. ByteDance Ltd. et al."
	apLink       = "https://apnews.com/article/disney-bytedance-seedance-lawsuit"
	apTitle      = "Disney sues ByteDance over Seedance 2.0 & its 'copies' of Marvel characters"
	longFeedURL  = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&company=&dateb=&owner=include&start=0&count=40&output=atom"
)

// fakeSource is a Source with fixed data. block, when set, makes Catalysts wait for it to be
// closed after signalling entered (for the graceful shutdown test).
type fakeSource struct {
	catalysts []CatalystView
	feeds     []FeedView
	ready     error
	err       error

	entered chan struct{}
	block   chan struct{}
	once    sync.Once
}

func (f *fakeSource) Catalysts(ctx context.Context) ([]CatalystView, error) {
	if f.block != nil {
		f.once.Do(func() { close(f.entered) })
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	return f.catalysts, nil
}

func (f *fakeSource) Feeds(context.Context) ([]FeedView, error) {
	if f.err != nil {
		return nil, f.err
	}
	return f.feeds, nil
}

func (f *fakeSource) Ready(context.Context) error { return f.ready }

// fixture returns a source with three catalysts (one confirmed with a trusted and a hostile
// headline, one filed on two sources, one never moved) and four feeds (ok, failing, dead, never
// polled).
func fixture() *fakeSource {
	confirmedAt := time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)
	filedAt := time.Date(2026, 11, 15, 14, 20, 0, 0, time.UTC)
	return &fakeSource{
		catalysts: []CatalystView{
			{
				ID:               "happyhorse-alibaba",
				Name:             "HappyHorse-1.0 is Alibaba's",
				Description:      "Alibaba is the maker of HappyHorse-1.0, the anonymous video model that topped a public leaderboard.",
				State:            "confirmed",
				StateDescription: "Alibaba, one of its units, or the leaderboard's organisers say Alibaba made HappyHorse-1.0.",
				Since:            ptr(confirmedAt),
				Tickers:          []TickerView{{Symbol: "BABA", Impact: ImpactBullish}, {Symbol: "9988.HK", Impact: ImpactBullish}},
				History: []TransitionView{{
					From: "unconfirmed", To: "confirmed", At: confirmedAt, Rule: "trusted source reuters.com",
					Evidence: []EvidenceView{
						{ID: "h1", Title: reutersTitle, Source: "reuters.com", Link: reutersLink, Published: confirmedAt, Trusted: true},
						{ID: "h2", Title: hostileTitle, Source: "evil.example", Link: "javascript:alert(2)", Published: confirmedAt.Add(-time.Hour)},
					},
				}},
			},
			{
				ID:          "disney-bytedance",
				Name:        "Disney v. ByteDance over Seedance 2.0",
				Description: "Disney's legal action against ByteDance over Seedance 2.0.",
				State:       "filed",
				Since:       ptr(filedAt),
				Tickers:     []TickerView{{Symbol: "DIS", Impact: ImpactBearish}},
				History: []TransitionView{{
					From: "threatened", To: "filed", At: filedAt, Rule: "2 independent sources within 72h",
					Evidence: []EvidenceView{
						{ID: "h19", Title: courtTitle, Source: "courtlistener.com", Link: courtLink, Published: filedAt.Add(-2 * time.Hour)},
						{ID: "h20", Title: apTitle, Source: "apnews.com", Link: apLink, Published: filedAt},
					},
				}},
			},
			{
				ID:      "happyhorse-launch",
				Name:    "HappyHorse-1.0 is released",
				State:   "unreleased",
				Tickers: []TickerView{{Symbol: "BABA", Impact: ImpactNeutral}},
			},
		},
		feeds: []FeedView{
			{Name: "reuters-tech", URL: "https://www.reuters.com/technology/rss", Status: FeedStatusOK,
				LastPoll: ptr(now.Add(-2 * time.Minute)), LastSuccess: ptr(now.Add(-2 * time.Minute)), NextPoll: ptr(now.Add(3 * time.Minute))},
			{Name: "sec-edgar-8k", URL: longFeedURL, Status: FeedStatusFailing,
				LastPoll: ptr(now.Add(-10 * time.Minute)), LastSuccess: ptr(now.Add(-26 * time.Hour)), NextPoll: ptr(now.Add(50 * time.Minute)),
				Failures: 7, LastError: "fetch https://www.sec.gov/cgi-bin/browse-edgar: http_5xx: 503 Service Unavailable"},
			{Name: "old-blog", URL: "https://blog.example/feed.xml", Status: FeedStatusDead,
				LastPoll: ptr(now.Add(-72 * time.Hour)), Failures: 1, LastError: "gone: 410 Gone"},
			{Name: "new-feed", URL: "https://news.example/rss", Status: FeedStatusNeverPolled},
		},
	}
}

var errStore = errors.New("sqlite: open /var/lib/catalyst/catalyst.db: database is locked")
