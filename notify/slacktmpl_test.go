package notify

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSlackTextTemplateReplacesSummaryAndFallback(t *testing.T) {
	if err := ParseSlackTemplate("{{.Nope}}"); err == nil {
		t.Error("a template naming a missing field was accepted")
	}
	if err := ParseSlackTemplate("{{if}}"); err == nil || !strings.Contains(err.Error(), "slack") {
		t.Errorf("a broken template: %v", err)
	}
	srv := newHookServer(t, nil)
	s, err := NewSlack(SlackConfig{WebhookURL: srv.URL + "/services/T/B/x", MinInterval: -1,
		TextTemplate: "*{{.Title}}* moved: {{.Transition}} ({{.TickerText}})"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), happyHorse()); err != nil {
		t.Fatal(err)
	}
	var msg slackPayload
	if err := json.Unmarshal(srv.Requests()[0].Body, &msg); err != nil {
		t.Fatal(err)
	}
	want := "*HappyHorse-1.0 is Alibaba's* moved: unconfirmed → confirmed"
	if !strings.HasPrefix(msg.Text, want) || msg.Blocks[1].Text == nil || !strings.HasPrefix(msg.Blocks[1].Text.Text, want) {
		t.Errorf("fallback %q, second block %+v; want both to start with %q", msg.Text, msg.Blocks[1], want)
	}
	if msg.Blocks[2].Type != "section" || len(msg.Blocks[2].Fields) == 0 {
		t.Errorf("the fields section should follow the template's section: %+v", msg.Blocks[2])
	}
}
