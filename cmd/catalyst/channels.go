package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
)

func scanHeadlines(r io.Reader, fn func(feeds.Headline) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		var raw struct {
			ID, Source, Title, Summary, Link string
			Published                        time.Time
		}
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		if err := fn(feeds.Headline{ID: raw.ID, Source: raw.Source, Title: raw.Title, Summary: raw.Summary, Link: raw.Link, Published: raw.Published}); err != nil {
			return err
		}
	}
	return sc.Err()
}

func channelNames(cfg *config.Config, sec *config.Secrets) []string { return []string{"console"} }
func runCmd() *cobra.Command                                        { return &cobra.Command{Use: "run"} }
func replayCmd() *cobra.Command                                     { return &cobra.Command{Use: "replay"} }
func statusCmd() *cobra.Command                                     { return &cobra.Command{Use: "status"} }
func headlinesCmd() *cobra.Command                                  { return &cobra.Command{Use: "headlines"} }
