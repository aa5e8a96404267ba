// Package config loads catalyst's YAML configuration: defaults, then strict decoding, then
// validation. Every mistake is reported as "file:line:col: what is wrong".
package config

import (
	"time"

	"github.com/catalyst-monitor/catalyst/catalysts"
)

// Config is the whole configuration file.
type Config struct {
	// Path is the file the configuration was read from.
	Path string `yaml:"-"`
	// Listen is the address of the status and metrics HTTP listener (default 127.0.0.1:9120);
	// an empty string switches it off.
	Listen *string `yaml:"listen"`
	// APITokenEnv names the environment variable holding the bearer token the HTTP listener
	// requires (for everything but /healthz); default CATALYST_API_TOKEN. Unset: no token.
	APITokenEnv string `yaml:"api_token_env"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`
	// Storage says where state is kept.
	Storage Storage `yaml:"storage"`
	// Defaults apply to every feed that does not set its own.
	Defaults FeedDefaults `yaml:"defaults"`
	// Policy is the global evidence policy; catalysts may override parts of it.
	Policy catalysts.PolicyConfig `yaml:"policy"`
	// Language holds the global hedges, negations and pending steps.
	Language catalysts.Language `yaml:"language"`
	// Feeds are the news feeds to poll.
	Feeds []Feed `yaml:"feeds"`
	// Catalysts are the watched catalysts.
	Catalysts []catalysts.Definition `yaml:"catalysts"`
	// Notifiers configure the alert channels.
	Notifiers Notifiers `yaml:"notifiers"`
	// Vocabulary is free space for YAML anchors shared by several catalysts; it is not read.
	Vocabulary map[string]any `yaml:"x-vocabulary"`

	engine *catalysts.Engine // compiled once, by validation
}

// Engine returns the catalysts compiled into a classifier. Validation compiles them once;
// later calls return that engine.
func (c *Config) Engine() (*catalysts.Engine, error) {
	if c.engine == nil {
		e, err := catalysts.NewEngine(c.Catalysts, c.Language)
		if err != nil {
			return nil, err
		}
		c.engine = e
	}
	return c.engine, nil
}

// Storage configures persistence.
type Storage struct {
	// Path of the SQLite file. Default: $STATE_DIRECTORY/catalyst.db, else ./catalyst.db.
	Path string `yaml:"path"`
	// SeenRetention is how long processed headline keys are remembered (default 30 days).
	SeenRetention time.Duration `yaml:"seen_retention"`
}

// FeedDefaults are the settings every feed inherits.
type FeedDefaults struct {
	// Schedule is a cron spec (five fields, or six with seconds, or a descriptor such as
	// "@every 5m"). Default "*/5 * * * *".
	Schedule string `yaml:"schedule"`
	// UserAgent is sent with every request unless a feed sets its own.
	UserAgent string `yaml:"user_agent"`
	// MaxBodyBytes caps a feed body after decompression (default 10 MiB).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// Timeout bounds one whole request (default 30s).
	Timeout time.Duration `yaml:"timeout"`
	// FailureThreshold is how many consecutive failures mark a feed failing (default 5).
	FailureThreshold int `yaml:"failure_threshold"`
	// MaxBackoff caps the delay after failures (default 6h).
	MaxBackoff time.Duration `yaml:"max_backoff"`
	// PerHostInterval spaces requests to one host at least this far apart (SEC EDGAR allows 10
	// requests a second: 100ms). Zero: no spacing beyond PerHostLimit.
	PerHostInterval time.Duration `yaml:"per_host_interval"`
	// PerHostLimit bounds concurrent requests to one host (default 2).
	PerHostLimit int `yaml:"per_host_limit"`
}

// Feed is one polled feed.
type Feed struct {
	// Name identifies the feed in logs, metrics and the store.
	Name string `yaml:"name"`
	// URL is an http or https address of an RSS, Atom or JSON feed.
	URL string `yaml:"url"`
	// Schedule overrides Defaults.Schedule.
	Schedule string `yaml:"schedule"`
	// Headers are sent with every request (SEC EDGAR requires a User-Agent naming a contact).
	Headers map[string]string `yaml:"headers"`
	// MaxBodyBytes overrides Defaults.MaxBodyBytes.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// HonorMaxAge makes the server's Cache-Control max-age a floor on the polling interval.
	HonorMaxAge bool `yaml:"honor_max_age"`
}

// Notifiers configures alert channels. Secrets are never written here: each names the
// environment variable (or file) that holds it.
type Notifiers struct {
	// Console prints alerts on standard output. Default: on when no other channel is configured.
	Console *bool `yaml:"console"`
	// Slack is an incoming webhook, on when its URL variable is set.
	Slack SlackConfig `yaml:"slack"`
	// Email sends through SMTP, on when its host variable is set.
	Email EmailConfig `yaml:"email"`
	// Webhooks post a signed JSON body to each URL.
	Webhooks []WebhookConfig `yaml:"webhooks"`
	// Operator names the channel for feed health and delivery failures (default: every channel).
	Operator string `yaml:"operator"`
}

// Filter narrows which alerts a channel receives. Empty lists let everything through.
type Filter struct {
	// Tickers: only alerts that concern at least one of these tickers.
	Tickers []string `yaml:"tickers"`
	// Impacts: only alerts with at least one (filtered) ticker of these impacts: bullish,
	// bearish, neutral.
	Impacts []string `yaml:"impacts"`
}

