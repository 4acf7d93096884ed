package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
)

// A bad headroom stops serve before anything starts, naming the flag.
func TestGCHeadroomIsChecked(t *testing.T) {
	for _, v := range []string{"lots", "-1", "1.5"} {
		code, _, errOut := cli(t, "", "serve", "--data", t.TempDir(), "--gc-headroom-mib", v)
		if code != 1 || !strings.Contains(errOut, "--gc-headroom-mib") {
			t.Errorf("--gc-headroom-mib %s: exit %d, stderr %q", v, code, errOut)
		}
	}
}

// The tuner runs by default, not at 0, and not when the operator set the
// collector through Go's own environment.
func TestGCTunerStandsAsideForTheOperator(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	noEnv := func(string) string { return "" }
	tu, err := startGCTuner("256", noEnv, quiet)
	if err != nil || tu == nil {
		t.Fatalf("default headroom: tuner %v, err %v", tu, err)
	}
	tu.Stop()
	if tu, err := startGCTuner("0", noEnv, quiet); err != nil || tu != nil {
		t.Errorf("headroom 0: tuner %v, err %v", tu, err)
	}
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		set := func(k string) string {
			if k == v {
				return "200"
			}
			return ""
		}
		if tu, err := startGCTuner("256", set, quiet); err != nil || tu != nil {
			t.Errorf("%s set: tuner %v, err %v", v, tu, err)
		}
	}
}
