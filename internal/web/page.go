package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
)

//go:embed templates/status.html
var templateFS embed.FS

// timeLayout is how the page shows absolute times: always UTC, to the minute, as the alerts do.
const timeLayout = "2006-01-02 15:04 UTC"

// refreshSeconds is how often the status page reloads itself (a meta refresh: no script).
const refreshSeconds = 60

// pageData is what the status page template is executed with.
type pageData struct {
	Now       time.Time
	Refresh   int
	Catalysts []CatalystView
	Feeds     []FeedView
	// Unhealthy counts the feeds that are failing or dead.
	Unhealthy int
}

// parsePage parses the embedded status page; now is the clock for relative times.
func parsePage(now func() time.Time) *template.Template {
	funcs := template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format(timeLayout)
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"ago": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return relative(now().Sub(t))
		},
		"arrow":       impactArrow,
		"impactClass": impactClass,
		"feedClass":   feedClass,
		"safeLink":    safeLink,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
	}
	return template.Must(template.New("status.html").Funcs(funcs).ParseFS(templateFS, "templates/status.html"))
}

// relative says how long ago (d > 0) or in how long (d < 0) something happens, roughly.
func relative(d time.Duration) string {
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d/time.Hour))
	default:
		s = fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// impactArrow is ▲ for bullish, ▼ for bearish and ■ for anything else.
func impactArrow(impact string) string {
	switch impact {
	case ImpactBullish:
		return "▲"
	case ImpactBearish:
		return "▼"
	default:
		return "■"
	}
}

// impactClass is the CSS class of an impact; unknown impacts are neutral.
func impactClass(impact string) string {
	switch impact {
	case ImpactBullish, ImpactBearish:
		return impact
	default:
		return ImpactNeutral
	}
}

// feedClass is the CSS class of a feed status.
func feedClass(status string) string {
	switch status {
	case FeedStatusOK:
		return "ok"
	case FeedStatusFailing:
		return "failing"
	case FeedStatusDead:
		return "dead"
	default:
		return "never"
	}
}

// safeLink returns link when it is an absolute http or https URL, else "" (the page then shows
// the title without a link). html/template escapes it in the attribute either way.
func safeLink(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

func (s *Server) serveStatusPage(w http.ResponseWriter, r *http.Request) {
	cs, err := s.loadCatalysts(r.Context())
	if err == nil {
		var fs []FeedView
		if fs, err = s.loadFeeds(r.Context()); err == nil {
			s.renderPage(w, cs, fs)
			return
		}
	}
	s.log.Error("serve status page", zap.Error(err))
	http.Error(w, "status unavailable; see the server log", http.StatusServiceUnavailable)
}

// renderPage renders the whole page into a buffer first, so that a template error gives a clean
// 500 rather than half a page.
func (s *Server) renderPage(w http.ResponseWriter, cs []CatalystView, fs []FeedView) {
	d := pageData{Now: s.now(), Refresh: refreshSeconds, Catalysts: cs, Feeds: fs}
	for _, f := range fs {
		if f.Status == FeedStatusFailing || f.Status == FeedStatusDead {
			d.Unhealthy++
		}
	}
	var buf bytes.Buffer
	if err := s.page.Execute(&buf, d); err != nil {
		s.log.Error("render status page", zap.Error(err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}
