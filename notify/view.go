package notify

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// KindOperator marks an alert about the monitor itself (feed health, delivery failures); its Text
// is rendered as is in every channel.
const KindOperator = "operator"

// KindTransition marks an alert about a catalyst's state change.
const KindTransition = "transition"

// KindDigest marks a periodic summary of transitions; like an operator alert, its Text is the body.
const KindDigest = "digest"

// KindReminder marks a reminder that a catalyst has had no evidence for a while; its Text is the body.
const KindReminder = "reminder"

// timeLayout is how every channel shows times: always UTC, to the minute.
const timeLayout = "2006-01-02 15:04 UTC"

// TemplateData is what the email templates are executed with. Every string in it is already
// cleaned of control characters; Link fields hold only http and https URLs.
type TemplateData struct {
	// Alert is the alert as given, for templates that need a field not prepared below.
	Alert Alert
	// Operator is true for operator alerts, whose message is Text.
	Operator bool
	// Subject is the email subject, e.g. "[BABA ▲ bullish] HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed".
	Subject string
	// Headline is the arrow, title and transition, e.g. "▲ HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed".
	Headline string
	// Arrow is ▲ (bullish), ▼ (bearish), ■ (neutral) for the primary ticker, • without tickers, ⚠ for operator alerts.
	Arrow string
	// Title is the catalyst's name, or its ID when it has no name.
	Title string
	// Transition is "from → to".
	Transition string
	// When is the alert's time, e.g. "2026-11-14 09:00 UTC".
	When string
	// Tickers are the alert's tickers, primary first.
	Tickers []TickerView
	// TickerText is the tickers on one line, e.g. "BABA ▲ bullish, 9988.HK ▲ bullish".
	TickerText string
	// Sources is the number of independent sources; SourcesText says it in words.
	Sources     int
	SourcesText string
	// Evidence is the headlines shown; MoreEvidence counts those left out.
	Evidence     []EvidenceView
	MoreEvidence int
	// Text is the operator message (empty for transitions).
	Text string
	// Key is the idempotency key.
	Key string
}

// TickerView is one ticker, prepared for display.
type TickerView struct {
	Symbol  string
	Impact  string
	Arrow   string
	Primary bool
}

// EvidenceView is one headline, prepared for display.
type EvidenceView struct {
	Title     string
	Source    string
	Link      string // empty unless an http or https URL
	Published string // formatted like When; empty when unknown
	FirstSeen string // formatted like When; empty when unknown
	Trusted   bool
}

// newTemplateData prepares a for display, showing at most maxEvidence headlines.
func newTemplateData(a Alert, maxEvidence int) TemplateData {
	d := TemplateData{
		Alert:       a,
		Operator:    isMessage(a),
		Subject:     subject(a),
		Headline:    headline(a),
		Arrow:       headlineArrow(a),
		Title:       title(a),
		Transition:  transition(a),
		When:        formatTime(a.At),
		TickerText:  tickerText(a.Tickers, true),
		Sources:     a.Sources,
		SourcesText: sourcesText(a.Sources),
		Text:        cleanText(a.Text),
		Key:         cleanLine(a.Key),
	}
	for _, t := range orderedTickers(a.Tickers) {
		d.Tickers = append(d.Tickers, TickerView{
			Symbol:  cleanLine(t.Symbol),
			Impact:  cleanLine(string(t.Impact)),
			Arrow:   impactArrow(t.Impact),
			Primary: t.Primary,
		})
	}
	for i, e := range a.Evidence {
		if i >= maxEvidence {
			d.MoreEvidence = len(a.Evidence) - i
			break
		}
		d.Evidence = append(d.Evidence, evidenceView(e))
	}
	return d
}

func evidenceView(e Evidence) EvidenceView {
	return EvidenceView{
		Title:     cleanLine(e.Title),
		Source:    cleanLine(e.Source),
		Link:      safeLink(e.Link),
		Published: formatTime(e.Published),
		FirstSeen: formatTime(e.FirstSeen),
		Trusted:   e.Trusted,
	}
}

func isOperator(a Alert) bool { return a.Kind == KindOperator }

// isMessage reports whether an alert is rendered from its Text: operator alerts and digests.
func isMessage(a Alert) bool {
	return a.Kind == KindOperator || a.Kind == KindDigest || a.Kind == KindReminder
}

// messageMark is the leading symbol of a text message: ⚠ for operator alerts, ≡ for digests.
func messageMark(a Alert) string {
	switch a.Kind {
	case KindDigest:
		return "≡"
	case KindReminder:
		return "⏰"
	}
	return "⚠"
}

