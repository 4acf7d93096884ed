package main

import (
	"context"
	"flag"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/server"
)

func runServe(ctx context.Context, args []string, e env, s stdio) error {
	var gcHeadroom *string
	cfg, err := parseConfig("serve", args, e, s, func(fs *flag.FlagSet) { gcHeadroom = gcHeadroomFlag(fs, e) })
	if err != nil {
		return err
	}
	log := newLogger(cfg, s.err)
	tuner, err := startGCTuner(*gcHeadroom, e, log)
	if err != nil {
		return err
	}
	defer tuner.Stop()
	start := time.Now()
	a, err := app.Open(ctx, cfg, log, tongban.SystemClock{})
	if err != nil {
		return err
	}
	defer a.Close()
	go a.RunJanitor(ctx, 10*time.Minute)
	a.StartPublisher()
	log.Info("tongban ready", "version", app.Version, "db", a.DB.Source, "dialect", a.DB.Dialect, "startup", time.Since(start).Round(time.Millisecond).String())
	if a.MetricsHandler != nil {
		go func() {
			if err := server.Run(ctx, cfg.MetricsAddr, a.MetricsHandler, "", "", cfg.ShutdownGrace, log, nil); err != nil {
				log.Error("metrics listener", "addr", cfg.MetricsAddr, "err", err)
			}
		}()
	}
	return server.Run(ctx, cfg.Addr, a.Handler, cfg.TLSCert, cfg.TLSKey, cfg.ShutdownGrace, log, nil)
}

func runMigrate(ctx context.Context, args []string, e env, s stdio) error {
	a, err := openQuiet(ctx, "migrate", args, e, s, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	current, latest, err := a.DB.MigrationVersion(ctx)
	if err != nil {
		return err
	}
	_, err = fmtOut(s, "database %s at migration %d of %d\n", a.DB.Source, current, latest)
	return err
}

func runVersion(ctx context.Context, args []string, e env, s stdio) error {
	_, err := fmtOut(s, "tongban %s\n", app.Version)
	return err
}
