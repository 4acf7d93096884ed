package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// ImportOptions say what an import may do beyond writing listings.
type ImportOptions struct {
	// CreateMissingOrgs creates a department, in the row's region, for every
	// 实施部门 that matches no org there (a real district's list names
	// departments a deployment may not have yet).
	CreateMissingOrgs bool
	// Publish publishes every listing that passes the quality check; the
	// others stay drafts, with a warning.
	Publish bool
	// Reason is written into every version snapshot; "" = "导入".
	Reason string
	// Progress, if not nil, hears every ProgressEvery listings stored and at the end.
	Progress func(done, total int)
}

// ImportResult counts what an import wrote.
type ImportResult struct {
	ItemsCreated    int        `json:"items_created"`
	ItemsUpdated    int        `json:"items_updated"`
	ListingsCreated int        `json:"listings_created"`
	ListingsUpdated int        `json:"listings_updated"`
	Published       int        `json:"published"` // listings this import published
	Live            int        `json:"live"`      // listings of the file that are published after the import
	Drafts          int        `json:"drafts"`    // listings of the file that are drafts after the import
	OrgsCreated     []string   `json:"orgs_created,omitempty"`
	ClaimsCreated   int        `json:"claims_created"`
	Warnings        []RowError `json:"warnings,omitempty"`
}

// ImportBatch stores what Import read, all in one transaction: a problem in
// any row (an unknown department, a listing code already used for another
// item, a permission missing) writes nothing and is reported by row.
// Departments are matched by name or short name within the row's region,
// the org of that very region preferred. Items are upserted by code, keeping
// stored values the file leaves empty; listings are created, or updated by
// 实施编码 as a new version. Each listing's org claims its item.
func (s *Service) ImportBatch(ctx context.Context, r identity.Request, b Batch, opt ImportOptions) (*ImportResult, error) {
	if r.Actor != nil {
		if err := s.authz(s.Store).Require(r.Actor, identity.PermCatalogEdit); err != nil {
			return nil, err
		}
		if opt.CreateMissingOrgs {
			if err := s.authz(s.Store).Require(r.Actor, identity.PermOrgManage); err != nil {
				return nil, tongban.Errorf(tongban.EForbidden, "新建部门须由系统管理员进行，请先建好部门或去掉“创建缺失部门”")
			}
		}
	}
	if len(b.Rows) != len(b.Listings) {
		return nil, tongban.Errorf(tongban.EInternal, "导入批次的行号与清单数不符")
	}
	reason := orDefault(opt.Reason, "导入")
	var res *ImportResult
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		im := &batchImport{s: s, tx: tx, r: r, opt: opt, reason: reason, now: s.Clock.Now(),
			orgs: map[orgKey]*tongban.Org{}, items: map[string]*tongban.Item{},
			res: &ImportResult{Warnings: append([]RowError(nil), b.Warnings...)}}
		var err error
		if im.standards, err = LoadStandards(ctx, tx); err != nil {
			return err
		}
		im.types = newLicenseTypes(tx)
		if err := im.resolveOrgs(ctx, b); err != nil {
			return err
		}
		if err := im.upsertItems(ctx, b); err != nil {
			return err
		}
		if err := im.listings(ctx, b); err != nil {
			return err
		}
		res = im.res
		return s.audit(ctx, tx, r, AuditImport, "catalog", fmt.Sprintf("事项%d（新增%d），清单%d（新增%d，更新%d，发布%d），新建部门%d",
			len(b.Items), res.ItemsCreated, len(b.Listings), res.ListingsCreated, res.ListingsUpdated, res.Published, len(res.OrgsCreated)))
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

type orgKey struct{ name, region string }

type batchImport struct {
	s      *Service
	tx     tongban.Store
	r      identity.Request
	opt    ImportOptions
	reason string
	now    time.Time
	orgs   map[orgKey]*tongban.Org
	items  map[string]*tongban.Item
	res    *ImportResult
	// standards checks each material's 标准材料 and turns names into codes.
	standards *Standards
	// types checks the licence type a listing's result names.
	types *licenseTypes
}

// resolveOrgs finds (or creates) the org of every row, collecting every
// unknown department before failing.
func (im *batchImport) resolveOrgs(ctx context.Context, b Batch) error {
	var errs []RowError
	failed := map[orgKey]string{}
	for i, l := range b.Listings {
		k := orgKey{strings.TrimSpace(l.OrgName), l.RegionCode}
		if _, ok := im.orgs[k]; ok {
			continue
		}
		if msg, ok := failed[k]; ok {
			errs = append(errs, RowError{Row: b.Rows[i], Column: colOrg, Message: msg})
			continue
		}
		o, err := im.findOrg(ctx, k)
		if err != nil && tongban.IsCode(err, tongban.ENotFound) && im.opt.CreateMissingOrgs && k.region != "" {
			o, err = im.createOrg(ctx, k)
		}
		if err != nil {
			if !tongban.IsCode(err, tongban.ENotFound) && !tongban.IsCode(err, tongban.EInvalid) {
				return err
			}
			failed[k] = tongban.AsError(err).Message
			errs = append(errs, RowError{Row: b.Rows[i], Column: colOrg, Message: failed[k]})
			continue
		}
		im.orgs[k] = o
	}
	if len(errs) > 0 {
		return rowErrors(errs...)
	}
	return nil
}

// findOrg matches a department name within the region; without a region,
// anywhere, if only one org has the name.
func (im *batchImport) findOrg(ctx context.Context, k orgKey) (*tongban.Org, error) {
	where := "行政区划" + k.region
	if k.region == "" {
		where = "任何行政区划"
	}
	found, err := im.tx.Orgs(ctx, tongban.OrgFilter{Name: k.name, Within: k.region})
	if err != nil {
		return nil, err
	}
	var exact []*tongban.Org
	for _, o := range found {
		if o.RegionCode == k.region {
			exact = append(exact, o)
		}
	}
	if len(exact) > 0 {
		found = exact
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) == 0:
		return nil, tongban.Errorf(tongban.ENotFound, "实施部门“%s”在%s中不存在（可使用“创建缺失部门”选项）", k.name, where)
	}
	return nil, tongban.Errorf(tongban.EInvalid, "实施部门“%s”在%s中有%d个同名机构，请使用全称", k.name, where, len(found))
}

