// Command tongban runs the Tongban platform: the server and its
// administration commands. Run `tongban help` for the list.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// env is os.Getenv, injected so tests control the environment.
type env func(string) string

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, e env, io stdio) error
}

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func commands() []command {
	return []command{
		{"serve", "start the server (migrates the database first)", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"user", "manage staff accounts: user create …", runUser},
		{"audit", "audit log tools: audit verify", runAudit},
		{"import", "import a catalog file: import FILE.xlsx|FILE.csv [--create-orgs] [--publish]", runImport},
		{"export", "export the catalog: export FILE.xlsx|FILE.csv [--region CODE]", runExport},
		{"calendar", "working days: calendar due | is-workday | import | export", runCalendar},
		{"stats", "supervisor's measures: stats rebuild (the rollups, from the case events)", runStats},
		{"license", "e-licences: license verify FILE (--keys SEALS.json | --url URL), offline", runLicense},
		{"version", "print the version", runVersion},
	}
}

func run(ctx context.Context, args []string, e env, in io.Reader, out, errw io.Writer) int {
	s := stdio{in: in, out: out, err: errw}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(out)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, args[1:], e, s); err != nil {
				fmt.Fprintf(errw, "tongban %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(errw, "tongban: unknown command %q\n\n", args[0])
	usage(errw)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Tongban 通办 — government services platform\n\nUsage: tongban <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `tongban <command> -h` for a command's flags. Every flag can also be set by its TONGBAN_* environment variable.")
}
