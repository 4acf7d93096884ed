package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// Catalog limits: a list returns at most maxPage rows, so callers that need
// everything (reports, export) page through.
const (
	defaultPage = 1000
	maxPage     = 10000
)

func catalogPage(limit int) int {
	if limit <= 0 {
		return defaultPage
	}
	return min(limit, maxPage)
}

// nullID stores 0 as NULL for optional references (the system acts as user 0).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// partJSON encodes a nested part; an empty list is "[]" rather than "null".
func partJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", tongban.Wrap(tongban.EInternal, err, "无法编码清单内容")
	}
	if string(b) == "null" {
		return "[]", nil
	}
	return string(b), nil
}

// partFromJSON decodes a nested part; "[]" leaves a nil slice nil, so what is
// read equals what was written.
func partFromJSON(text string, v any) error {
	if text == "" || text == "[]" || text == "null" {
		return nil
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "清单数据损坏")
	}
	return nil
}

// containsPattern makes q a LIKE pattern matching q anywhere, with its own
// wildcards escaped (ESCAPE '\').
func containsPattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(strings.TrimSpace(q))) + "%"
}

// --- items ---

const itemColumns = `id, code, name, main_item, type, levels, legal_basis, statutory_days, sector, audience,
	person_themes, enterprise_themes, aliases, updated_at`

func scanItem(row interface{ Scan(...any) error }) (*tongban.Item, error) {
	it := &tongban.Item{}
	var levels, person, enterprise, aliases string
	if err := row.Scan(&it.ID, &it.Code, &it.Name, &it.MainItem, &it.Type, &levels, &it.LegalBasis,
		&it.StatutoryDays, &it.Sector, &it.Audience, &person, &enterprise, &aliases, &it.UpdatedAt); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		text string
		v    any
	}{{levels, &it.Levels}, {person, &it.PersonThemes}, {enterprise, &it.EnterpriseThemes}, {aliases, &it.Aliases}} {
		if err := partFromJSON(p.text, p.v); err != nil {
			return nil, err
		}
	}
	return it, nil
}

func itemArgs(it *tongban.Item) ([]any, error) {
	args := []any{it.Code, it.Name, it.MainItem, string(it.Type)}
	for _, v := range []any{it.Levels} {
		t, err := partJSON(v)
		if err != nil {
			return nil, err
		}
		args = append(args, t)
	}
	args = append(args, it.LegalBasis, it.StatutoryDays, it.Sector, string(it.Audience))
	for _, v := range []any{it.PersonThemes, it.EnterpriseThemes, it.Aliases} {
		t, err := partJSON(v)
		if err != nil {
			return nil, err
		}
		args = append(args, t)
	}
	return append(args, utc(it.UpdatedAt)), nil
}

const itemInsert = `INSERT INTO items (code, name, main_item, type, levels, legal_basis, statutory_days, sector,
	audience, person_themes, enterprise_themes, aliases, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`

func (s *Store) CreateItem(ctx context.Context, it *tongban.Item) error {
	args, err := itemArgs(it)
	if err != nil {
		return err
	}
	err = s.db.ScanReturning(ctx, s.q, []any{&it.ID}, itemInsert+` RETURNING id`, args...)
	if sqldb.IsUniqueViolation(err) {
		return &tongban.Error{Code: tongban.EConflict, Field: "code", Message: "事项编码 " + it.Code + " 已存在"}
	}
	return classify(err)
}

func (s *Store) UpsertItem(ctx context.Context, it *tongban.Item) error {
	args, err := itemArgs(it)
	if err != nil {
		return err
	}
	err = s.db.ScanReturning(ctx, s.q, []any{&it.ID}, itemInsert+` ON CONFLICT (code) DO UPDATE SET
		name = excluded.name, main_item = excluded.main_item, type = excluded.type, levels = excluded.levels,
		legal_basis = excluded.legal_basis, statutory_days = excluded.statutory_days, sector = excluded.sector,
		audience = excluded.audience, person_themes = excluded.person_themes,
		enterprise_themes = excluded.enterprise_themes, aliases = excluded.aliases, updated_at = excluded.updated_at
		RETURNING id`, args...)
	return classify(err)
}

func (s *Store) Item(ctx context.Context, id int64) (*tongban.Item, error) {
	it, err := scanItem(s.q.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "事项 %d 不存在", id)
	}
	return it, nil
}

