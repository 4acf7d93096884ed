package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// TunedSettings are the settings of the private cluster the PostgreSQL
// half runs on by default (tongban-bench --pg-tuned): what a city's
// database server would have, where the machine's own server may be set
// for a test suite. The machine's server here runs with autovacuum off and
// 128 MB of shared buffers; by the cases scenario's end the case table
// alone outgrows those buffers and holds tens of thousands of dead rows,
// so pgbench's primary-key select on it ran at a fifth of the calibration
// table's rate — a reference slowed by its server's settings, not by the
// machine. memMiB is the machine's memory.
func TunedSettings(memMiB int64) []string {
	shared := min(max(memMiB/4, 128), 8192) // a quarter of memory, as PostgreSQL's own tuning advice says
	cache := max(memMiB/2, 256)
	return []string{
		"shared_buffers=" + strconv.FormatInt(shared, 10) + "MB",
		"effective_cache_size=" + strconv.FormatInt(cache, 10) + "MB",
		"autovacuum=on",
		"maintenance_work_mem=256MB",
		"max_wal_size=4GB", // bulk staging between runs should not force checkpoints inside them
		"fsync=on",
		"synchronous_commit=on",
	}
}

// DescribeSettings names the settings in a report line.
func DescribeSettings(settings []string) string {
	return strings.Join(settings, ", ")
}

// StartTuned starts a private cluster with TunedSettings and returns it
// with its admin URL (database postgres).
func StartTuned(memMiB int64) (*Cluster, string, error) {
	c, err := NewCluster(TunedSettings(memMiB)...)
	if err != nil {
		return nil, "", fmt.Errorf("private PostgreSQL cluster: %w", err)
	}
	return c, c.URL("postgres"), nil
}