// formatTime formats t in UTC, or returns "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// impactArrow is the symbol for an impact: ▲ bullish, ▼ bearish, ■ neutral (and anything else).
func impactArrow(i Impact) string {
	switch i {
	case Bullish:
		return "▲"
	case Bearish:
		return "▼"
	default:
		return "■"
	}
}

// orderedTickers returns the tickers with primary ones first, otherwise in the given order.
func orderedTickers(ts []Ticker) []Ticker {
	out := append([]Ticker(nil), ts...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Primary && !out[j].Primary })
	return out
}

// headlineArrow is the arrow of the primary (or first) ticker, • without tickers, ⚠ for operator alerts.
func headlineArrow(a Alert) string {
	if isMessage(a) {
		return messageMark(a)
	}
	ts := orderedTickers(a.Tickers)
	if len(ts) == 0 {
		return "•"
	}
	return impactArrow(ts[0].Impact)
}

// title is the catalyst's name, falling back to its ID.
func title(a Alert) string {
	for _, s := range []string{a.Name, a.CatalystID} {
		if s = cleanLine(s); s != "" {
			return s
		}
	}
	if isOperator(a) {
		return "operator alert"
	}
	return "catalyst"
}

// transition is "from → to"; a first state shows as "new → to".
func transition(a Alert) string {
	from := cleanLine(a.From)
	if from == "" {
		from = "new"
	}
	return from + " → " + cleanLine(a.To)
}

// headline is the one-line summary shared by every channel, e.g.
// "▲ HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed"; for operator alerts "⚠ " and the
// name or the first line of the text.
func headline(a Alert) string {
	if isMessage(a) {
		return messageMark(a) + " " + operatorTitle(a)
	}
	return headlineArrow(a) + " " + title(a) + ": " + transition(a)
}

// operatorTitle is an operator alert's name, or else the first line of its text.
func operatorTitle(a Alert) string {
	if s := cleanLine(a.Name); s != "" {
		return s
	}
	first, _, _ := strings.Cut(strings.TrimSpace(a.Text), "\n")
	if s := truncateRunes(cleanLine(first), 120); s != "" {
		return s
	}
	return "operator alert"
}

// subject is the email subject: tickers with impact in brackets, primary first, then the title
// and transition, e.g. "[BABA ▲ bullish] HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed".
func subject(a Alert) string {
	if a.Kind == KindDigest || a.Kind == KindReminder {
		return "[catalyst " + a.Kind + "] " + operatorTitle(a)
	}
	if isOperator(a) {
		return "[catalyst operator] " + operatorTitle(a)
	}
	s := title(a) + ": " + transition(a)
	if t := tickerText(a.Tickers, true); t != "" {
		s = "[" + t + "] " + s
	}
	return s
}

// tickerText lists tickers primary first as "BABA ▲ bullish, 9988.HK ▲ bullish", or without the
// arrows as "BABA bullish, 9988.HK bullish".
func tickerText(ts []Ticker, arrows bool) string {
	parts := make([]string, 0, len(ts))
	for _, t := range orderedTickers(ts) {
		p := cleanLine(t.Symbol)
		if arrows {
			p += " " + impactArrow(t.Impact)
		}
		if imp := cleanLine(string(t.Impact)); imp != "" {
			p += " " + imp
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// sourcesText is "1 independent source" or "N independent sources".
func sourcesText(n int) string {
	if n == 1 {
		return "1 independent source"
	}
	return fmt.Sprintf("%d independent sources", n)
}

// earliest returns the earliest non-zero Published and FirstSeen times among the evidence.
func earliest(ev []Evidence) (published, firstSeen time.Time) {
	for _, e := range ev {
		if !e.Published.IsZero() && (published.IsZero() || e.Published.Before(published)) {
			published = e.Published
		}
		if !e.FirstSeen.IsZero() && (firstSeen.IsZero() || e.FirstSeen.Before(firstSeen)) {
			firstSeen = e.FirstSeen
		}
	}
	return published, firstSeen
}

// safeLink returns link when it is an absolute http or https URL, and "" otherwise, so that no
// channel renders a javascript: or data: link from a feed.
func safeLink(link string) string {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	if strings.ContainsFunc(link, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) {
		return ""
	}
	return link
}

// cleanLine folds whitespace and control characters (which could forge lines in a terminal or
// headers in a mail) into single spaces and trims the result.
func cleanLine(s string) string {
	if s == "" {
		return ""
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
	}), " ")
}

// cleanText keeps line breaks but drops other control characters and trailing spaces per line.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.Map(func(r rune) rune {
			switch {
			case r == '\t':
				return ' '
			case unicode.IsControl(r) || r == utf8.RuneError:
				return -1
			}
			return r
		}, l)
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// truncateRunes shortens s to at most n runes, ending it with "…" when it was cut.
func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}