// Match reports whether an alert's tickers and their impacts pass the filter.
func (f Filter) Match(tickers map[string]string) bool {
	if len(f.Tickers) == 0 && len(f.Impacts) == 0 {
		return true
	}
	for sym, imp := range tickers {
		if len(f.Tickers) > 0 && !contains(f.Tickers, sym) {
			continue
		}
		if len(f.Impacts) > 0 && !contains(f.Impacts, imp) {
			continue
		}
		return true
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// SlackConfig names where the Slack webhook URL comes from.
type SlackConfig struct {
	// Filter narrows the alerts this channel receives.
	Filter Filter `yaml:"filter"`
	// Digest, a cron spec, makes this channel receive one summary of the period's transitions
	// at each tick ("0 8 * * *": daily at 08:00) instead of each alert as it happens.
	Digest string `yaml:"digest"`
	// WebhookURLEnv is the environment variable holding the URL (default SLACK_WEBHOOK_URL).
	WebhookURLEnv string `yaml:"webhook_url_env"`
	// WebhookURLFile is a file holding the URL; it wins over the variable.
	WebhookURLFile string `yaml:"webhook_url_file"`
	// TextTemplateFile replaces the message's summary and notification text with a Go
	// text/template (Slack mrkdwn), executed with notify.TemplateData.
	TextTemplateFile string `yaml:"text_template_file"`
	// TextTemplate holds the file's contents once loaded.
	TextTemplate string `yaml:"-"`
}

// EmailConfig names the environment variables of the SMTP settings (CONTRACT.md's by default).
type EmailConfig struct {
	HostEnv      string `yaml:"host_env"`
	PortEnv      string `yaml:"port_env"`
	UsernameEnv  string `yaml:"username_env"`
	PasswordEnv  string `yaml:"password_env"`
	PasswordFile string `yaml:"password_file"`
	FromEnv      string `yaml:"from_env"`
	ToEnv        string `yaml:"to_env"`
	// TLS is "starttls" (default), "tls" (implicit) or "none".
	TLS string `yaml:"tls"`
	// Filter narrows the alerts this channel receives.
	Filter Filter `yaml:"filter"`
	// Digest, a cron spec, makes this channel receive one summary of the period's transitions
	// at each tick ("0 8 * * *": daily at 08:00) instead of each alert as it happens.
	Digest string `yaml:"digest"`
	// TextTemplateFile and HTMLTemplateFile replace the built-in email bodies (Go templates,
	// text/template and html/template, executed with notify.TemplateData).
	TextTemplateFile string `yaml:"text_template_file"`
	HTMLTemplateFile string `yaml:"html_template_file"`
	// TextTemplate and HTMLTemplate hold the files' contents once loaded.
	TextTemplate string `yaml:"-"`
	HTMLTemplate string `yaml:"-"`
}

// WebhookConfig is a generic signed webhook.
type WebhookConfig struct {
	Name string `yaml:"name"`
	// URLEnv is the environment variable holding the URL.
	URLEnv string `yaml:"url_env"`
	// SecretEnv is the environment variable holding the HMAC secret.
	SecretEnv string `yaml:"secret_env"`
	// Filter narrows the alerts this channel receives.
	Filter Filter `yaml:"filter"`
	// Digest, a cron spec, makes this channel receive one summary of the period's transitions
	// at each tick ("0 8 * * *": daily at 08:00) instead of each alert as it happens.
	Digest string `yaml:"digest"`
}

// Filters returns each configured channel's filter by channel name.
func (n Notifiers) Filters() map[string]Filter {
	f := map[string]Filter{"slack": n.Slack.Filter, "email": n.Email.Filter}
	for _, w := range n.Webhooks {
		f[w.Name] = w.Filter
	}
	return f
}

// Digests returns the digest schedule of each channel that has one, by channel name.
func (n Notifiers) Digests() map[string]string {
	d := map[string]string{}
	add := func(name, spec string) {
		if spec != "" {
			d[name] = spec
		}
	}
	add("slack", n.Slack.Digest)
	add("email", n.Email.Digest)
	for _, w := range n.Webhooks {
		add(w.Name, w.Digest)
	}
	return d
}

// Default feed settings.
const (
	DefaultSchedule     = "*/5 * * * *"
	DefaultUserAgent    = "catalyst/1.0 (+https://github.com/catalyst-monitor/catalyst)"
	DefaultMaxBodyBytes = 10 << 20
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBackoff   = 6 * time.Hour
	DefaultFailures     = 5
	DefaultQuorum       = 2
	DefaultWindow       = 72 * time.Hour
	DefaultRetention    = 30 * 24 * time.Hour
	DefaultListen       = "127.0.0.1:9120"
)

// ListenAddr is the HTTP listener's address, or "" when it is off.
func (c *Config) ListenAddr() string {
	if c.Listen == nil {
		return DefaultListen
	}
	return *c.Listen
}

// DefaultTrusted are the sources whose single report decides (CONTRACT.md).
var DefaultTrusted = []string{
	"reuters.com", "apnews.com", "bloomberg.com",
	"alibabagroup.com", "alizila.com", "alibabacloud.com", "hkexnews.hk", "sec.gov",
	"thewaltdisneycompany.com", "courtlistener.com",
}
