//go:build pprof

package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
)

// Built with -tags pprof for profiling only: TONGBAN_PPROF=127.0.0.1:6060
// serves net/http/pprof there, apart from the platform's own mux. Release
// builds hold no profiler.
func init() {
	addr := os.Getenv("TONGBAN_PPROF")
	if addr == "" {
		return
	}
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			slog.Error("pprof listener", "addr", addr, "err", err)
		}
	}()
}