func (s *Store) ItemByCode(ctx context.Context, code string) (*tongban.Item, error) {
	it, err := scanItem(s.q.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM items WHERE code = $1`, code))
	if err != nil {
		return nil, notFound(err, "事项 %s 不存在", code)
	}
	return it, nil
}

func (s *Store) Items(ctx context.Context, f tongban.ItemFilter) ([]*tongban.Item, error) {
	var w where
	if f.Q != "" {
		p := containsPattern(f.Q)
		w.add(`(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(code) LIKE ? ESCAPE '\')`, p, p)
	}
	if f.Type != "" {
		w.add("type = ?", string(f.Type))
	}
	if f.Sector != "" {
		w.add("sector = ?", f.Sector)
	}
	q := `SELECT ` + itemColumns + ` FROM items` + w.String() + ` ORDER BY code LIMIT ` + w.arg(catalogPage(f.Limit)) +
		` OFFSET ` + w.arg(max(f.Offset, 0))
	rows, err := s.q.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, it)
	}
	return out, classify(rows.Err())
}

// --- listings ---

const listingColumns = `l.id, l.item_id, i.code, l.code, l.org_id, o.name, l.region_code, l.version, l.status,
	l.name, l.promised_days, l.case_type, l.online_depth, l.trips, l.place, l.hours, l.phone, l.complaint_phone,
	l.conditions, l.steps, l.fees, l.materials, l.situations, l.faq, l.flags, l.result, l.updated_at, l.published_at`

const listingFrom = ` FROM listings l JOIN items i ON i.id = l.item_id JOIN orgs o ON o.id = l.org_id`

func scanListing(row interface{ Scan(...any) error }) (*tongban.Listing, error) {
	l := &tongban.Listing{}
	var conditions, steps, fees, materials, situations, faq, flags, result string
	var published sql.NullTime
	if err := row.Scan(&l.ID, &l.ItemID, &l.ItemCode, &l.Code, &l.OrgID, &l.OrgName, &l.RegionCode, &l.Version,
		&l.Status, &l.Name, &l.PromisedDays, &l.CaseType, &l.OnlineDepth, &l.Trips, &l.Place, &l.Hours, &l.Phone,
		&l.ComplaintPhone, &conditions, &steps, &fees, &materials, &situations, &faq, &flags, &result,
		&l.UpdatedAt, &published); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		text string
		v    any
	}{{conditions, &l.Conditions}, {steps, &l.Steps}, {fees, &l.Fees}, {materials, &l.Materials},
		{situations, &l.Situations}, {faq, &l.FAQ}, {flags, &l.Flags}, {result, &l.Result}} {
		if err := partFromJSON(p.text, p.v); err != nil {
			return nil, err
		}
	}
	if published.Valid {
		l.PublishedAt = published.Time
	}
	return l, nil
}

// listingArgs are the values of every stored column but id and version, in
// the order of listingWrite.
func listingArgs(l *tongban.Listing) ([]any, error) {
	args := []any{l.Code, l.ItemID, l.OrgID, l.RegionCode, string(l.Status), l.Name, l.PromisedDays,
		string(l.CaseType), string(l.OnlineDepth), l.Trips, l.Place, l.Hours, l.Phone, l.ComplaintPhone}
	for _, v := range []any{l.Conditions, l.Steps, l.Fees, l.Materials, l.Situations, l.FAQ, l.Flags, l.Result} {
		t, err := partJSON(v)
		if err != nil {
			return nil, err
		}
		args = append(args, t)
	}
	var published any
	if !l.PublishedAt.IsZero() {
		published = utc(l.PublishedAt)
	}
	return append(args, utc(l.UpdatedAt), published), nil
}

var listingWrite = []string{"code", "item_id", "org_id", "region_code", "status", "name", "promised_days",
	"case_type", "online_depth", "trips", "place", "hours", "phone", "complaint_phone", "conditions", "steps",
	"fees", "materials", "situations", "faq", "flags", "result", "updated_at", "published_at"}

func listingWriteError(l *tongban.Listing, err error) error {
	switch {
	case sqldb.IsUniqueViolation(err):
		return &tongban.Error{Code: tongban.EConflict, Field: "code", Message: "实施编码 " + l.Code + " 已存在"}
	case sqldb.IsForeignKeyViolation(err):
		return &tongban.Error{Code: tongban.EInvalid, Field: "item_id", Message: "所属事项、实施部门或行政区划不存在"}
	}
	return classify(err)
}

