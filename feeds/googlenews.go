package feeds

import "strings"

// googleNewsHost is the host of Google News feeds, whose items name the real publisher in
// <source url="..."> and end every title with " - Publisher".
const googleNewsHost = "news.google.com"

// publisherSeparators are the separators aggregators put between a title and its publisher.
var publisherSeparators = []string{" - ", " – ", " — ", " | "}

// stripPublisherSuffix removes a trailing " - Publisher" from a cleaned title when Publisher is
// the item's <source> name (compared case-insensitively), or, for Google News feeds, whatever
// follows the last " - ". The title is returned unchanged when stripping would leave it empty.
func stripPublisherSuffix(title, sourceName string, googleNews bool) string {
	if sourceName != "" {
		for _, sep := range publisherSeparators {
			suffix := sep + sourceName
			if len(title) > len(suffix) && strings.EqualFold(title[len(title)-len(suffix):], suffix) {
				return strings.TrimSpace(title[:len(title)-len(suffix)])
			}
		}
	}
	if googleNews {
		if i := strings.LastIndex(title, " - "); i > 0 {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}
