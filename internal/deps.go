//go:build tools

// Package internal pins the module's dependencies while the packages that use them are written.
package internal

import (
	_ "github.com/emersion/go-smtp"
	_ "github.com/goccy/go-yaml"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/robfig/cron/v3"
	_ "github.com/spf13/cobra"
	_ "github.com/wneessen/go-mail"
	_ "go.uber.org/zap"
	_ "golang.org/x/net/publicsuffix"
	_ "golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite"
)
