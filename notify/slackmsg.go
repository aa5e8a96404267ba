package notify

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Slack Block Kit limits (https://docs.slack.dev/reference/block-kit), counted in characters.
const (
	slackMaxBlocks      = 50
	slackMaxHeader      = 150
	slackMaxSectionText = 3000
	slackMaxFields      = 10
	slackMaxFieldText   = 2000
	slackMaxContextText = 2000
	slackMaxFallback    = 3000

	// slackMaxHeadlines is how many evidence headlines a message lists before "and N more".
	slackMaxHeadlines = 10
	// slackMaxTitle bounds one escaped headline title; slackMaxLink one escaped URL (longer links
	// are dropped, the title is kept).
	slackMaxTitle = 300
	slackMaxLink  = 1000
	// slackMoreReserve keeps room in every evidence section for the "and N more" line.
	slackMoreReserve = 32
)

// slackPayload is an incoming-webhook message: Block Kit blocks plus the plain fallback text used
// in notifications.
type slackPayload struct {
	Text        string       `json:"text"`
	Blocks      []slackBlock `json:"blocks"`
	UnfurlLinks bool         `json:"unfurl_links"`
	UnfurlMedia bool         `json:"unfurl_media"`
}

// slackBlock is a header, section, divider or context block.
type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Fields   []slackText `json:"fields,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

// slackText is a text object, plain_text or mrkdwn.
type slackText struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"`
}

func slackHeader(s string) slackBlock {
	return slackBlock{Type: "header", Text: &slackText{Type: "plain_text", Text: slackFit(s, slackMaxHeader), Emoji: true}}
}

func slackSection(mrkdwn string) slackBlock {
	return slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: mrkdwn}}
}

func slackContext(mrkdwn string) slackBlock {
	return slackBlock{Type: "context", Elements: []slackText{{Type: "mrkdwn", Text: mrkdwn}}}
}

// slackMessage renders a as a Block Kit message within Slack's limits.
func slackMessage(a Alert) slackPayload {
	if isMessage(a) {
		return slackOperatorMessage(a)
	}
	d := newTemplateData(a, slackMaxHeadlines)
	blocks := []slackBlock{slackHeader(d.Headline)}

	var about []string
	if s := cleanText(a.Description); s != "" {
		about = append(about, slackFit(s, 2000))
	}
	if s := cleanText(a.StateText); s != "" {
		about = append(about, "_Now:_ "+slackFit(s, 900))
	}
	if len(about) > 0 {
		blocks = append(blocks, slackSection(fitRunes(strings.Join(about, "\n"), slackMaxSectionText)))
	}

	var tickers []string
	for _, t := range d.Tickers {
		line := t.Arrow + " *" + slackEscape(t.Symbol) + "* " + slackEscape(t.Impact)
		if t.Primary && len(d.Tickers) > 1 {
			line += " (primary)"
		}
		tickers = append(tickers, line)
	}
	if len(tickers) == 0 {
		tickers = []string{"none"}
	}
	fields := []string{
		"*Tickers*\n" + strings.Join(tickers, "\n"),
		"*Transition*\n" + slackEscape(d.Transition),
		"*When*\n" + slackEscape(d.When),
		"*Independent sources*\n" + fmt.Sprint(d.Sources),
	}
	if s := cleanLine(a.CatalystID); s != "" {
		fields = append(fields, "*Catalyst*\n"+slackEscape(s))
	}
	if s := cleanLine(a.Rule); s != "" {
		fields = append(fields, "*Rule*\n"+slackEscape(s))
	}
	sec := slackBlock{Type: "section"}
	for _, f := range fields[:min(len(fields), slackMaxFields)] {
		sec.Fields = append(sec.Fields, slackText{Type: "mrkdwn", Text: fitRunes(f, slackMaxFieldText)})
	}
	blocks = append(blocks, sec)

	// Evidence, then one context block: leave room for it.
	blocks = append(blocks, slackEvidence(d, slackMaxBlocks-len(blocks)-1)...)

	var ctx []string
	pub, seen := earliest(a.Evidence)
	if s := formatTime(pub); s != "" {
		ctx = append(ctx, "first published "+s)
	}
	if s := formatTime(seen); s != "" {
		ctx = append(ctx, "first seen "+s)
	}
	ctx = append(ctx, "key "+slackCode(d.Key))
	blocks = append(blocks, slackContext(fitRunes(strings.Join(ctx, " · "), slackMaxContextText)))

	fallback := d.Headline
	if d.TickerText != "" {
		fallback += " (" + d.TickerText + ")"
	}
	return slackPayload{Text: slackFit(fallback, slackMaxFallback), Blocks: blocks}
}

