package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/catalyst-monitor/catalyst/catalysts"
	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
)

const defaultConfig = "configs/catalyst.yaml"

// loadConfig reads and validates the configuration; any mistake is a usage error (exit 2).
func loadConfig(path string) (*config.Config, *config.Secrets, error) {
	cfg, sec, err := config.Load(path, os.Getenv)
	if err != nil {
		return nil, nil, usageError{err}
	}
	return cfg, sec, nil
}

func loadEngine(path string) (*config.Config, *catalysts.Engine, error) {
	cfg, _, err := loadConfig(path)
	if err != nil {
		return nil, nil, err
	}
	eng, err := cfg.Engine()
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("%s: %w", path, err)}
	}
	return cfg, eng, nil
}

// readHeadlines reads JSON Lines headlines from a file, or standard input for "-"; an unreadable
// or malformed input is a usage error that names the file and line.
func readHeadlines(cmd *cobra.Command, name string) ([]feeds.Headline, error) {
	var in io.Reader = cmd.InOrStdin()
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, usageError{fmt.Errorf("open input: %w", err)}
		}
		defer f.Close()
		in = f
	}
	hs, err := feeds.ReadJSONL(in)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", name, err)}
	}
	return hs, nil
}

func validateCmd() *cobra.Command {
	var cfgPath string
	c := &cobra.Command{
		Use:   "validate",
		Short: "Check the configuration; print a one-line summary on success",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, sec, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: ok: %d feeds, %d catalysts, channels: %s\n",
				cfgPath, len(cfg.Feeds), len(cfg.Catalysts), strings.Join(channelNames(cfg, sec), ", "))
			return err
		},
	}
	c.Flags().StringVar(&cfgPath, "config", defaultConfig, "configuration file")
	return c
}

// classifyLine is one line of classify output (CONTRACT.md).
type classifyLine struct {
	ID      string             `json:"id"`
	Signals []catalysts.Signal `json:"signals"`
}

func classifyCmd() *cobra.Command {
	var cfgPath, input string
	c := &cobra.Command{
		Use:   "classify",
		Short: "Print the per-headline signals of JSON Lines headlines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, eng, err := loadEngine(cfgPath)
			if err != nil {
				return err
			}
			hs, err := readHeadlines(cmd, input)
			if err != nil {
				return err
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			for _, h := range hs {
				sigs := eng.Classify(h.Title)
				if sigs == nil {
					sigs = []catalysts.Signal{}
				}
				if err := enc.Encode(classifyLine{ID: h.ID, Signals: sigs}); err != nil {
					return err
				}
			}
			return out.Flush()
		},
	}
	c.Flags().StringVar(&cfgPath, "config", defaultConfig, "configuration file")
	c.Flags().StringVar(&input, "input", "-", "JSON Lines headlines; - for standard input")
	return c
}

func explainCmd() *cobra.Command {
	var cfgPath string
	var asJSON bool
	c := &cobra.Command{
		Use:   "explain HEADLINE",
		Short: "Show which catalysts, aliases, cues, hedges and negations a headline matches, and the verdict",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, eng, err := loadEngine(cfgPath)
			if err != nil {
				return err
			}
			ex := eng.Explain(args[0])
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(ex)
			}
			return ex.Write(cmd.OutOrStdout())
		},
	}
	c.Flags().StringVar(&cfgPath, "config", defaultConfig, "configuration file")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
