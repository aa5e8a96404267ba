// Package feeds polls news feeds over HTTP and turns their items into Headlines.
package feeds

import "time"

// Headline is one news item, cleaned and normalised, as every later stage sees it.
type Headline struct {
	// ID identifies the headline. For feed items it is the dedupe key (see Key); for JSON Lines
	// input it is the caller's opaque id, echoed back.
	ID string `json:"id"`
	// Source is the publisher's registrable domain, lower-cased ("reuters.com").
	Source string `json:"source"`
	// Title is the headline text: entities decoded, tags stripped, whitespace folded.
	Title string `json:"title"`
	// Summary is the item's description, cleaned like Title; it may be empty.
	Summary string `json:"summary"`
	// Link is the item's URL; it may be empty.
	Link string `json:"link"`
	// Published is when the publisher says the item appeared; FirstSeen when no date was given.
	Published time.Time `json:"published"`

	// FirstSeen is when this process first saw the item.
	FirstSeen time.Time `json:"-"`
	// DateMissing is true when the feed gave no usable date and Published is FirstSeen.
	DateMissing bool `json:"-"`
	// Feed is the name of the configured feed the item came from; empty for file input.
	Feed string `json:"-"`
	// GUID is the item's own identifier in the feed, if any.
	GUID string `json:"-"`
	// Fields holds format-specific facts, such as an SEC filing's "form", "accession" and "filed".
	Fields map[string]string `json:"-"`
}
