package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/internal/web"
	"github.com/catalyst-monitor/catalyst/store"
	"github.com/catalyst-monitor/catalyst/store/sqlite"
)

// statusEntry is one catalyst in `status --json` (CONTRACT.md).
type statusEntry struct {
	Catalyst string             `json:"catalyst"`
	Name     string             `json:"name"`
	State    string             `json:"state"`
	Since    *time.Time         `json:"since"`
	Rule     string             `json:"rule,omitempty"`
	Evidence []web.EvidenceView `json:"evidence"`
}

func statusCmd() *cobra.Command {
	var cfgPath string
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "Show each catalyst's current state, since when, and its last evidence",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if _, err := os.Stat(cfg.Storage.Path); err != nil {
				return fmt.Errorf("no state at %s (storage.path; under systemd it is in $STATE_DIRECTORY): %w", cfg.Storage.Path, err)
			}
			db, err := sqlite.Open(ctx, cfg.Storage.Path)
			if err != nil {
				return fmt.Errorf("open store: %w", err)
			}
			defer db.Close()
			entries, err := catalystStatus(ctx, cfg, db)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetEscapeHTML(false)
				return enc.Encode(entries)
			}
			return writeStatus(ctx, cmd.OutOrStdout(), cfg, db, entries)
		},
	}
	c.Flags().StringVar(&cfgPath, "config", defaultConfig, "configuration file")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON array")
	return c
}

// catalystStatus reads each configured catalyst's state and the evidence of its last transition.
func catalystStatus(ctx context.Context, cfg *config.Config, st store.Store) ([]statusEntry, error) {
	states, err := st.States(ctx)
	if err != nil {
		return nil, fmt.Errorf("load states: %w", err)
	}
	out := make([]statusEntry, 0, len(cfg.Catalysts))
	for _, d := range cfg.Catalysts {
		e := statusEntry{Catalyst: d.ID, Name: d.Name, State: d.Initial, Evidence: []web.EvidenceView{}}
		if s, ok := states[d.ID]; ok {
			e.State = s.State
			since := s.Since.UTC()
			e.Since = &since
		}
		ts, err := st.Transitions(ctx, d.ID, 1)
		if err != nil {
			return nil, fmt.Errorf("load transitions of %s: %w", d.ID, err)
		}
		if len(ts) > 0 {
			e.Rule = ts[0].Rule
			for _, ev := range ts[0].Evidence {
				e.Evidence = append(e.Evidence, web.EvidenceView{ID: ev.HeadlineID, Title: ev.Title,
					Source: ev.Source, Link: ev.Link, Published: ev.Published.UTC(), Trusted: ev.Trusted})
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func writeStatus(ctx context.Context, w io.Writer, cfg *config.Config, st store.Store, entries []statusEntry) error {
	var b strings.Builder
	for _, e := range entries {
		since := "from the start"
		if e.Since != nil {
			since = "since " + e.Since.Format("2006-01-02 15:04 UTC")
		}
		fmt.Fprintf(&b, "%s  %s  %s\n  %s\n", e.Catalyst, strings.ToUpper(e.State), since, e.Name)
		if e.Rule != "" {
			fmt.Fprintf(&b, "  decided by: %s\n", e.Rule)
		}
		for _, ev := range e.Evidence {
			fmt.Fprintf(&b, "  - %s (%s, %s) %s\n", ev.Title, ev.Source, ev.Published.Format("2006-01-02 15:04"), ev.Link)
		}
		b.WriteString("\n")
	}
	fs, err := st.FeedStates(ctx)
	if err != nil {
		return fmt.Errorf("load feed states: %w", err)
	}
	if len(fs) > 0 {
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "FEED\tSTATUS\tLAST POLL\tLAST SUCCESS\tFAILURES\tLAST ERROR")
		for _, f := range fs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", f.Name, f.Status, fmtTime(f.LastPoll), fmtTime(f.LastSuccess),
				f.Failures, f.LastError)
		}
		tw.Flush()
	}
	ob, err := st.OutboxStats(ctx)
	if err != nil {
		return fmt.Errorf("load outbox stats: %w", err)
	}
	fmt.Fprintf(&b, "\nalerts: %d delivered, %d pending, %d failed\n", ob.Delivered, ob.Pending, ob.Failed)
	if ob.Failed > 0 {
		failed, err := st.ListOutbox(ctx, store.OutboxFailed, 10)
		if err != nil {
			return fmt.Errorf("list failed alerts: %w", err)
		}
		for _, f := range failed {
			fmt.Fprintf(&b, "  failed: %s to %s at %s: %s\n", f.Key, f.Channel, fmtTime(f.FailedAt), f.LastError)
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

func headlinesCmd() *cobra.Command {
	var cfgPath string
	c := &cobra.Command{
		Use:   "headlines SOURCE...",
		Short: "Fetch (URL) or read (file) each feed and print its headlines as JSON Lines",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := feeds.FetcherOptions{}
			if cfgPath != "" {
				cfg, _, err := loadConfig(cfgPath)
				if err != nil {
					return err
				}
				opts.UserAgent, opts.RequestTimeout, opts.MaxBytes = cfg.Defaults.UserAgent, cfg.Defaults.Timeout, cfg.Defaults.MaxBodyBytes
			}
			f := feeds.NewFetcher(opts)
			failed := 0
			for _, src := range args {
				hs, err := feeds.Load(cmd.Context(), f, src, time.Now())
				if err != nil {
					failed++
					fmt.Fprintf(cmd.ErrOrStderr(), "catalyst: headlines: %s: %v\n", src, err)
					continue
				}
				if err := feeds.WriteJSONL(cmd.OutOrStdout(), hs); err != nil {
					return err
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d sources failed", failed, len(args))
			}
			return nil
		},
	}
	c.Flags().StringVar(&cfgPath, "config", "", "configuration file (for the user agent and limits)")
	return c
}
