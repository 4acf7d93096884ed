// Package demo loads the demo city — 广安市, four of its districts, their
// departments, service halls, windows and back-office boards, and an account
// for every role — through the same services a real deployment uses to load
// its own data. It runs on the first start of an empty database.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"log/slog"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
)

//go:embed regions.csv
var regionsCSV []byte

//go:embed orgs.csv
var orgsCSV []byte

// catalogCSV is the 演示事项清单, in the import layout of docs/catalog-columns.md.
//
//go:embed license_types.json
var licenseTypesJSON []byte

//go:embed catalog.csv
var catalogCSV []byte

// Password is the password of every demo account. The README lists them.
const Password = "Tongban@2026"

// Staff are the demo staff accounts: username, name, role, org code.
var Staff = []struct {
	Username, Name string
	Role           tongban.Role
	OrgCode        string
}{
	{"admin", "系统管理员", tongban.RoleSysAdmin, "gas-zwfwj"},
	{"supervisor", "周督查", tongban.RoleSupervisor, "gas-zwfwj"},
	{"catalog", "吴清单", tongban.RoleCatalogAdmin, "gas-zwfwj"},
	{"clerk", "陈窗口", tongban.RoleClerk, "gas-zwzx-w1"},
	{"clerk2", "林窗口", tongban.RoleClerk, "gaq-zwzx-w1"},
	{"approver", "刘审批", tongban.RoleApprover, "gas-scjgj"},
	// The 分管负责人 who decides what 刘审批 reviewed (审核与审批分离).
	{"approver-lead", "孙科长", tongban.RoleApprover, "gas-scjgj"},
	{"approver-rsj", "杨审批", tongban.RoleApprover, "gas-rsj"},
	{"approver-gaq", "黄审批", tongban.RoleApprover, "gaq-scjgj"},
	{"deptadmin", "赵科长", tongban.RoleDeptAdmin, "gas-scjgj"},
	// The city's 12345 hotline operator: takes, dispatches and calls back complaints.
	{"hotline", "郑热线", tongban.RoleHotline, "gas-zwfwj"},
}

// Citizen and Enterprise are the demo applicants.
var (
	Citizen = identity.CitizenRegistration{Name: "张三", IDNumber: "511602199003071232", Phone: "13800138000", Password: Password}

	Enterprise = identity.EnterpriseRegistration{Name: "广安市蜀味餐饮管理有限公司", CreditCode: "91511602MA6AB1C2DE",
		LegalRepName: "张三", LegalRepID: "511602199003071232", Phone: "0826-2345678", Password: Password}
)

// Loader loads the demo city.
type Loader struct {
	Store     tongban.Store
	Directory *directory.Service
	Identity  *identity.Service
	Catalog   *catalog.Service
	Log       *slog.Logger
}

// LoadIfEmpty loads the demo city when the database has no regions yet, and
// reports whether it did.
func (l *Loader) LoadIfEmpty(ctx context.Context) (bool, error) {
	regions, err := l.Store.Regions(ctx, "")
	if err != nil {
		return false, err
	}
	if len(regions) > 0 {
		return false, nil
	}
	return true, l.Load(ctx)
}

// Load loads every part of the demo city.
func (l *Loader) Load(ctx context.Context) error {
	sys := identity.Request{IP: "demo"}
	nRegions, err := l.Directory.ImportRegions(ctx, bytes.NewReader(regionsCSV), sys)
	if err != nil {
		return fmt.Errorf("demo regions: %w", err)
	}
	nOrgs, err := l.Directory.ImportOrgs(ctx, bytes.NewReader(orgsCSV), sys)
	if err != nil {
		return fmt.Errorf("demo orgs: %w", err)
	}
	for _, s := range Staff {
		org, err := l.Store.OrgByCode(ctx, s.OrgCode)
		if err != nil {
			return fmt.Errorf("demo staff %s: %w", s.Username, err)
		}
		if _, err := l.Identity.CreateStaff(ctx, identity.StaffAccount{Username: s.Username, Name: s.Name, Password: Password,
			Roles: []tongban.RoleGrant{{Role: s.Role, OrgID: org.ID}}}, sys); err != nil {
			return fmt.Errorf("demo staff %s: %w", s.Username, err)
		}
	}
	citizen, err := l.Identity.RegisterCitizen(ctx, Citizen, sys)
	if err != nil {
		return fmt.Errorf("demo citizen: %w", err)
	}
	enterprise, err := l.Identity.RegisterEnterprise(ctx, Enterprise, sys)
	if err != nil {
		return fmt.Errorf("demo enterprise: %w", err)
	}
	if err := l.verifyPhones(ctx, sys, citizen, enterprise); err != nil {
		return err
	}
	nTypes, err := license.LoadTypes(ctx, l.Store, licenseTypesJSON)
	if err != nil {
		return fmt.Errorf("demo licence types: %w", err)
	}
	nLicences, err := l.loadLicenses(ctx)
	if err != nil {
		return fmt.Errorf("demo licences: %w", err)
	}
	if err := l.loadExchange(ctx); err != nil {
		return fmt.Errorf("demo exchange: %w", err)
	}
	// The catalog goes through the importer every deployment uses, and is
	// published through the same gate.
	res, err := l.Catalog.ImportFile(ctx, sys, bytes.NewReader(catalogCSV), catalog.FormatCSV,
		catalog.ImportOptions{Publish: true, Reason: "演示事项清单"}, nil)
	if err != nil {
		return fmt.Errorf("demo catalog: %w", err)
	}
	if err := l.loadBundles(ctx); err != nil {
		return fmt.Errorf("demo %w", err)
	}
	l.Log.Info("demo city loaded", "regions", nRegions, "orgs", nOrgs, "staff", len(Staff),
		"licence_types", nTypes, "licences", nLicences, "items", res.ItemsCreated, "listings", res.ListingsCreated, "published", res.Published)
	return nil
}
