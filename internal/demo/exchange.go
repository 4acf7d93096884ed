package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
)

//go:embed resources.json
var resourcesJSON []byte

//go:embed records.json
var recordsJSON []byte

// demoResource is a resource of resources.json: the catalog entry with its
// department by org code.
type demoResource struct {
	tongban.DataResource
	Org string `json:"org"`
}

// loadExchange prepares 只提交一次材料 for the demo city: the standard
// materials the demo catalog's materials name (a deployment seeds them on
// start; a loader used on its own must too), the 政务信息资源目录 with six
// departments' resources, and their records of the demo citizen and
// enterprise, pushed as the departments' systems would.
func (l *Loader) loadExchange(ctx context.Context) error {
	if _, err := exchange.SeedStandards(ctx, l.Store, l.Catalog.Clock); err != nil {
		return err
	}
	var resources []demoResource
	if err := json.Unmarshal(resourcesJSON, &resources); err != nil {
		return fmt.Errorf("resources.json: %w", err)
	}
	data := exchange.New(l.Store, l.Catalog.Clock).Data
	sys := identity.Request{IP: "demo"}
	for _, r := range resources {
		org, err := l.Store.OrgByCode(ctx, r.Org)
		if err != nil {
			return fmt.Errorf("resource %s: %w", r.Code, err)
		}
		r.OrgID = org.ID
		if _, err := data.SaveResource(ctx, sys, r.DataResource); err != nil {
			return fmt.Errorf("resource %s: %w", r.Code, err)
		}
	}
	var records map[string][]exchange.PushRecord
	if err := json.Unmarshal(recordsJSON, &records); err != nil {
		return fmt.Errorf("records.json: %w", err)
	}
	// 企业登记信息 comes from Tongban's own enterprise accounts and their
	// 营业执照, not from a file.
	firm, err := l.Store.UserByLogin(ctx, Enterprise.CreditCode)
	if err != nil {
		return fmt.Errorf("demo enterprise: %w", err)
	}
	if records[enterpriseResource], err = l.enterpriseRecords(ctx, firm); err != nil {
		return err
	}
	for _, r := range resources {
		if _, err := data.Push(ctx, sys, r.Code, records[r.Code]); err != nil {
			return fmt.Errorf("records of %s: %w", r.Code, err)
		}
	}
	return nil
}
