package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/robfig/cron/v3"

	"github.com/catalyst-monitor/catalyst/catalysts"
	"github.com/catalyst-monitor/catalyst/notify"
)

// Error is one configuration mistake at a place in the file.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every mistake found in one file.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// CronParser parses feed schedules: five fields, an optional leading seconds field, or a
// descriptor such as "@hourly" or "@every 90s".
var CronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Load reads, decodes strictly and validates the configuration at path. Environment variables
// (for secrets) are read through getenv; pass os.Getenv.
func Load(path string, getenv func(string) string) (*Config, *Secrets, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data, getenv)
}

// Parse is Load for configuration text already read; path names it in errors.
func Parse(path string, data []byte, getenv func(string) string) (*Config, *Secrets, error) {
	cfg := &Config{Path: path}
	if err := yaml.UnmarshalWithOptions(data, cfg, yaml.DisallowUnknownField(), yaml.AllowDuplicateMapKey()); err != nil {
		return nil, nil, decodeError(path, err)
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, nil, decodeError(path, err)
	}
	v := &validator{path: path, file: file}
	cfg.applyDefaults(getenv)
	v.check(cfg)
	secrets := v.secrets(cfg, getenv)
	if len(v.errs) > 0 {
		sort.SliceStable(v.errs, func(i, j int) bool { return v.errs[i].Line < v.errs[j].Line })
		return nil, nil, v.errs
	}
	return cfg, secrets, nil
}

func decodeError(path string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return Errors{{File: path, Line: pos.Line, Col: pos.Column, Msg: ye.GetMessage()}}
	}
	return Errors{{File: path, Msg: err.Error()}}
}