// createOrg adds a missing department; its code is derived from the region
// and name, so importing the same file twice finds it again by name.
func (im *batchImport) createOrg(ctx context.Context, k orgKey) (*tongban.Org, error) {
	if _, err := im.tx.Region(ctx, k.region); err != nil {
		return nil, tongban.Errorf(tongban.EInvalid, "行政区划 %s 不存在，无法创建部门“%s”", k.region, k.name)
	}
	sum := sha256.Sum256([]byte(k.region + "/" + k.name))
	o := &tongban.Org{Code: "imp-" + k.region[:6] + "-" + hex.EncodeToString(sum[:4]), Name: k.name,
		Kind: tongban.OrgDepartment, RegionCode: k.region}
	if err := im.tx.CreateOrg(ctx, o); err != nil {
		return nil, err
	}
	im.res.OrgsCreated = append(im.res.OrgsCreated, k.name)
	return o, im.s.audit(ctx, im.tx, im.r, AuditOrg, fmt.Sprintf("org:%d", o.ID), o.Name+"（导入事项清单时创建）")
}

// upsertItems writes the file's items over the stored ones; a value the
// file leaves empty keeps the stored one, so a bare list (codes and names)
// never erases a maintained item. The base catalog (基本目录) is the
// catalog admins': a row that would create an item, or change one, needs
// catalog.items over every org that lists the item (mayEditItem); a
// department's file may only repeat what is stored.
func (im *batchImport) upsertItems(ctx context.Context, b Batch) error {
	var errs []RowError
	for _, it := range b.Items {
		it := it
		row := firstRowOf(b, it.Code)
		old, err := im.tx.ItemByCode(ctx, it.Code)
		switch {
		case err == nil:
			it = mergeItem(*old, it)
			col := changedItemColumn(*old, it)
			if col == "" {
				im.items[it.Code] = old
				continue
			}
			if why := im.mayEditItem(ctx, old); why != "" {
				errs = append(errs, RowError{Row: row, Column: col, Message: "不能修改基本目录事项 " + it.Code + "：" + why})
				continue
			}
			im.res.ItemsUpdated++
		case tongban.IsCode(err, tongban.ENotFound):
			if why := im.mayEditItem(ctx, nil); why != "" {
				errs = append(errs, RowError{Row: row, Column: colItemCode, Message: "基本目录中没有事项 " + it.Code + "，不能新增：" + why})
				continue
			}
			im.res.ItemsCreated++
		default:
			return err
		}
		it.UpdatedAt = im.now
		if err := im.tx.UpsertItem(ctx, &it); err != nil {
			return err
		}
		im.items[it.Code] = &it
	}
	if len(errs) > 0 {
		return rowErrors(errs...)
	}
	return nil
}

