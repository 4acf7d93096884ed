// Package app wires Tongban together from a validated Config: database,
// migrations, services, demo data and the HTTP handler. cmd/tongban parses
// the Config; tests build apps from Configs of their own.
package app

import (
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/sealer"
)

// Config is every setting, parsed once and validated.
type Config struct {
	Addr          string        // listen address
	DataDir       string        // data directory: SQLite file, uploads, key file
	DB            string        // postgres:// URL or SQLite path; "" = DataDir/tongban.db
	Secret        string        // 64 hex chars; "" = DataDir/secret.key (created on first start)
	LogLevel      slog.Level    //
	LogFormat     string        // text or json
	TLSCert       string        // with TLSKey: serve HTTPS, cookies Secure
	TLSKey        string        //
	TrustProxy    bool          // take the client IP from X-Forwarded-For
	Demo          bool          // load the demo city into an empty database
	ShutdownGrace time.Duration // how long in-flight requests may take on SIGTERM
}

// Validate checks the config and fills derived defaults.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("--data: the data directory must not be empty")
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "tongban.db")
	}
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			return fmt.Errorf("--addr %q: want host:port (%v)", c.Addr, err)
		}
	}
	if c.Secret != "" {
		if _, err := sealer.ParseKey(c.Secret); err != nil {
			return fmt.Errorf("TONGBAN_SECRET: %v", err)
		}
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		return fmt.Errorf("--log-format %q: want text or json", c.LogFormat)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 30 * time.Second
	}
	return nil
}

// IsPostgres reports whether the database is PostgreSQL.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}
