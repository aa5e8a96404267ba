package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/internal/monitor"
	"github.com/catalyst-monitor/catalyst/store/sqlite"
)

// newLogger logs JSON when standard error is not a terminal, and readable lines when it is.
func newLogger(level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, usageError{fmt.Errorf("log level: %w", err)}
	}
	var zc zap.Config
	if isatty.IsTerminal(os.Stderr.Fd()) {
		zc = zap.NewDevelopmentConfig()
	} else {
		zc = zap.NewProductionConfig()
		zc.Sampling = nil
		zc.EncoderConfig.TimeKey = "time"
		zc.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	}
	zc.Level = zap.NewAtomicLevelAt(lvl)
	return zc.Build()
}

func runCmd() *cobra.Command {
	var cfgPath, logLevel string
	var once bool
	c := &cobra.Command{
		Use:   "run",
		Short: "Poll the feeds on their schedules, apply the catalysts and alert on every state change",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, sec, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			if logLevel == "" {
				logLevel = cfg.LogLevel
			}
			log, err := newLogger(logLevel)
			if err != nil {
				return err
			}
			defer log.Sync() //nolint:errcheck // nothing to do if stderr is gone
			return runMonitor(cmd.Context(), cmd, cfg, sec, log, once)
		},
	}
	c.Flags().StringVar(&cfgPath, "config", defaultConfig, "configuration file")
	c.Flags().BoolVar(&once, "once", false, "poll every feed once, deliver what is due, and exit")
	c.Flags().StringVar(&logLevel, "log-level", "", "debug, info, warn or error (default: the configuration's)")
	return c
}

func runMonitor(ctx context.Context, cmd *cobra.Command, cfg *config.Config, sec *config.Secrets, log *zap.Logger, once bool) error {
	db, err := sqlite.Open(ctx, cfg.Storage.Path)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer db.Close()
	log.Info("store opened", zap.String("path", cfg.Storage.Path))
	m, err := monitor.New(ctx, cfg, sec, monitor.Options{Store: db, Logger: log, Stdout: cmd.OutOrStdout()})
	if err != nil {
		return err
	}
	if once {
		// Finish in-flight work even when interrupted: a second signal is not waited for, but
		// the store keeps whatever was not delivered for the next run.
		err := m.RunOnce(ctx)
		if err != nil {
			log.Warn("some feeds failed", zap.Error(err))
		}
		return nil
	}
	runErr := m.Run(ctx)
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, _, err := m.Deliver(shutdown); err != nil {
		log.Warn("final delivery", zap.Error(err))
	}
	return runErr
}