func (c *Config) applyDefaults(getenv func(string) string) {
	d := &c.Defaults
	if d.Schedule == "" {
		d.Schedule = DefaultSchedule
	}
	if d.UserAgent == "" {
		d.UserAgent = DefaultUserAgent
	}
	if d.MaxBodyBytes == 0 {
		d.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if d.Timeout == 0 {
		d.Timeout = DefaultTimeout
	}
	if d.FailureThreshold == 0 {
		d.FailureThreshold = DefaultFailures
	}
	if d.MaxBackoff == 0 {
		d.MaxBackoff = DefaultMaxBackoff
	}
	if c.Policy.Trusted == nil {
		c.Policy.Trusted = DefaultTrusted
	}
	if c.Policy.Quorum == 0 {
		c.Policy.Quorum = DefaultQuorum
	}
	if c.Policy.Window == 0 {
		c.Policy.Window = DefaultWindow
	}
	if c.Storage.Path == "" {
		dir := "."
		if sd := getenv("STATE_DIRECTORY"); sd != "" {
			dir = strings.Split(sd, ":")[0]
		}
		c.Storage.Path = filepath.Join(dir, "catalyst.db")
	}
	if c.Storage.SeenRetention == 0 {
		c.Storage.SeenRetention = DefaultRetention
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.APITokenEnv == "" {
		c.APITokenEnv = "CATALYST_API_TOKEN"
	}
	for i := range c.Feeds {
		f := &c.Feeds[i]
		if f.Schedule == "" {
			f.Schedule = d.Schedule
		}
		if f.MaxBodyBytes == 0 {
			f.MaxBodyBytes = d.MaxBodyBytes
		}
	}
	n := &c.Notifiers
	if n.Slack.WebhookURLEnv == "" {
		n.Slack.WebhookURLEnv = "SLACK_WEBHOOK_URL"
	}
	e := &n.Email
	for _, p := range []struct {
		f   *string
		def string
	}{{&e.HostEnv, "SMTP_HOST"}, {&e.PortEnv, "SMTP_PORT"}, {&e.UsernameEnv, "SMTP_USERNAME"},
		{&e.PasswordEnv, "SMTP_PASSWORD"}, {&e.FromEnv, "ALERT_EMAIL_FROM"}, {&e.ToEnv, "ALERT_EMAIL_TO"},
		{&e.TLS, "starttls"}} {
		if *p.f == "" {
			*p.f = p.def
		}
	}
}

// PolicyFor merges a catalyst's policy overrides over the global policy.
func (c *Config) PolicyFor(d *catalysts.Definition) catalysts.PolicyConfig {
	p := c.Policy
	if o := d.Policy; o != nil {
		if o.Trusted != nil {
			p.Trusted = o.Trusted
		}
		if o.Quorum != 0 {
			p.Quorum = o.Quorum
		}
		if o.Window != 0 {
			p.Window = o.Window
		}
		if o.Owners != nil {
			p.Owners = o.Owners
		}
	}
	return p
}

// validator collects mistakes with their positions.
type validator struct {
	path string
	file *ast.File
	errs Errors
}

// at records a mistake at the node the YAML path names ("$.feeds[2].url"), or at the nearest
// ancestor that exists.
func (v *validator) at(path, format string, args ...any) {
	e := &Error{File: v.path, Msg: fmt.Sprintf(format, args...)}
	for p := path; p != ""; p = parentPath(p) {
		yp, err := yaml.PathString(p)
		if err != nil {
			continue
		}
		node, err := yp.FilterFile(v.file)
		if err != nil || node == nil || node.GetToken() == nil {
			continue
		}
		e.Line, e.Col = node.GetToken().Position.Line, node.GetToken().Position.Column
		break
	}
	v.errs = append(v.errs, e)
}

func parentPath(p string) string {
	if p == "$" {
		return ""
	}
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return "$"
	}
	return p[:i]
}

func (v *validator) check(c *Config) {
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		v.at("$.log_level", "log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	if addr := c.ListenAddr(); addr != "" {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			v.at("$.listen", "listen %q: want host:port, or \"\" to switch the listener off", addr)
		}
	}
	if c.Policy.Quorum < 1 {
		v.at("$.policy.quorum", "quorum must be at least 1")
	}
	if c.Defaults.MaxBodyBytes < 0 {
		v.at("$.defaults.max_body_bytes", "max_body_bytes must be positive")
	}
	if _, err := CronParser.Parse(c.Defaults.Schedule); err != nil {
		v.at("$.defaults.schedule", "bad cron schedule %q: %v", c.Defaults.Schedule, err)
	}
	names := map[string]bool{}
	for i, f := range c.Feeds {
		p := fmt.Sprintf("$.feeds[%d]", i)
		if f.Name == "" {
			v.at(p, "feed has no name")
		} else if names[f.Name] {
			v.at(p+".name", "duplicate feed name %q", f.Name)
		}
		names[f.Name] = true
		if u, err := url.Parse(f.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.at(p+".url", "feed %q: bad url %q: want an http or https address", f.Name, f.URL)
		}
		if _, err := CronParser.Parse(f.Schedule); err != nil {
			v.at(p+".schedule", "feed %q: bad cron schedule %q: %v", f.Name, f.Schedule, err)
		}
	}
	ids := map[string]bool{}
	for i := range c.Catalysts {
		v.checkCatalyst(fmt.Sprintf("$.catalysts[%d]", i), &c.Catalysts[i], ids)
	}
	if len(v.errs) == 0 {
		if _, err := c.Engine(); err != nil {
			v.at("$.catalysts", "%v", err)
		}
	}
	chans := map[string]bool{"console": true, "slack": true, "email": true}
	for i, w := range c.Notifiers.Webhooks {
		p := fmt.Sprintf("$.notifiers.webhooks[%d]", i)
		if w.Name == "" || chans[w.Name] {
			v.at(p, "webhook needs a unique name other than console, slack and email")
		}
		chans[w.Name] = true
		if w.URLEnv == "" {
			v.at(p, "webhook %q: url_env must name the environment variable holding its URL", w.Name)
		}
	}
	if op := c.Notifiers.Operator; op != "" && !chans[op] {
		v.at("$.notifiers.operator", "operator channel %q is not a channel", op)
	}
	for i, d := range c.Catalysts {
		for j, ch := range d.Channels {
			if !chans[ch] {
				v.at(fmt.Sprintf("$.catalysts[%d].channels[%d]", i, j), "catalyst %s: unknown channel %q", d.ID, ch)
			}
		}
	}
	switch c.Notifiers.Email.TLS {
	case "starttls", "tls", "none":
	default:
		v.at("$.notifiers.email.tls", "tls %q: want starttls, tls or none", c.Notifiers.Email.TLS)
	}
	for name, f := range map[string]Filter{"slack": c.Notifiers.Slack.Filter, "email": c.Notifiers.Email.Filter} {
		v.checkFilter("$.notifiers."+name+".filter", f)
	}
	for i, w := range c.Notifiers.Webhooks {
		v.checkFilter(fmt.Sprintf("$.notifiers.webhooks[%d].filter", i), w.Filter)
		v.checkDigest(fmt.Sprintf("$.notifiers.webhooks[%d].digest", i), w.Digest)
	}
	v.checkDigest("$.notifiers.slack.digest", c.Notifiers.Slack.Digest)
	v.checkDigest("$.notifiers.email.digest", c.Notifiers.Email.Digest)
	v.loadTemplates(c)
}

