package notify

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
)

// consoleMaxHeadlines is how many evidence headlines the console lists before "and N more".
const consoleMaxHeadlines = 10

// Console writes alerts as readable blocks of text, for example to stdout:
//
//	▲ [BABA bullish, 9988.HK bullish] happyhorse-alibaba: unconfirmed → confirmed  2026-11-14 09:00 UTC
//	  HappyHorse-1.0 is Alibaba's
//	  evidence (1 independent source):
//	    - Alibaba confirms it is behind HappyHorse-1.0 — reuters.com https://reuters.com/a0dcde8045
//	  key: 7d1c…
//
// Control characters from headlines are removed, so a feed cannot forge lines or terminal escapes.
type Console struct {
	name string
	mu   sync.Mutex
	w    io.Writer
}

// NewConsole returns a channel named "console" writing to w.
func NewConsole(w io.Writer) *Console {
	return &Console{name: "console", w: w}
}

// Name returns the channel's name.
func (c *Console) Name() string { return c.name }

// Send writes a as one block, in a single Write so concurrent alerts do not interleave.
func (c *Console) Send(ctx context.Context, a Alert) error {
	if err := ctx.Err(); err != nil {
		return deliveryError(c.name, nil, false, 0, fmt.Errorf("write alert: %w", err))
	}
	text := FormatConsole(a)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.w, text); err != nil {
		return deliveryError(c.name, nil, false, 0, fmt.Errorf("write alert: %w", err))
	}
	return nil
}

// FormatConsole renders a the way the console channel prints it, ending with a blank line.
func FormatConsole(a Alert) string {
	d := newTemplateData(a, consoleMaxHeadlines)
	var b strings.Builder
	if d.Operator {
		kind := "operator"
		if a.Kind == KindDigest || a.Kind == KindReminder {
			kind = a.Kind
		}
		fmt.Fprintf(&b, "%s %s: %s", messageMark(a), kind, operatorTitle(a))
		if d.When != "" {
			fmt.Fprintf(&b, "  %s", d.When)
		}
		b.WriteString("\n")
		for _, l := range strings.Split(d.Text, "\n") {
			fmt.Fprintf(&b, "  %s\n", l)
		}
		fmt.Fprintf(&b, "  key: %s\n\n", d.Key)
		return b.String()
	}

	b.WriteString(d.Arrow + " ")
	if t := tickerText(a.Tickers, false); t != "" {
		fmt.Fprintf(&b, "[%s] ", t)
	}
	id := cleanLine(a.CatalystID)
	if id == "" {
		id = d.Title
	}
	fmt.Fprintf(&b, "%s: %s", id, d.Transition)
	if d.When != "" {
		fmt.Fprintf(&b, "  %s", d.When)
	}
	b.WriteString("\n")
	if name := cleanLine(a.Name); name != "" && name != id {
		fmt.Fprintf(&b, "  %s\n", name)
	}
	if s := cleanLine(a.StateText); s != "" {
		fmt.Fprintf(&b, "  now: %s\n", s)
	}
	if len(a.Evidence) > 0 || d.Sources > 0 {
		fmt.Fprintf(&b, "  evidence (%s):\n", d.SourcesText)
		for _, e := range d.Evidence {
			fmt.Fprintf(&b, "    - %s", truncateRunes(e.Title, 160))
			if e.Source != "" {
				fmt.Fprintf(&b, " — %s", e.Source)
			}
			if e.Link != "" {
				fmt.Fprintf(&b, " %s", e.Link)
			}
			b.WriteString("\n")
		}
		if d.MoreEvidence > 0 {
			fmt.Fprintf(&b, "    and %d more\n", d.MoreEvidence)
		}
	}
	if s := cleanLine(a.Rule); s != "" {
		fmt.Fprintf(&b, "  rule: %s\n", s)
	}
	fmt.Fprintf(&b, "  key: %s\n\n", d.Key)
	return b.String()
}
