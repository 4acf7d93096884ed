package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/tongban/tongban/internal/gctune"
)

// defaultGCHeadroomMiB is the heap growth a server allows itself between
// collections at least (internal/gctune): at most this much memory above
// Go's default, far inside the 1 GiB a city's server is measured against.
const defaultGCHeadroomMiB = 256

// gcHeadroomFlag declares --gc-headroom-mib on fs.
func gcHeadroomFlag(fs *flag.FlagSet, e env) *string {
	def := strconv.Itoa(defaultGCHeadroomMiB)
	if v := e("TONGBAN_GC_HEADROOM_MIB"); v != "" {
		def = v
	}
	return fs.String("gc-headroom-mib", def, "MiB the heap may grow between collections at least; 0 leaves Go's default (TONGBAN_GC_HEADROOM_MIB)")
}

// startGCTuner starts the collector's tuner unless headroom is 0 or the
// operator set GOGC or GOMEMLIMIT themselves, which then stand.
func startGCTuner(headroomMiB string, e env, log *slog.Logger) (*gctune.Tuner, error) {
	n, err := strconv.ParseUint(headroomMiB, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("--gc-headroom-mib %q: want a whole number of MiB (0 for Go's default)", headroomMiB)
	}
	if n == 0 {
		return nil, nil
	}
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if e(v) != "" {
			log.Info("garbage collector left as set", "env", v, "value", e(v))
			return nil, nil
		}
	}
	return gctune.Start(n << 20), nil
}
