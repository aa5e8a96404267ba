package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const minimal = `
feeds:
  - name: wire
    url: https://example.com/rss
catalysts:
  - id: deal
    initial: open
    tickers: [ACME]
    entities: {acme: [Acme]}
    about: [acme]
    states:
      open: {impact: {ACME: neutral}}
      done: {impact: {ACME: bullish}, cues: [agrees]}
    transitions: {open: [done]}
`

func TestDefaults(t *testing.T) {
	cfg, sec, err := Parse("c.yaml", []byte(minimal), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Feeds[0].Schedule != DefaultSchedule || cfg.Feeds[0].MaxBodyBytes != DefaultMaxBodyBytes {
		t.Errorf("feed defaults: %+v", cfg.Feeds[0])
	}
	if cfg.Policy.Quorum != 2 || cfg.Policy.Window != 72*time.Hour || len(cfg.Policy.Trusted) != len(DefaultTrusted) {
		t.Errorf("policy defaults: %+v", cfg.Policy)
	}
	if cfg.Storage.Path != "catalyst.db" {
		t.Errorf("storage path %q, want ./catalyst.db", cfg.Storage.Path)
	}
	if sec.SlackURL != "" || sec.SMTP != nil {
		t.Errorf("channels on without their variables: %v", sec)
	}
	cfg, _, _ = Parse("c.yaml", []byte(minimal), env(map[string]string{"STATE_DIRECTORY": "/var/lib/catalyst"}))
	if cfg.Storage.Path != "/var/lib/catalyst/catalyst.db" {
		t.Errorf("systemd storage path %q", cfg.Storage.Path)
	}
}

func TestErrorsNameFileLineAndColumn(t *testing.T) {
	cases := map[string]struct {
		yaml string
		want string
	}{
		"unknown key":        {"feeds: []\nfeedz: []\n", "c.yaml:2:1: unknown field \"feedz\""},
		"bad yaml":           {"feeds: [\n", "c.yaml:"},
		"bad cron":           {"feeds:\n  - name: a\n    url: https://e.com/\n    schedule: \"61 * * * *\"\n", "c.yaml:4:15: feed \"a\": bad cron schedule"},
		"bad url":            {"feeds:\n  - name: a\n    url: \"not a url\"\n", "c.yaml:3:10: feed \"a\": bad url"},
		"duplicate feed":     {"feeds:\n  - {name: a, url: \"https://e.com/\"}\n  - {name: a, url: \"https://e.com/\"}\n", "c.yaml:3:12: duplicate feed name \"a\""},
		"wrong type":         {"policy: {quorum: many}\n", "c.yaml:1:18:"},
		"bad log level":      {"log_level: loud\n", "c.yaml:1:12: log_level \"loud\""},
		"undefined initial":  {strings.Replace(minimal, "initial: open", "initial: closed", 1), "initial state \"closed\" is not one of its states"},
		"undefined target":   {strings.Replace(minimal, "{open: [done]}", "{open: [gone]}", 1), "transition to undefined state \"gone\""},
		"undefined source":   {strings.Replace(minimal, "{open: [done]}", "{shut: [done]}", 1), "transition from undefined state \"shut\""},
		"duplicate id":       {minimal + strings.Replace(minimal[strings.Index(minimal, "  - id: deal"):], "", "", 1), "duplicate catalyst id \"deal\""},
		"impact on stranger": {strings.Replace(minimal, "{ACME: bullish}", "{ZZZ: bullish}", 1), "impact on \"ZZZ\", which is not among its tickers"},
		"bad impact":         {strings.Replace(minimal, "{ACME: bullish}", "{ACME: up}", 1), "impact \"up\": want bullish, bearish or neutral"},
		"unknown group":      {strings.Replace(minimal, "about: [acme]", "about: [acme, bolt]", 1), "unknown entity group \"bolt\""},
		"bad cue":            {strings.Replace(minimal, "cues: [agrees]", "cues: [\"{bolt} agrees\"]", 1), "unknown entity group"},
		"unknown channel":    {strings.Replace(minimal, "about: [acme]", "about: [acme]\n    channels: [pager]", 1), "unknown channel \"pager\""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := Parse("c.yaml", []byte(c.yaml), env(nil))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Errorf("error is %T, want Errors", err)
			}
		})
	}
}

func TestDuplicateIDPointsAtTheSecond(t *testing.T) {
	second := minimal[strings.Index(minimal, "  - id: deal"):]
	_, _, err := Parse("c.yaml", []byte(minimal+second), env(nil))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:15:9:") {
		t.Fatalf("error %v does not point at the second id (line 15)", err)
	}
}

