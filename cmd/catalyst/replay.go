package main

import (
	"bufio"
	"encoding/json"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalyst-monitor/catalyst/internal/monitor"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store/sqlite"
)

// replayLine is one line of replay output (CONTRACT.md).
type replayLine struct {
	Catalyst string    `json:"catalyst"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	At       time.Time `json:"at"`
	Evidence []string  `json:"evidence"`
	Rule     string    `json:"rule,omitempty"`
}

func replayCmd() *cobra.Command {
	var cfgPath, input string
	c := &cobra.Command{
		Use:   "replay",
		Short: "Run the whole engine over JSON Lines headlines in published order, sending nothing; print transitions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, sec, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			hs, err := readHeadlines(cmd, input)
			if err != nil {
				return err
			}
			sort.SliceStable(hs, func(i, j int) bool { return hs[i].Published.Before(hs[j].Published) })
			db, err := sqlite.Open(cmd.Context(), ":memory:")
			if err != nil {
				return err
			}
			defer db.Close()
			m, err := monitor.New(cmd.Context(), cfg, sec, monitor.Options{Store: db,
				Channels: map[string]notify.Channel{}})
			if err != nil {
				return err
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			// Headlines go in published order, in batches: Ingest applies them one by one in
			// order, and a batch is one transaction.
			const batch = 1000
			for start := 0; start < len(hs); start += batch {
				chunk := hs[start:min(start+batch, len(hs))]
				for i := range chunk {
					// Replay sees each headline when it was published; an impossible date is
					// seen now, and Ingest then treats it as published now.
					if p := chunk[i].Published; p.Year() > 1970 && p.Year() < 2200 {
						chunk[i].FirstSeen = p
					}
				}
				ts, err := m.Ingest(cmd.Context(), chunk)
				if err != nil {
					return err
				}
				for _, t := range ts {
					line := replayLine{Catalyst: t.Catalyst, From: t.From, To: t.To, At: t.At.UTC(), Rule: t.Rule}
					for _, ev := range t.Evidence {
						line.Evidence = append(line.Evidence, ev.HeadlineID)
					}
					if err := enc.Encode(line); err != nil {
						return err
					}
				}
			}
			return out.Flush()
		},
	}
	c.Flags().StringVar(&cfgPath, "config", defaultConfig, "configuration file")
	c.Flags().StringVar(&input, "input", "-", "JSON Lines headlines; - for standard input")
	return c
}