func (s *Store) CreateListing(ctx context.Context, l *tongban.Listing) error {
	if l.Version <= 0 {
		l.Version = 1
	}
	args, err := listingArgs(l)
	if err != nil {
		return err
	}
	ph := make([]string, len(listingWrite)+1)
	for i := range ph {
		ph[i] = "$" + itoa(i+1)
	}
	err = s.db.ScanReturning(ctx, s.q, []any{&l.ID}, `INSERT INTO listings (`+strings.Join(listingWrite, ", ")+`, version)
		VALUES (`+strings.Join(ph, ", ")+`) RETURNING id`, append(args, l.Version)...)
	return listingWriteError(l, err)
}

func (s *Store) UpdateListing(ctx context.Context, l *tongban.Listing) error {
	args, err := listingArgs(l)
	if err != nil {
		return err
	}
	set := make([]string, len(listingWrite))
	for i, c := range listingWrite {
		set[i] = c + " = $" + itoa(i+1)
	}
	n := len(listingWrite)
	res, err := s.q.ExecContext(ctx, `UPDATE listings SET `+strings.Join(set, ", ")+`, version = version + 1
		WHERE id = $`+itoa(n+1)+` AND version = $`+itoa(n+2), append(args, l.ID, l.Version)...)
	if err != nil {
		return listingWriteError(l, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		var stored int
		err := s.q.QueryRowContext(ctx, `SELECT version FROM listings WHERE id = $1`, l.ID).Scan(&stored)
		if err != nil {
			return notFound(err, "实施清单 %d 不存在", l.ID)
		}
		return &tongban.Error{Code: tongban.EConflict, Field: "version",
			Message: "实施清单已被他人修改（当前为第" + itoa(stored) + "版），请刷新后重试"}
	}
	l.Version++
	return nil
}

func (s *Store) Listing(ctx context.Context, id int64) (*tongban.Listing, error) {
	l, err := scanListing(s.q.QueryRowContext(ctx, `SELECT `+listingColumns+listingFrom+` WHERE l.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "实施清单 %d 不存在", id)
	}
	return l, nil
}

func (s *Store) ListingCurrentVersion(ctx context.Context, id int64) (int, error) {
	var v int
	if err := s.q.QueryRowContext(ctx, `SELECT version FROM listings WHERE id = $1`, id).Scan(&v); err != nil {
		return 0, notFound(err, "实施清单 %d 不存在", id)
	}
	return v, nil
}

// ListingCurrentVersionWithItem is ListingCurrentVersion with the
// listing's item, read in one statement: a submission needs both, and on
// PostgreSQL each round trip costs about as much as a write. A listing
// whose item is gone is ENotFound here; callers then read the two apart.
func (s *Store) ListingCurrentVersionWithItem(ctx context.Context, id int64) (int, *tongban.Item, error) {
	var v int
	it, err := scanItem(prefixScan{s.q.QueryRowContext(ctx, `SELECT l.version, `+qualifiedItemColumns+`
		FROM listings l JOIN items i ON i.id = l.item_id WHERE l.id = $1`, id), []any{&v}})
	if err != nil {
		return 0, nil, notFound(err, "实施清单 %d 或其事项不存在", id)
	}
	return v, it, nil
}

// qualifiedItemColumns are itemColumns for a join (alias i).
const qualifiedItemColumns = `i.id, i.code, i.name, i.main_item, i.type, i.levels, i.legal_basis, i.statutory_days,
	i.sector, i.audience, i.person_themes, i.enterprise_themes, i.aliases, i.updated_at`

// prefixScan scans a row's leading columns into pre and the rest into what
// a scan function asks for, so one row can feed two scanners.
type prefixScan struct {
	row interface{ Scan(...any) error }
	pre []any
}

func (p prefixScan) Scan(dest ...any) error { return p.row.Scan(append(p.pre, dest...)...) }

func (s *Store) ListingByCode(ctx context.Context, code string) (*tongban.Listing, error) {
	l, err := scanListing(s.q.QueryRowContext(ctx, `SELECT `+listingColumns+listingFrom+` WHERE l.code = $1`, code))
	if err != nil {
		return nil, notFound(err, "实施清单 %s 不存在", code)
	}
	return l, nil
}

func listingWhere(f tongban.ListingFilter) *where {
	w := &where{}
	if f.Region != "" {
		w.add("l.region_code LIKE ?", tongban.RegionPrefix(f.Region)+"%")
	}
	if f.OrgID != 0 {
		w.add("l.org_id = ?", f.OrgID)
	}
	if f.ItemID != 0 {
		w.add("l.item_id = ?", f.ItemID)
	}
	if f.ItemCode != "" {
		w.add("i.code = ?", f.ItemCode)
	}
	if f.Status != "" {
		w.add("l.status = ?", string(f.Status))
	}
	if f.Audience != "" {
		w.add("(i.audience = ? OR i.audience = ?)", string(f.Audience), string(tongban.AudienceBoth))
	}
	if f.CaseType != "" {
		w.add("l.case_type = ?", string(f.CaseType))
	}
	if f.Depth != "" {
		w.add("l.online_depth = ?", string(f.Depth))
	}
	if f.Q != "" {
		p := containsPattern(f.Q)
		w.add(`(LOWER(l.name) LIKE ? ESCAPE '\' OR LOWER(l.code) LIKE ? ESCAPE '\')`, p, p)
	}
	if sc := f.Unpublished; sc != nil {
		or := []string{"l.status = " + w.arg(string(tongban.ListingPublished))}
		for _, r := range sc.Regions {
			or = append(or, "o.region_code LIKE "+w.arg(tongban.RegionPrefix(r)+"%"))
		}
		if len(sc.OrgIDs) > 0 {
			ph := make([]string, len(sc.OrgIDs))
			for i, id := range sc.OrgIDs {
				ph[i] = w.arg(id)
			}
			or = append(or, "l.org_id IN ("+strings.Join(ph, ", ")+")")
		}
		w.conds = append(w.conds, "("+strings.Join(or, " OR ")+")")
	}
	return w
}

func (s *Store) Listings(ctx context.Context, f tongban.ListingFilter) ([]*tongban.Listing, error) {
	w := listingWhere(f)
	var q string
	if f.ByID {
		w.add("l.id > ?", f.AfterID)
		q = `SELECT ` + listingColumns + listingFrom + w.String() + ` ORDER BY l.id LIMIT ` + w.arg(catalogPage(f.Limit))
	} else {
		q = `SELECT ` + listingColumns + listingFrom + w.String() + ` ORDER BY l.region_code, l.org_id, l.id LIMIT ` +
			w.arg(catalogPage(f.Limit)) + ` OFFSET ` + w.arg(max(f.Offset, 0))
	}
	rows, err := s.q.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Listing
	for rows.Next() {
		l, err := scanListing(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, l)
	}
	return out, classify(rows.Err())
}

func (s *Store) CountListings(ctx context.Context, f tongban.ListingFilter) (int, error) {
	w := listingWhere(f)
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+listingFrom+w.String(), w.args...).Scan(&n)
	return n, classify(err)
}

// --- versions ---

func (s *Store) InsertListingVersion(ctx context.Context, v *tongban.ListingVersion) error {
	snap, err := json.Marshal(v.Listing)
	if err != nil {
		return tongban.Wrap(tongban.EInternal, err, "无法编码清单快照")
	}
	err = s.db.ScanReturning(ctx, s.q, []any{&v.ID}, `INSERT INTO listing_versions (listing_id, version, snapshot, changed_by, changed_at, reason)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		v.ListingID, v.Version, string(snap), nullID(v.ChangedBy), utc(v.ChangedAt), v.Reason)
	switch {
	case sqldb.IsUniqueViolation(err):
		return &tongban.Error{Code: tongban.EConflict, Field: "version",
			Message: "实施清单第" + itoa(v.Version) + "版已存在"}
	case sqldb.IsForeignKeyViolation(err):
		return &tongban.Error{Code: tongban.EInvalid, Field: "listing_id", Message: "实施清单或操作人不存在"}
	}
	return classify(err)
}

func (s *Store) ListingVersion(ctx context.Context, listingID int64, version int) (*tongban.Listing, error) {
	var snap string
	err := s.q.QueryRowContext(ctx, `SELECT snapshot FROM listing_versions WHERE listing_id = $1 AND version = $2`,
		listingID, version).Scan(&snap)
	if err != nil {
		return nil, notFound(err, "实施清单 %d 没有第%d版", listingID, version)
	}
	l := &tongban.Listing{}
	if err := json.Unmarshal([]byte(snap), l); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "清单快照损坏")
	}
	return l, nil
}

func (s *Store) ListingVersions(ctx context.Context, listingID int64) ([]*tongban.ListingVersion, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, listing_id, version, snapshot, COALESCE(changed_by, 0), changed_at, reason
		FROM listing_versions WHERE listing_id = $1 ORDER BY version DESC`, listingID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.ListingVersion
	for rows.Next() {
		v := &tongban.ListingVersion{}
		var snap string
		if err := rows.Scan(&v.ID, &v.ListingID, &v.Version, &snap, &v.ChangedBy, &v.ChangedAt, &v.Reason); err != nil {
			return nil, classify(err)
		}
		if err := json.Unmarshal([]byte(snap), &v.Listing); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "清单快照损坏")
		}
		out = append(out, v)
	}
	return out, classify(rows.Err())
}

// --- claims ---

const claimColumns = `id, item_id, org_id, region_code, COALESCE(claimed_by, 0), claimed_at`

func scanClaim(row interface{ Scan(...any) error }) (*tongban.Claim, error) {
	c := &tongban.Claim{}
	return c, row.Scan(&c.ID, &c.ItemID, &c.OrgID, &c.RegionCode, &c.ClaimedBy, &c.ClaimedAt)
}

func (s *Store) CreateClaim(ctx context.Context, c *tongban.Claim) error {
	err := s.insertClaim(ctx, c, "")
	if sqldb.IsUniqueViolation(err) {
		return &tongban.Error{Code: tongban.EConflict, Field: "item_id", Message: "该部门已认领此事项"}
	}
	return err
}

// ClaimUnlessClaimed inserts c unless (item, org) is claimed: the unique
// index decides, so no plan is involved. An import runs it once a listing
// in one transaction, where a prepared read of claims planned while the
// table was small (PostgreSQL's generic plan, a sequential scan) was kept
// as the transaction added tens of thousands of rows, making the import
// quadratic: a 100,000-listing import ran over 15 minutes instead of 85 s.
func (s *Store) ClaimUnlessClaimed(ctx context.Context, c *tongban.Claim) (bool, error) {
	err := s.insertClaim(ctx, c, " ON CONFLICT (item_id, org_id) DO NOTHING")
	if errors.Is(err, sql.ErrNoRows) { // claimed already: nothing returned
		return false, nil
	}
	return err == nil, err
}

// insertClaim writes c, with onConflict before its RETURNING, setting c.ID;
// a missing item, org or region is refused naming the field. Other errors
// are the driver's, for the caller to tell apart.
func (s *Store) insertClaim(ctx context.Context, c *tongban.Claim, onConflict string) error {
	var id int64
	err := s.db.ScanReturning(ctx, s.q, []any{&id}, `INSERT INTO claims (item_id, org_id, region_code, claimed_by, claimed_at)
		VALUES ($1, $2, $3, $4, $5)`+onConflict+` RETURNING id`,
		c.ItemID, c.OrgID, c.RegionCode, nullID(c.ClaimedBy), utc(c.ClaimedAt))
	switch {
	case err == nil:
		c.ID = id
		return nil
	case errors.Is(err, sql.ErrNoRows), sqldb.IsUniqueViolation(err):
		return err
	case sqldb.IsForeignKeyViolation(err):
		return &tongban.Error{Code: tongban.EInvalid, Field: "item_id", Message: "事项、部门或行政区划不存在"}
	}
	return classify(err)
}

func (s *Store) Claim(ctx context.Context, itemID, orgID int64) (*tongban.Claim, error) {
	c, err := scanClaim(s.q.QueryRowContext(ctx, `SELECT `+claimColumns+` FROM claims WHERE item_id = $1 AND org_id = $2`,
		itemID, orgID))
	if err != nil {
		return nil, notFound(err, "该部门尚未认领事项 %d", itemID)
	}
	return c, nil
}

func (s *Store) Claims(ctx context.Context, f tongban.ClaimFilter) ([]*tongban.Claim, error) {
	var w where
	if f.ItemID != 0 {
		w.add("item_id = ?", f.ItemID)
	}
	if f.OrgID != 0 {
		w.add("org_id = ?", f.OrgID)
	}
	if f.Region != "" {
		w.add("region_code LIKE ?", tongban.RegionPrefix(f.Region)+"%")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+claimColumns+` FROM claims`+w.String()+` ORDER BY id`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Claim
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}