func (v *validator) checkDigest(path, spec string) {
	if spec == "" {
		return
	}
	if _, err := CronParser.Parse(spec); err != nil {
		v.at(path, "bad digest schedule %q: %v", spec, err)
	}
}

func (v *validator) checkFilter(path string, f Filter) {
	for i, imp := range f.Impacts {
		if !impacts[imp] {
			v.at(fmt.Sprintf("%s.impacts[%d]", path, i), "filter impact %q: want bullish, bearish or neutral", imp)
		}
	}
}

// loadTemplates reads the email template files and checks them by parsing and running them on
// sample alerts: a template mistake stops start-up like any other configuration mistake.
func (v *validator) loadTemplates(c *Config) {
	read := func(key, path string) string {
		if path == "" {
			return ""
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(c.Path), path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			v.at("$.notifiers."+key, "template: %v", err)
			return ""
		}
		return string(b)
	}
	sl := &c.Notifiers.Slack
	if sl.TextTemplate = read("slack.text_template_file", sl.TextTemplateFile); sl.TextTemplate != "" {
		if err := notify.ParseSlackTemplate(sl.TextTemplate); err != nil {
			v.at("$.notifiers.slack.text_template_file", "slack template: %v", err)
		}
	}
	e := &c.Notifiers.Email
	e.TextTemplate = read("email.text_template_file", e.TextTemplateFile)
	e.HTMLTemplate = read("email.html_template_file", e.HTMLTemplateFile)
	if e.TextTemplate == "" && e.HTMLTemplate == "" {
		return
	}
	if err := notify.ParseTemplates(e.TextTemplate, e.HTMLTemplate); err != nil {
		key := "text_template_file"
		if e.TextTemplate == "" {
			key = "html_template_file"
		}
		v.at("$.notifiers.email."+key, "email template: %v", err)
	}
}

var impacts = map[string]bool{"bullish": true, "bearish": true, "neutral": true}

func (v *validator) checkCatalyst(p string, d *catalysts.Definition, ids map[string]bool) {
	switch {
	case d.ID == "":
		v.at(p, "catalyst has no id")
	case ids[d.ID]:
		v.at(p+".id", "duplicate catalyst id %q", d.ID)
	}
	ids[d.ID] = true
	if len(d.States) == 0 {
		v.at(p, "catalyst %s has no states", d.ID)
		return
	}
	if _, ok := d.States[d.Initial]; !ok {
		v.at(p+".initial", "catalyst %s: initial state %q is not one of its states", d.ID, d.Initial)
	}
	tickers := map[string]bool{}
	for _, t := range d.Tickers {
		tickers[t] = true
	}
	for name, st := range d.States {
		if name == catalysts.Mention {
			v.at(p+".states."+name, "catalyst %s: %q is reserved", d.ID, name)
		}
		for t, imp := range st.Impact {
			if !tickers[t] {
				v.at(p+".states."+name+".impact", "catalyst %s state %s: impact on %q, which is not among its tickers", d.ID, name, t)
			}
			if !impacts[imp] {
				v.at(p+".states."+name+".impact."+t, "catalyst %s state %s: impact %q: want bullish, bearish or neutral", d.ID, name, imp)
			}
		}
		for _, g := range st.Require {
			if _, ok := d.Entities[g]; !ok {
				v.at(p+".states."+name+".require", "catalyst %s state %s: unknown entity group %q", d.ID, name, g)
			}
		}
	}
	for from, tos := range d.Transitions {
		if _, ok := d.States[from]; !ok {
			v.at(p+".transitions."+from, "catalyst %s: transition from undefined state %q", d.ID, from)
		}
		for j, to := range tos {
			if _, ok := d.States[to]; !ok {
				v.at(fmt.Sprintf("%s.transitions.%s[%d]", p, from, j), "catalyst %s: transition to undefined state %q", d.ID, to)
			}
		}
	}
	for j, g := range d.About {
		if _, ok := d.Entities[g]; !ok {
			v.at(fmt.Sprintf("%s.about[%d]", p, j), "catalyst %s: unknown entity group %q", d.ID, g)
		}
	}
	if len(d.About) == 0 {
		v.at(p, "catalyst %s: about must name the entity groups a headline has to mention", d.ID)
	}
	if d.Policy != nil && d.Policy.Quorum < 0 {
		v.at(p+".policy.quorum", "catalyst %s: quorum must be positive", d.ID)
	}
}
