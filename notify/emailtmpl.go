package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
	"time"
)

//go:embed templates/email.txt.tmpl templates/email.html.tmpl
var templateFS embed.FS

// emailMaxHeadlines is how many evidence headlines an email lists before "and N more".
const emailMaxHeadlines = 50

// emailTemplates are the parsed text and HTML bodies of alert emails.
type emailTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// ParseTemplates checks user-supplied email templates, so that configuration loading can report
// mistakes before the first alert. textTmpl uses text/template and htmlTmpl html/template syntax
// (so that headline titles are escaped); both are executed with a TemplateData. An empty string
// stands for the built-in template. The templates are also executed once against sample alerts,
// which catches references to fields that do not exist.
func ParseTemplates(textTmpl, htmlTmpl string) error {
	_, err := parseTemplates(textTmpl, htmlTmpl)
	return err
}

// parseTemplates parses and trial-executes the templates ("" = built-in).
func parseTemplates(textTmpl, htmlTmpl string) (*emailTemplates, error) {
	if textTmpl == "" {
		b, err := templateFS.ReadFile("templates/email.txt.tmpl")
		if err != nil {
			return nil, fmt.Errorf("notify: read built-in text template: %w", err)
		}
		textTmpl = string(b)
	}
	if htmlTmpl == "" {
		b, err := templateFS.ReadFile("templates/email.html.tmpl")
		if err != nil {
			return nil, fmt.Errorf("notify: read built-in HTML template: %w", err)
		}
		htmlTmpl = string(b)
	}
	t := &emailTemplates{}
	var err error
	if t.text, err = texttemplate.New("email.txt").Option("missingkey=error").Parse(textTmpl); err != nil {
		return nil, fmt.Errorf("notify: parse email text template: %w", err)
	}
	if t.html, err = htmltemplate.New("email.html").Option("missingkey=error").Parse(htmlTmpl); err != nil {
		return nil, fmt.Errorf("notify: parse email HTML template: %w", err)
	}
	for _, a := range sampleAlerts() {
		if _, _, err := t.render(newTemplateData(a, emailMaxHeadlines)); err != nil {
			return nil, fmt.Errorf("notify: try email templates on a sample %s alert: %w", a.Kind, err)
		}
	}
	return t, nil
}

// render executes both templates.
func (t *emailTemplates) render(d TemplateData) (text, html string, err error) {
	var tb, hb bytes.Buffer
	if err := t.text.Execute(&tb, d); err != nil {
		return "", "", fmt.Errorf("execute email text template: %w", err)
	}
	if err := t.html.Execute(&hb, d); err != nil {
		return "", "", fmt.Errorf("execute email HTML template: %w", err)
	}
	return tb.String(), hb.String(), nil
}

// sampleAlerts are the alerts templates are tried on: one transition with every field set, one operator message.
func sampleAlerts() []Alert {
	at := time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)
	return []Alert{
		{
			Key: "sample-key", Kind: KindTransition, CatalystID: "sample", Name: "Sample <catalyst> & co",
			Description: "A sample catalyst.", From: "unconfirmed", To: "confirmed", StateText: "Confirmed.",
			At:      at,
			Tickers: []Ticker{{Symbol: "AAA", Primary: true, Impact: Bullish}, {Symbol: "BBB", Impact: Bearish}},
			Evidence: []Evidence{{
				ID: "e1", Title: "Sample headline", Source: "example.com", Link: "https://example.com/a",
				Published: at.Add(-5 * time.Minute), FirstSeen: at.Add(-4 * time.Minute), Trusted: true,
			}},
			Sources: 1, Rule: "sample rule",
		},
		{Key: "sample-operator", Kind: KindOperator, Name: "Sample operator alert", At: at, Text: "Line one.\nLine two."},
	}
}