// mayEditItem says why the actor may not create (old == nil) or change a
// base-catalog item, or "" if it may: it needs catalog.items, over every
// org that lists the item.
func (im *batchImport) mayEditItem(ctx context.Context, old *tongban.Item) string {
	if im.r.Actor == nil {
		return ""
	}
	authz := im.s.authz(im.tx)
	if authz.Require(im.r.Actor, identity.PermItemEdit) != nil {
		return "基本目录由事项管理员维护"
	}
	if old == nil {
		return ""
	}
	listings, err := im.tx.Listings(ctx, tongban.ListingFilter{ItemID: old.ID, Limit: 10000})
	if err != nil {
		return "无法核对使用该事项的部门"
	}
	seen := map[int64]bool{}
	for _, l := range listings {
		if seen[l.OrgID] {
			continue
		}
		seen[l.OrgID] = true
		if authz.RequireOrg(ctx, im.r.Actor, identity.PermItemEdit, l.OrgID) != nil {
			return "“" + l.OrgName + "”也在使用该事项，超出您的管理范围"
		}
	}
	return ""
}

// changedItemColumn is the first column whose value differs between the
// stored item and the merged one, or "" when the file changes nothing.
func changedItemColumn(old, merged tongban.Item) string {
	was, now := itemCells(old), itemCells(merged)
	for _, c := range Columns {
		if was[c.Key] != now[c.Key] {
			return c.Key
		}
	}
	return ""
}

// firstRowOf is the file row of the first listing of the item.
func firstRowOf(b Batch, itemCode string) int {
	for i, l := range b.Listings {
		if l.ItemCode == itemCode {
			return b.Rows[i]
		}
	}
	return 0
}

func mergeItem(old, in tongban.Item) tongban.Item {
	out := in
	out.FillEmpty(&old)
	return out
}

