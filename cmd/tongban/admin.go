package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

func fmtOut(s stdio, format string, args ...any) (int, error) {
	return fmt.Fprintf(s.out, format, args...)
}

// openQuiet opens the app for an administrative command: migrations run,
// the demo city is not loaded, and logs go to stderr at warn level.
func openQuiet(ctx context.Context, name string, args []string, e env, s stdio, extra func(*flag.FlagSet)) (*app.App, error) {
	cfg, err := parseConfig(name, args, e, s, extra)
	if err != nil {
		return nil, err
	}
	cfg.Demo = false
	if cfg.LogLevel < 4 { // keep admin output clean unless asked for debug
		cfg.LogLevel = 4
	}
	return app.Open(ctx, cfg, newLogger(cfg, s.err), tongban.SystemClock{})
}

func runUser(ctx context.Context, args []string, e env, s stdio) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: tongban user create --username NAME --name 姓名 --role ROLE --org ORG_CODE [--phone P] (password read from stdin)")
	}
	var username, name, role, orgCode, phone string
	a, err := openQuiet(ctx, "user create", args[1:], e, s, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "sign-in name")
		fs.StringVar(&name, "name", "", "full name")
		fs.StringVar(&role, "role", "", "clerk, approver, dept_admin, catalog_admin, supervisor or sys_admin")
		fs.StringVar(&orgCode, "org", "", "code of the org the role is scoped to")
		fs.StringVar(&phone, "phone", "", "phone (optional)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if orgCode == "" {
		return fmt.Errorf("--org is required (an org code, e.g. gas-zwfwj)")
	}
	org, err := a.Store.OrgByCode(ctx, orgCode)
	if err != nil {
		return err
	}
	password, err := bufio.NewReader(s.in).ReadString('\n')
	if err != nil && password == "" {
		return fmt.Errorf("write the password on standard input")
	}
	u, err := a.Identity.CreateStaff(ctx, identity.StaffAccount{Username: username, Name: name, Phone: phone,
		Password: strings.TrimRight(password, "\r\n"), Roles: []tongban.RoleGrant{{Role: tongban.Role(role), OrgID: org.ID}}},
		identity.Request{IP: "cli"})
	if err != nil {
		return err
	}
	_, err = fmtOut(s, "created staff account %s (id %d): %s at %s\n", u.Username, u.ID, tongban.Role(role).Label(), org.Name)
	return err
}

func runAudit(ctx context.Context, args []string, e env, s stdio) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("usage: tongban audit verify [--data DIR] [--db URL]")
	}
	a, err := openQuiet(ctx, "audit verify", args[1:], e, s, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	// Entries queued by actions the servers have not linked yet (a server
	// killed mid-load leaves some) are linked first, as a server would.
	sealed, err := audit.Seal(ctx, a.Store)
	if err != nil {
		return err
	}
	if sealed > 0 {
		fmtOut(s, "已将 %d 条待链接记录链入审计日志 (linked %d queued entries into the chain)\n", sealed, sealed)
	}
	rep, err := a.Audit.Verify(ctx, a.Store)
	if err != nil {
		return err
	}
	fmtOut(s, "%s\n", rep)
	switch {
	case rep.BrokenAt != 0:
		return fmt.Errorf("audit chain broken at entry %d", rep.BrokenAt)
	case !rep.OK():
		return fmt.Errorf("audit checkpoint file line %d has a bad signature", rep.BadCheckpointLine)
	}
	return nil
}
