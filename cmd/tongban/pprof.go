//go:build pprof

package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
	"runtime"
	"strconv"
)

// Built with -tags pprof for profiling only: TONGBAN_PPROF=127.0.0.1:6060
// serves net/http/pprof there, apart from the platform's own mux. Release
// builds hold no profiler. TONGBAN_PPROF_BLOCK=n samples blocking events
// about one per n ns blocked (/debug/pprof/block), TONGBAN_PPROF_MUTEX=n one
// in n mutex contentions (/debug/pprof/mutex).
func init() {
	addr := os.Getenv("TONGBAN_PPROF")
	if addr == "" {
		return
	}
	if n, err := strconv.Atoi(os.Getenv("TONGBAN_PPROF_BLOCK")); err == nil && n > 0 {
		runtime.SetBlockProfileRate(n)
	}
	if n, err := strconv.Atoi(os.Getenv("TONGBAN_PPROF_MUTEX")); err == nil && n > 0 {
		runtime.SetMutexProfileFraction(n)
	}
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			slog.Error("pprof listener", "addr", addr, "err", err)
		}
	}()
}
