package notify

import (
	"bytes"
	"fmt"
	texttemplate "text/template"
)

// ParseSlackTemplate checks a user-supplied Slack text template (text/template syntax, executed
// with a TemplateData; its output is Slack mrkdwn), so that configuration loading can report
// mistakes before the first alert. It also runs the template once on sample alerts.
func ParseSlackTemplate(src string) error {
	_, err := parseSlackTemplate(src)
	return err
}

func parseSlackTemplate(src string) (*texttemplate.Template, error) {
	if src == "" {
		return nil, nil
	}
	t, err := texttemplate.New("slack").Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("notify: parse slack template: %w", err)
	}
	for _, a := range sampleAlerts() {
		var b bytes.Buffer
		if err := t.Execute(&b, newTemplateData(a, slackMaxHeadlines)); err != nil {
			return nil, fmt.Errorf("notify: try slack template on a sample %s alert: %w", a.Kind, err)
		}
	}
	return t, nil
}

// renderSlackText executes the template; its output replaces the message's summary section and
// its plain-text fallback (the line phones show in notifications).
func renderSlackText(t *texttemplate.Template, a Alert) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, newTemplateData(a, slackMaxHeadlines)); err != nil {
		return "", fmt.Errorf("execute slack template: %w", err)
	}
	return b.String(), nil
}
