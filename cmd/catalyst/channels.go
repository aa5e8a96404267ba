package main

import (
	"github.com/catalyst-monitor/catalyst/internal/config"
)

// channelNames lists the alert channels the configuration and environment switch on.
func channelNames(cfg *config.Config, sec *config.Secrets) []string {
	var names []string
	if sec.SlackURL != "" {
		names = append(names, "slack")
	}
	if sec.SMTP != nil {
		names = append(names, "email")
	}
	for _, w := range cfg.Notifiers.Webhooks {
		names = append(names, w.Name)
	}
	console := len(names) == 0
	if cfg.Notifiers.Console != nil {
		console = *cfg.Notifiers.Console
	}
	if console {
		names = append(names, "console")
	}
	return names
}
