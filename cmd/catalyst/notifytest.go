package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalyst-monitor/catalyst/internal/monitor"
	"github.com/catalyst-monitor/catalyst/notify"
)

func notifyCmd() *cobra.Command {
	c := &cobra.Command{Use: "notify", Short: "Work with the alert channels"}
	c.AddCommand(notifyTestCmd())
	return c
}

func notifyTestCmd() *cobra.Command {
	var cfgPath, channel string
	c := &cobra.Command{
		Use:   "test --channel NAME",
		Short: "Send a sample alert to one channel and report the result",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, sec, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			chans, err := monitor.BuildChannels(cfg, sec, cmd.OutOrStdout(), time.Now)
			if err != nil {
				return err
			}
			ch, ok := chans[channel]
			if !ok {
				names := make([]string, 0, len(chans))
				for n := range chans {
					names = append(names, n)
				}
				sort.Strings(names)
				return usageError{fmt.Errorf("no channel %q is switched on; channels: %s", channel, strings.Join(names, ", "))}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
			defer cancel()
			if err := ch.Send(ctx, sampleAlert(time.Now().UTC())); err != nil {
				return fmt.Errorf("send a test alert to %s: %w", channel, err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "sent a test alert to %s: accepted\n", channel)
			return err
		},
	}
	c.Flags().StringVar(&cfgPath, "config", defaultConfig, "configuration file")
	c.Flags().StringVar(&channel, "channel", "", "the channel: console, slack, email, or a webhook's name")
	c.MarkFlagRequired("channel") //nolint:errcheck // the flag exists
	return c
}

// sampleAlert is an obviously fake transition with a fresh key, so receivers that deduplicate by
// idempotency key still show it.
func sampleAlert(now time.Time) notify.Alert {
	host, _ := os.Hostname()
	return notify.Alert{
		Key:        fmt.Sprintf("test:%s:%d", host, now.UnixNano()),
		Kind:       notify.KindTransition,
		CatalystID: "catalyst-test",
		Name:       "Test alert from catalyst (nothing happened)",
		From:       "before",
		To:         "after",
		StateText:  "This is a test of the alert channel; no catalyst changed state.",
		At:         now,
		Tickers:    []notify.Ticker{{Symbol: "TEST", Primary: true, Impact: notify.Neutral}},
		Evidence: []notify.Evidence{{ID: "test", Title: "Sample headline for a channel test",
			Source: "example.com", Link: "https://example.com/catalyst-test", Published: now, FirstSeen: now}},
		Sources: 1,
		Rule:    "catalyst notify test",
	}
}