// slackEvidence lists the evidence as linked headlines in at most maxBlocks sections, ending with
// "and N more" when headlines were left out.
func slackEvidence(d TemplateData, maxBlocks int) []slackBlock {
	if len(d.Evidence) == 0 || maxBlocks <= 0 {
		return nil
	}
	limit := slackMaxSectionText - slackMoreReserve
	var secs []string
	cur := "*Evidence*"
	shown := 0
	for _, e := range d.Evidence {
		line := "• " + slackHeadline(e)
		if utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(line) > limit {
			if len(secs)+1 >= maxBlocks {
				break
			}
			secs = append(secs, cur)
			cur = line
		} else {
			cur += "\n" + line
		}
		shown++
	}
	if more := len(d.Evidence) - shown + d.MoreEvidence; more > 0 {
		cur += fmt.Sprintf("\n_and %d more_", more)
	}
	secs = append(secs, cur)
	out := make([]slackBlock, len(secs))
	for i, s := range secs {
		out[i] = slackSection(s)
	}
	return out
}

// slackHeadline is "<link|title> — source, published"; the title is plain when there is no usable link.
func slackHeadline(e EvidenceView) string {
	t := slackFit(e.Title, slackMaxTitle)
	if t == "" {
		t = "(untitled)"
	}
	if e.Link != "" {
		if l := slackEscape(strings.ReplaceAll(e.Link, "|", "%7C")); utf8.RuneCountInString(l) <= slackMaxLink {
			t = "<" + l + "|" + t + ">"
		}
	}
	if s := slackFit(e.Source, 100); s != "" {
		t += " — " + s
	}
	if e.Published != "" {
		t += ", " + e.Published
	}
	return t
}

// slackOperatorMessage renders an operator alert: a header and its text as is (escaped, split
// over sections).
func slackOperatorMessage(a Alert) slackPayload {
	d := newTemplateData(a, 0)
	blocks := []slackBlock{slackHeader(d.Headline)}
	text := slackEscape(d.Text)
	if text == "" {
		text = "(no text)"
	}
	for _, chunk := range splitRunes(text, slackMaxSectionText, slackMaxBlocks-2) {
		blocks = append(blocks, slackSection(chunk))
	}
	ctx := []string{}
	if d.When != "" {
		ctx = append(ctx, d.When)
	}
	ctx = append(ctx, "key "+slackCode(d.Key))
	blocks = append(blocks, slackContext(fitRunes(strings.Join(ctx, " · "), slackMaxContextText)))
	first, _, _ := strings.Cut(d.Text, "\n")
	return slackPayload{Text: slackFit(d.Headline+": "+first, slackMaxFallback), Blocks: blocks}
}

// slackEscape escapes Slack's control characters &, < and > (and nothing else).
func slackEscape(s string) string {
	return slackEscaper.Replace(s)
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackCode shows s as inline code.
func slackCode(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	if s == "" {
		return "(none)"
	}
	return "`" + slackEscape(s) + "`"
}

// slackFit escapes raw and keeps the result within limit characters, cutting whole characters
// (never an entity) and ending with "…" when it had to cut.
func slackFit(raw string, limit int) string {
	esc := slackEscape(raw)
	if utf8.RuneCountInString(esc) <= limit {
		return esc
	}
	var b strings.Builder
	n := 0
	for _, r := range raw {
		e := slackEscape(string(r))
		l := utf8.RuneCountInString(e)
		if n+l > limit-1 {
			break
		}
		b.WriteString(e)
		n += l
	}
	return strings.TrimRight(b.String(), " ") + "…"
}

// fitRunes cuts already-formatted text to limit characters, backing off to a line break or space
// so that a link or an entity is not cut in half where possible.
func fitRunes(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)[:limit-1]
	cut := string(r)
	if i := strings.LastIndexAny(cut, "\n "); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// splitRunes splits s into at most n chunks of at most limit characters, preferring line breaks;
// the last chunk ends with "…" when s did not fit.
func splitRunes(s string, limit, n int) []string {
	var out []string
	for s != "" && len(out) < n {
		if utf8.RuneCountInString(s) <= limit {
			out = append(out, s)
			return out
		}
		r := []rune(s)
		chunk := string(r[:limit])
		if i := strings.LastIndex(chunk, "\n"); i > len(chunk)/2 {
			chunk = chunk[:i]
		}
		if len(out) == n-1 {
			out = append(out, fitRunes(s, limit))
			return out
		}
		out = append(out, chunk)
		s = strings.TrimLeft(s[len(chunk):], "\n")
	}
	return out
}

// withSummary puts a user template's text in place of the summary section (the one after the
// header, before the fields) and of the plain-text fallback.
func withSummary(p slackPayload, text string) slackPayload {
	text = fitRunes(text, slackMaxSectionText)
	if strings.TrimSpace(text) == "" {
		return p
	}
	blocks := []slackBlock{p.Blocks[0], slackSection(text)}
	rest := p.Blocks[1:]
	if len(rest) > 0 && rest[0].Type == "section" && rest[0].Text != nil {
		rest = rest[1:] // the default summary
	}
	p.Blocks = append(blocks, rest...)
	p.Text = slackFit(text, slackMaxFallback)
	return p
}
