package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/internal/metrics"
	"github.com/catalyst-monitor/catalyst/internal/monitor"
	"github.com/catalyst-monitor/catalyst/internal/web"
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
		zc.DisableStacktrace = true
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
	opts := monitor.Options{Store: db, Logger: log, Stdout: cmd.OutOrStdout()}
	if once {
		m, err := monitor.New(ctx, cfg, sec, opts)
		if err != nil {
			return err
		}
		// Alerts that cannot be delivered now stay in the store for the next run; a feed that
		// fails is logged. Only what could not be kept (store, outbox) fails the run.
		return m.RunOnce(ctx)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	opts.Metrics = metrics.New(reg)
	opts.Metrics.SetOutboxFunc(metrics.OutboxFromStats(db.OutboxStats, 2*time.Second))
	current := &currentMonitor{}
	if addr := cfg.ListenAddr(); addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("status listener: %w", err)
		}
		srv := web.New(web.Options{Source: current, Gatherer: reg, Token: sec.APIToken, Logger: log})
		serveCtx, stopServe := context.WithCancel(context.WithoutCancel(ctx))
		served := make(chan struct{})
		go func() {
			defer close(served)
			if err := srv.Serve(serveCtx, ln); err != nil {
				log.Error("status listener", zap.Error(err))
			}
		}()
		defer func() { stopServe(); <-served }()
		log.Info("status listener", zap.String("addr", ln.Addr().String()), zap.Bool("token", sec.APIToken != ""))
	}
	hup := reloads
	if hup == nil { // in-process (tests): listen here
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGHUP)
		defer signal.Stop(ch)
		hup = ch
	}
	var prevCfg *config.Config
	var prevSec *config.Secrets
	for {
		m, err := monitor.New(ctx, cfg, sec, opts)
		if err != nil && prevCfg != nil {
			// The new configuration validated but could not start (a channel, say): keep the old.
			log.Error("reload failed; the previous configuration stays", zap.Error(err))
			cfg, sec, prevCfg = prevCfg, prevSec, nil
			m, err = monitor.New(ctx, cfg, sec, opts)
		}
		if err != nil {
			return err
		}
		current.Store(m)
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- m.Run(runCtx) }()
		next, nextSec, runErr, ended := waitForReload(ctx, hup, done, cfg, log)
		stop()
		if !ended {
			runErr = <-done
		}
		if next == nil {
			shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if _, _, err := m.Deliver(shutdown); err != nil {
				log.Warn("final delivery", zap.Error(err))
			}
			cancel()
			return runErr
		}
		prevCfg, prevSec = cfg, sec
		cfg, sec = next, nextSec
		log.Info("configuration reloaded", zap.Int("feeds", len(cfg.Feeds)), zap.Int("catalysts", len(cfg.Catalysts)))
	}
}

// waitForReload blocks until the daemon should stop (next is nil) or a SIGHUP brings a valid new
// configuration (next is it). A configuration that fails validation is logged and the running one
// is kept. ended reports that Run returned by itself, with runErr.
func waitForReload(ctx context.Context, hup <-chan os.Signal, done <-chan error, cfg *config.Config, log *zap.Logger) (next *config.Config, sec *config.Secrets, runErr error, ended bool) {
	for {
		select {
		case <-ctx.Done():
			return nil, nil, nil, false
		case err := <-done:
			return nil, nil, err, true
		case <-hup:
			loaded, loadedSec, err := config.Load(cfg.Path, os.Getenv)
			if err != nil {
				log.Error("reload rejected; the running configuration stays", zap.String("config", cfg.Path), zap.Error(err))
				continue
			}
			if loaded.Storage.Path != cfg.Storage.Path {
				log.Warn("storage.path changed; it takes effect on restart", zap.String("path", loaded.Storage.Path))
				loaded.Storage.Path = cfg.Storage.Path
			}
			if loaded.ListenAddr() != cfg.ListenAddr() {
				log.Warn("listen changed; it takes effect on restart", zap.String("listen", loaded.ListenAddr()))
			}
			return loaded, loadedSec, nil, false
		}
	}
}

// currentMonitor lets the status listener outlive reloads: it always reads the running monitor.
type currentMonitor struct {
	atomic.Pointer[monitor.Monitor]
}

var errStarting = errors.New("starting")

func (c *currentMonitor) Catalysts(ctx context.Context) ([]web.CatalystView, error) {
	if m := c.Load(); m != nil {
		return m.Catalysts(ctx)
	}
	return nil, errStarting
}

func (c *currentMonitor) Feeds(ctx context.Context) ([]web.FeedView, error) {
	if m := c.Load(); m != nil {
		return m.Feeds(ctx)
	}
	return nil, errStarting
}

func (c *currentMonitor) Ready(ctx context.Context) error {
	if m := c.Load(); m != nil {
		return m.Ready(ctx)
	}
	return errStarting
}
