package feeds

import (
	"strings"
	"time"
)

// extraLayouts are date formats seen in feeds that gofeed's date parser does not know. Each is
// tried on the trimmed text; zone abbreviations resolve through zoneOffsets.
var extraLayouts = []string{
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 3:04 pm MST",
	"Mon, Jan 2 2006 03:04:05 PM",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05 MST",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"02.01.2006 15:04:05",
	"02.01.2006",
	"January 2, 2006 3:04 PM",
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"Mon, 2 Jan 2006",
	"Monday, January 2, 2006 3:04 PM MST",
	"Monday, January 2, 2006",
}

// zoneOffsets are the zone abbreviations common in US and UK feeds, in seconds east of UTC.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "BST": 3600, "CET": 3600, "CEST": 7200,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}

// parseDate is the fallback date parser for text gofeed could not parse. Times without a zone
// are taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.ReplaceAll(strings.Join(strings.Fields(s), " "), " ,", ",")
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, layout := range extraLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if name, off := t.Zone(); off == 0 && name != "" && name != "UTC" {
			// time.Parse gives unknown abbreviations a zero offset; fix the ones we know.
			if known, ok := zoneOffsets[strings.ToUpper(name)]; ok {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, known))
			}
		}
		return t, true
	}
	return time.Time{}, false
}
