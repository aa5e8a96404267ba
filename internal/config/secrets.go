package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Secrets are the values read from the environment or files at start-up. They are never logged:
// String redacts them.
type Secrets struct {
	// SlackURL is the Slack incoming webhook; empty when Slack is off.
	SlackURL string
	// SMTP is set when email is on.
	SMTP *SMTP
	// Webhooks maps a webhook's name to its URL and signing secret.
	Webhooks map[string]WebhookSecret
	// APIToken is the bearer token the HTTP listener requires; empty means none.
	APIToken string
}

// SMTP holds the resolved email settings.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	To       []string
	TLS      string
}

// WebhookSecret is a generic webhook's URL and HMAC secret.
type WebhookSecret struct {
	URL    string
	Secret string
}

// String says which channels are on without showing any secret.
func (s *Secrets) String() string {
	var on []string
	if s.SlackURL != "" {
		on = append(on, "slack")
	}
	if s.SMTP != nil {
		on = append(on, fmt.Sprintf("email(%s:%d)", s.SMTP.Host, s.SMTP.Port))
	}
	for name := range s.Webhooks {
		on = append(on, "webhook:"+name)
	}
	return "secrets{" + strings.Join(on, ",") + "}"
}

func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read secret file: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// secrets resolves the channels' secrets; a channel that is switched on with a missing or bad
// setting is a configuration error that names the variable, never its value.
func (v *validator) secrets(c *Config, getenv func(string) string) *Secrets {
	s := &Secrets{Webhooks: map[string]WebhookSecret{}, APIToken: getenv(c.APITokenEnv)}
	n := c.Notifiers
	slackURL := getenv(n.Slack.WebhookURLEnv)
	if n.Slack.WebhookURLFile != "" {
		u, err := readSecretFile(n.Slack.WebhookURLFile)
		if err != nil {
			v.at("$.notifiers.slack.webhook_url_file", "slack: %v", err)
		}
		slackURL = u
	}
	if slackURL != "" {
		if !validURL(slackURL) {
			v.at("$.notifiers.slack", "slack: %s does not hold an http(s) URL", n.Slack.WebhookURLEnv)
		}
		s.SlackURL = slackURL
	}
	e := n.Email
	if host := getenv(e.HostEnv); host != "" {
		m := &SMTP{Host: host, Username: getenv(e.UsernameEnv), Password: getenv(e.PasswordEnv),
			From: getenv(e.FromEnv), TLS: e.TLS, Port: 587}
		if e.PasswordFile != "" {
			pw, err := readSecretFile(e.PasswordFile)
			if err != nil {
				v.at("$.notifiers.email.password_file", "email: %v", err)
			}
			m.Password = pw
		}
		if p := getenv(e.PortEnv); p != "" {
			port, err := strconv.Atoi(p)
			if err != nil || port <= 0 || port > 65535 {
				v.at("$.notifiers.email", "email: %s is not a port number", e.PortEnv)
			}
			m.Port = port
		} else if e.TLS == "tls" {
			m.Port = 465
		}
		for _, to := range strings.Split(getenv(e.ToEnv), ",") {
			if to = strings.TrimSpace(to); to != "" {
				m.To = append(m.To, to)
			}
		}
		if m.From == "" {
			v.at("$.notifiers.email", "email: %s is set but %s (the sender) is missing", e.HostEnv, e.FromEnv)
		}
		if len(m.To) == 0 {
			v.at("$.notifiers.email", "email: %s is set but %s (the recipients) is missing", e.HostEnv, e.ToEnv)
		}
		if m.Username != "" && m.Password == "" {
			v.at("$.notifiers.email", "email: %s is set but %s is missing", e.UsernameEnv, e.PasswordEnv)
		}
		s.SMTP = m
	}
	for i, w := range n.Webhooks {
		p := fmt.Sprintf("$.notifiers.webhooks[%d]", i)
		u := getenv(w.URLEnv)
		if u == "" {
			v.at(p, "webhook %q: environment variable %s (its URL) is not set", w.Name, w.URLEnv)
			continue
		}
		if !validURL(u) {
			v.at(p, "webhook %q: %s does not hold an http(s) URL", w.Name, w.URLEnv)
		}
		secret := ""
		if w.SecretEnv != "" {
			if secret = getenv(w.SecretEnv); secret == "" {
				v.at(p, "webhook %q: environment variable %s (its signing secret) is not set", w.Name, w.SecretEnv)
			}
		}
		s.Webhooks[w.Name] = WebhookSecret{URL: u, Secret: secret}
	}
	return s
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
