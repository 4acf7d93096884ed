package main

import (
	"strings"
	"testing"
)

// TestStatsRebuild: the rollups of the demo city rebuilt from its case
// events, with the totals printed for the operator.
func TestStatsRebuild(t *testing.T) {
	dir := demoData(t)
	code, out, errOut := cli(t, "", "stats", "rebuild", "--data", dir)
	if code != 0 || !strings.Contains(out, "统计汇总已由办件事件重建") {
		t.Fatalf("exit %d, %q %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "", "stats"); code != 1 || !strings.Contains(errOut, "usage: tongban stats rebuild") {
		t.Errorf("no subcommand: exit %d, %q", code, errOut)
	}
}