func TestSecretsFromEnvironmentAndFiles(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("s3cret-from-file\n"), 0o600)
	text := minimal + `notifiers:
  email: {password_file: "` + pwFile + `", tls: tls}
  webhooks: [{name: ops, url_env: OPS_URL, secret_env: OPS_SECRET}]
`
	cfg, sec, err := Parse("c.yaml", []byte(text), env(map[string]string{
		"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/XYZ",
		"SMTP_HOST":         "smtp.example.com", "SMTP_USERNAME": "u",
		"ALERT_EMAIL_FROM": "a@example.com", "ALERT_EMAIL_TO": "b@example.com, c@example.com",
		"OPS_URL": "https://ops.example.com/hook?token=abc", "OPS_SECRET": "hmac-key",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if sec.SlackURL != "https://hooks.slack.com/services/T/B/XYZ" || sec.SMTP.Password != "s3cret-from-file" ||
		sec.SMTP.Port != 465 || len(sec.SMTP.To) != 2 || sec.Webhooks["ops"].Secret != "hmac-key" {
		t.Errorf("secrets = %+v %+v", sec, sec.SMTP)
	}
	s := sec.String()
	for _, secret := range []string{"XYZ", "s3cret", "token=abc", "hmac-key"} {
		if strings.Contains(s, secret) {
			t.Errorf("Secrets.String reveals %q: %s", secret, s)
		}
	}
	_ = cfg
}

func TestMissingSecretsAreConfigErrorsWithoutValues(t *testing.T) {
	text := minimal + "notifiers:\n  webhooks: [{name: ops, url_env: OPS_URL, secret_env: OPS_SECRET}]\n"
	_, _, err := Parse("c.yaml", []byte(text), env(map[string]string{
		"SMTP_HOST": "smtp.example.com", "SMTP_USERNAME": "user", "OPS_URL": "https://ops.example.com/x",
	}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"ALERT_EMAIL_FROM", "ALERT_EMAIL_TO", "SMTP_PASSWORD", "OPS_SECRET"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "ops.example.com") {
		t.Errorf("error reveals a secret value: %v", err)
	}
}

func TestSeedConfigIsValid(t *testing.T) {
	cfg, _, err := Load("../../configs/catalyst.yaml", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range cfg.Catalysts {
		ids[c.ID] = true
	}
	for _, id := range []string{"happyhorse-alibaba", "happyhorse-launch", "disney-bytedance"} {
		if !ids[id] {
			t.Errorf("seed config lacks %s", id)
		}
	}
}

func TestFilterMatch(t *testing.T) {
	alert := map[string]string{"BABA": "bullish", "9988.HK": "bullish"}
	cases := map[string]struct {
		f    Filter
		want bool
	}{
		"empty lets all through": {Filter{}, true},
		"ticker named":           {Filter{Tickers: []string{"BABA"}}, true},
		"other ticker":           {Filter{Tickers: []string{"DIS"}}, false},
		"impact matches":         {Filter{Impacts: []string{"bullish"}}, true},
		"impact differs":         {Filter{Impacts: []string{"bearish"}}, false},
		"ticker and impact":      {Filter{Tickers: []string{"9988.HK"}, Impacts: []string{"bullish", "bearish"}}, true},
		"ticker but not impact":  {Filter{Tickers: []string{"BABA"}, Impacts: []string{"neutral"}}, false},
	}
	for name, c := range cases {
		if got := c.f.Match(alert); got != c.want {
			t.Errorf("%s: Match = %v, want %v", name, got, c.want)
		}
	}
}

func TestEmailTemplatesAreCheckedAtLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tmpl")
	os.WriteFile(good, []byte("{{.Subject}}\n"), 0o600)
	bad := filepath.Join(dir, "bad.tmpl")
	os.WriteFile(bad, []byte("line one\n{{.Subject\n"), 0o600)
	cfg, _, err := Parse(filepath.Join(dir, "c.yaml"), []byte(minimal+"notifiers:\n  email: {text_template_file: good.tmpl}\n"), env(nil))
	if err != nil {
		t.Fatalf("good template refused: %v", err)
	}
	if cfg.Notifiers.Email.TextTemplate != "{{.Subject}}\n" {
		t.Errorf("template text not loaded relative to the config: %q", cfg.Notifiers.Email.TextTemplate)
	}
	_, _, err = Parse(filepath.Join(dir, "c.yaml"), []byte(minimal+"notifiers:\n  email: {text_template_file: bad.tmpl}\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:16:31:") || !strings.Contains(err.Error(), "email.txt:2") {
		t.Errorf("bad template: error %v should name the config line and the template line", err)
	}
	_, _, err = Parse(filepath.Join(dir, "c.yaml"), []byte(minimal+"notifiers:\n  slack: {text_template_file: bad.tmpl}\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "slack template") {
		t.Errorf("bad slack template: %v", err)
	}
	_, _, err = Parse("c.yaml", []byte(minimal+"notifiers:\n  slack: {filter: {impacts: [sideways]}}\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), `filter impact "sideways"`) {
		t.Errorf("bad filter impact: %v", err)
	}
}
