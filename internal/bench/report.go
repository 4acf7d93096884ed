package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Row is one measured line of the table.
type Row struct {
	Scenario string // what is measured
	Engine   string // sqlite, postgres, or "—" where no database is involved
	Clients  int
	Unit     string // cases/s, req/s…
	Subject  Measurement
	RefName  string // what the reference is; "" = none
	Ref      Measurement
	Ratios   []float64 // subject ÷ reference per pair
	RSS      int64     // peak RSS of the server process during the scenario, bytes
	Note     string
}

// Ratio is the median ratio of the row (0 without a reference).
func (r Row) Ratio() float64 { return Median(r.Ratios) }

// Goal is one of the goals, judged on the figures.
type Goal struct {
	Name string // "search p99 ≤ 20 ms at 100,000 listings"
	Got  string // "p99 8.1 ms"
	Met  bool
	Gap  string // by how much it is met or missed
	// Since is the number of quiet-machine checks taken before the goal's
	// measurement (Plan.Stamp): it is judged by checks Since-1 and Since.
	// 0 = not stamped, judged only when every check was quiet.
	Since int
}

// Report is a whole run.
type Report struct {
	Machine Machine
	Date    time.Time
	Command string
	Mode    string // "full" or "quick"
	Rows    []Row
	Goals   []Goal
	Notes   []string
	// Calibrations measure the machine before, between and after the
	// scenarios' steps; a goal is judged only when the checks either side
	// of its measurement ran at the quiet rate.
	Calibrations []Calibration
	// BoundsDoc is docs/benchmarks.md as a link from where the report is
	// written (BENCHMARKS.md at the root, a kept run under docs/);
	// "docs/benchmarks.md" when empty.
	BoundsDoc string
}

// Judged reports whether the run may judge every goal: calibrated, and
// quiet at every check.
func (rep *Report) Judged() bool {
	if len(rep.Calibrations) == 0 {
		return false
	}
	for _, c := range rep.Calibrations {
		if !c.Quiet() {
			return false
		}
	}
	return true
}

// judged reports whether goal g may be judged: the checks either side of
// its measurement were quiet (all of them for a goal not stamped).
func (rep *Report) judged(g Goal) bool {
	if g.Since == 0 {
		return rep.Judged()
	}
	if g.Since >= len(rep.Calibrations) {
		return false // no check after it: the run stopped
	}
	return rep.Calibrations[g.Since-1].Quiet() && rep.Calibrations[g.Since].Quiet()
}

// verdict is a goal's "met?" cell: on a busy or uncalibrated machine the
// figure is shown but not judged, since ratios compress toward 1 there.
func (rep *Report) verdict(g Goal) string {
	switch {
	case len(rep.Calibrations) == 0:
		return "not judged (" + metText(g.Met) + ", uncalibrated)"
	case !rep.judged(g):
		return "not judged (" + metText(g.Met) + " on a busy machine)"
	}
	return metText(g.Met)
}

func (rep *Report) calibrationText() string {
	if len(rep.Calibrations) == 0 {
		return "not calibrated (quick run or --no-calibrate): no goal is judged"
	}
	parts := make([]string, len(rep.Calibrations))
	for i, c := range rep.Calibrations {
		parts[i] = c.String()
	}
	verdict := "quiet: goals are judged"
	if !rep.Judged() {
		var busy []string
		for _, c := range rep.Calibrations {
			if !c.Quiet() {
				busy = append(busy, c.When)
			}
		}
		verdict = fmt.Sprintf("BUSY at %s (below %d/s): the goals measured next to a busy check are not judged; repeat them on a quiet machine",
			strings.Join(busy, ", "), QuietPKSelect)
	}
	return fmt.Sprintf("pgbench primary-key select at 32 clients, %s — %s", strings.Join(parts, ", "), verdict)
}

// ms prints a latency; "—" where the run measured none (pgbench and the
// in-process benchmarks give a mean only).
func ms(d time.Duration) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

func mib(b int64) string {
	if b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f", float64(b)/(1<<20))
}