// listings creates or updates every listing, collecting row errors.
func (im *batchImport) listings(ctx context.Context, b Batch) error {
	var errs []RowError
	fail := func(row int, col, format string, args ...any) {
		errs = append(errs, RowError{Row: row, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	claimed := map[[2]int64]bool{}
	for i := range b.Listings {
		if p := im.opt.Progress; p != nil && i > 0 && i%ProgressEvery == 0 {
			p(i, len(b.Listings))
		}
		row := b.Rows[i]
		l := b.Listings[i].Clone()
		org := im.orgs[orgKey{strings.TrimSpace(l.OrgName), l.RegionCode}]
		item := im.items[l.ItemCode]
		if item == nil {
			fail(row, colItemCode, "找不到事项 %s", l.ItemCode)
			continue
		}
		l.ItemID, l.OrgID, l.OrgName = item.ID, org.ID, org.Name
		if l.RegionCode == "" {
			l.RegionCode = org.RegionCode
		}
		if err := im.s.requireOrg(ctx, im.tx, im.r, identity.PermCatalogEdit, org.ID); err != nil {
			fail(row, colOrg, "无权导入“%s”的事项清单", org.Name)
			continue
		}
		old, err := im.tx.ListingByCode(ctx, l.Code)
		switch {
		case err == nil:
			if old.ItemID != l.ItemID {
				fail(row, colCode, "实施编码已用于事项 %s", old.ItemCode)
				continue
			}
			if old.OrgID != l.OrgID {
				if err := im.s.requireOrg(ctx, im.tx, im.r, identity.PermCatalogEdit, old.OrgID); err != nil {
					fail(row, colOrg, "无权修改“%s”的事项清单", old.OrgName)
					continue
				}
			}
			l = mergeListing(old, l, b.Columns)
			if im.badStandards(row, &l, old, fail) {
				continue
			}
			if bad, err := im.badLicenseType(ctx, row, &l, fail); err != nil || bad {
				if err != nil {
					return err
				}
				continue
			}
			refused, err := im.update(ctx, &l, old, item, row)
			if err != nil {
				return atRow(row, err)
			}
			if refused != "" {
				fail(row, colStatus, "%s", refused)
				continue
			}
		case tongban.IsCode(err, tongban.ENotFound):
			if im.badStandards(row, &l, nil, fail) {
				continue
			}
			if bad, err := im.badLicenseType(ctx, row, &l, fail); err != nil || bad {
				if err != nil {
					return err
				}
				continue
			}
			if err := im.create(ctx, &l, item, row); err != nil {
				return atRow(row, err)
			}
		default:
			return err
		}
		switch l.Status {
		case tongban.ListingDraft:
			im.res.Drafts++
		case tongban.ListingPublished:
			im.res.Live++
		}
		k := [2]int64{item.ID, org.ID}
		if claimed[k] {
			continue
		}
		claimed[k] = true
		created, err := im.tx.ClaimUnlessClaimed(ctx, &tongban.Claim{ItemID: item.ID, OrgID: org.ID, RegionCode: org.RegionCode,
			ClaimedBy: actorID(im.r), ClaimedAt: im.now})
		if err != nil {
			return err
		}
		if created {
			im.res.ClaimsCreated++
		}
	}
	if len(errs) > 0 {
		return rowErrors(errs...)
	}
	if p := im.opt.Progress; p != nil {
		p(len(b.Listings), len(b.Listings))
	}
	return nil
}

// badStandards resolves l's standard materials, reporting each one the
// list does not have.
func (im *batchImport) badStandards(row int, l, old *tongban.Listing, fail func(int, string, string, ...any)) bool {
	errs := im.standards.resolve(l, old)
	for _, e := range errs {
		fail(row, colMaterials, "%s", e.Message)
	}
	return len(errs) > 0
}

// badLicenseType reports a listing whose result names a licence type that
// does not exist.
func (im *batchImport) badLicenseType(ctx context.Context, row int, l *tongban.Listing, fail func(int, string, string, ...any)) (bool, error) {
	e, err := im.types.unknown(ctx, l)
	if err != nil || e == nil {
		return false, err
	}
	fail(row, colResultLicense, "%s", e.Message)
	return true, nil
}

// gate says whether l may be published: it passes the quality check and
// the actor may publish for its org; otherwise why not.
func (im *batchImport) gate(ctx context.Context, l *tongban.Listing, item *tongban.Item) (bool, string) {
	if rep := Check(*item, *l); !rep.Publishable() {
		return false, fmt.Sprintf("未通过质量检查（%d项错误）", rep.Errors())
	}
	if err := im.s.requireOrg(ctx, im.tx, im.r, identity.PermCatalogPublish, l.OrgID); err != nil {
		return false, "无发布权限"
	}
	return true, ""
}

func (im *batchImport) warn(row int, format string, args ...any) {
	im.res.Warnings = append(im.res.Warnings, RowError{Row: row, Column: colStatus, Message: fmt.Sprintf(format, args...)})
}

// create inserts a new listing; a row asking to be published (已发布, or
// the Publish option) is published only through the gate, else it is a draft.
func (im *batchImport) create(ctx context.Context, l *tongban.Listing, item *tongban.Item, row int) error {
	if l.Status == tongban.ListingPublished || (im.opt.Publish && l.Status == tongban.ListingDraft) {
		if ok, why := im.gate(ctx, l, item); ok {
			l.Status, l.PublishedAt = tongban.ListingPublished, im.now
			im.res.Published++
		} else {
			l.Status = tongban.ListingDraft
			im.warn(row, "%s，已作为草稿导入", why)
		}
	}
	l.UpdatedAt = im.now
	if err := im.tx.CreateListing(ctx, l); err != nil {
		return err
	}
	im.res.ListingsCreated++
	return im.s.snapshot(ctx, im.tx, im.r, l, im.reason)
}

// update writes the file's listing over the stored one as its next version.
// New content of a published listing goes live at once, so it must pass
// the gate or the row fails: an import never puts an unchecked listing in
// front of applicants, nor silently unpublishes one. A file's 草稿 does not
// move a suspended or withdrawn listing back; its 已暂停 and 已撤销 apply.
func (im *batchImport) update(ctx context.Context, l *tongban.Listing, old *tongban.Listing, item *tongban.Item, row int) (refused string, err error) {
	l.ID, l.Version, l.PublishedAt = old.ID, old.Version, old.PublishedAt
	wasPublished := old.Status == tongban.ListingPublished
	switch {
	case l.Status == tongban.ListingSuspended || l.Status == tongban.ListingWithdrawn:
		if err := im.s.requireOrg(ctx, im.tx, im.r, identity.PermCatalogPublish, l.OrgID); err != nil {
			return "无发布权限，不能暂停或撤销清单", nil
		}
	case wasPublished || l.Status == tongban.ListingPublished || im.opt.Publish:
		ok, why := im.gate(ctx, l, item)
		switch {
		case ok:
			if !wasPublished {
				l.PublishedAt = im.now
				im.res.Published++
			}
			l.Status = tongban.ListingPublished
		case wasPublished:
			return "该清单已发布，导入的新内容" + why + "，不能覆盖（请先修正，或先撤回再导入）", nil
		default:
			l.Status = old.Status
			im.warn(row, "%s，未发布", why)
		}
	default:
		l.Status = old.Status
	}
	l.UpdatedAt = im.now
	if err := im.tx.UpdateListing(ctx, l); err != nil {
		return "", err
	}
	im.res.ListingsUpdated++
	return "", im.s.snapshot(ctx, im.tx, im.r, l, im.reason)
}

// atRow names the row a storage error happened at; the transaction is
// over then (PostgreSQL refuses further statements), so the import stops.
func atRow(row int, err error) error {
	e := tongban.AsError(err)
	if e.Code == tongban.EInternal || e.Code == tongban.EUnavailable {
		return err
	}
	return rowErrors(RowError{Row: row, Message: e.Message})
}

// mergeListing is the stored listing with the file's values for the columns
// the file has (all, when cols is nil): a bare list of names and codes
// updates names and codes, and never erases the materials, steps or
// contacts an admin maintained.
func mergeListing(old *tongban.Listing, in tongban.Listing, cols []string) tongban.Listing {
	if cols == nil {
		return in
	}
	out := old.Clone()
	out.ItemID, out.ItemCode, out.OrgID, out.OrgName, out.RegionCode, out.Code =
		in.ItemID, in.ItemCode, in.OrgID, in.OrgName, in.RegionCode, in.Code
	out.Status, out.Version = in.Status, in.Version
	for _, c := range cols {
		switch c {
		case colListingName, colItemName:
			out.Name = in.Name
		case colCaseType:
			out.CaseType = in.CaseType
		case colPromisedDays:
			out.PromisedDays = in.PromisedDays
		case colConditions:
			out.Conditions = in.Conditions
		case colSteps:
			out.Steps = in.Steps
		case colFees:
			out.Fees = in.Fees
		case colPlace:
			out.Place = in.Place
		case colHours:
			out.Hours = in.Hours
		case colPhone:
			out.Phone = in.Phone
		case colComplaintPhone:
			out.ComplaintPhone = in.ComplaintPhone
		case colTrips:
			out.Trips = in.Trips
		case colOnlineDepth:
			out.OnlineDepth = in.OnlineDepth
		case colMostOneTrip:
			out.Flags.MostOneTrip = in.Flags.MostOneTrip
		case colTolerant:
			out.Flags.TolerantAcceptance = in.Flags.TolerantAcceptance
		case colCommitment:
			out.Flags.Commitment = in.Flags.Commitment
		case colCrossRegion:
			out.Flags.CrossRegion = in.Flags.CrossRegion
		case colExpress:
			out.Flags.Express = in.Flags.Express
		case colAppointment:
			out.Flags.Appointment = in.Flags.Appointment
		case colResultName:
			out.Result.Name = in.Result.Name
		case colResultType:
			out.Result.Type = in.Result.Type
		case colResultSample:
			out.Result.Sample = in.Result.Sample
		case colResultLicense:
			out.Result.LicenseType = in.Result.LicenseType
		case colMaterials:
			out.Materials = in.Materials
		case colSituations:
			out.Situations = in.Situations
		case colFAQ:
			out.FAQ = in.FAQ
		}
	}
	return out
}