func ratioText(r Row) string {
	if len(r.Ratios) == 0 {
		return "—"
	}
	parts := make([]string, len(r.Ratios))
	for i, x := range r.Ratios {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return fmt.Sprintf("%.2f (%s)", r.Ratio(), strings.Join(parts, " "))
}

func refText(r Row) string {
	if r.RefName == "" {
		return "—"
	}
	if r.Ref.P50 == 0 { // pgbench and in-process benchmarks give a mean only
		return fmt.Sprintf("%s %.0f/s mean %s", r.RefName, r.Ref.Throughput, ms(r.Ref.Avg))
	}
	return fmt.Sprintf("%s %.0f/s p50 %s p99 %s", r.RefName, r.Ref.Throughput, ms(r.Ref.P50), ms(r.Ref.P99))
}

var header = []string{"scenario", "engine", "clients", "throughput", "p50 ms", "p95 ms", "p99 ms", "errors", "reference (median)", "ratio: median (each pair)", "server peak RSS MiB"}

func cells(r Row) []string {
	return []string{r.Scenario, r.Engine, fmt.Sprint(r.Clients), fmt.Sprintf("%.0f %s", r.Subject.Throughput, r.Unit),
		ms(r.Subject.P50), ms(r.Subject.P95), ms(r.Subject.P99), fmt.Sprint(r.Subject.Errors), refText(r), ratioText(r), mib(r.RSS)}
}

// WriteText prints the table for a terminal.
func (rep *Report) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rep.Rows {
		fmt.Fprintln(tw, strings.Join(cells(r), "\t"))
	}
	tw.Flush()
	if len(rep.Goals) > 0 {
		fmt.Fprintln(w, "\nGoals:")
		for _, g := range rep.Goals {
			fmt.Fprintf(w, "  [%s] %s — %s (%s)\n", rep.verdict(g), g.Name, g.Got, g.Gap)
		}
	}
	fmt.Fprintln(w, "machine:", rep.calibrationText())
	for _, n := range rep.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

func metText(met bool) string {
	if met {
		return "met"
	}
	return "MISSED"
}

// WriteMarkdown writes BENCHMARKS.md.
func (rep *Report) WriteMarkdown(w io.Writer) {
	m := rep.Machine
	fmt.Fprintf(w, "# Benchmarks\n\n")
	fmt.Fprintf(w, "Written by `%s` (%s mode) on %s. Every figure below comes from that one run; rerun the command to reproduce.\n\n",
		rep.Command, rep.Mode, rep.Date.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "## Machine\n\n")
	fmt.Fprintf(w, "| | |\n|---|---|\n")
	fmt.Fprintf(w, "| CPUs | %d × %s |\n| memory | %d MiB |\n| kernel | %s |\n| Go | %s |\n| PostgreSQL | %s |\n| SQLite | %s (modernc.org/sqlite, WAL, synchronous=FULL) |\n\n",
		m.CPUs, m.CPUModel, m.MemoryMiB, m.Kernel, m.GoVersion, orDash(m.Postgres), orDash(m.SQLite))
	if m.PostgresServer != "" {
		fmt.Fprintf(w, "PostgreSQL half and calibration ran on %s.\n\n", m.PostgresServer)
	}
	fmt.Fprintf(w, "Quiet-machine check: %s.\n\n", rep.calibrationText())
	fmt.Fprintf(w, "## How it is measured\n\n")
	fmt.Fprintf(w, "The machine is shared and noisy, so every figure that is judged is a ratio: the reference and Tongban run\n"+
		"alternately (reference, Tongban, reference, Tongban…), back to back, on the same database at the same client count,\n"+
		"and the median of the per-pair ratios is reported beside the absolute medians. The load generator\n"+
		"(`internal/bench`) is closed-loop: N clients over HTTP keep-alive, each sending its next request when the previous\n"+
		"answer is read; latencies go into a log-linear histogram (< 0.8%% error). Servers run as child processes and their\n"+
		"peak RSS (VmHWM, reset at the start of each scenario) is reported. Load generator and servers share the machine's CPUs.\n\n")
	fmt.Fprintf(w, "## Results\n\n")
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(header, " | "), strings.Repeat("---|", len(header)))
	for _, r := range rep.Rows {
		c := cells(r)
		for i := range c {
			c[i] = strings.ReplaceAll(c[i], "|", "\\|")
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(c, " | "))
	}
	fmt.Fprintln(w)
	var notes []string
	for _, r := range rep.Rows {
		if r.Note != "" {
			notes = append(notes, fmt.Sprintf("- **%s (%s, %d clients)**: %s", r.Scenario, r.Engine, r.Clients, r.Note))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "%s\n\n", strings.Join(notes, "\n"))
	}
	if len(rep.Goals) > 0 {
		doc := rep.BoundsDoc
		if doc == "" {
			doc = "docs/benchmarks.md"
		}
		fmt.Fprintf(w, "## Goals\n\nWhat bounds the missed ones, with profiles: [%s](%s#what-bounds-the-figures).\n\n", doc, doc)
		fmt.Fprintf(w, "| goal | figure | met? | by how much |\n|---|---|---|---|\n")
		for _, g := range rep.Goals {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", g.Name, g.Got, rep.verdict(g), g.Gap)
		}
		fmt.Fprintln(w)
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintf(w, "## Notes\n\n")
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
		fmt.Fprintln(w)
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
