package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const userColumns = `id, kind, name, COALESCE(username, ''), id_number_sealed, phone_sealed,
	COALESCE(credit_code, ''), legal_rep_name, legal_rep_sealed, password_hash, disabled, created_at, phone_verified_at`

// nullable stores "" as NULL so that UNIQUE columns allow many empty values.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Store) CreateUser(ctx context.Context, u *tongban.User) error {
	idNum, phone, rep := u.IDNumber.Reveal(), u.Phone.Reveal(), u.LegalRepID.Reveal()
	err := s.db.ScanReturning(ctx, s.q, []any{&u.ID}, `INSERT INTO users
		(kind, name, username, id_number_sealed, id_number_index, id_number_masked,
		 phone_sealed, phone_index, phone_masked, credit_code, legal_rep_name, legal_rep_sealed,
		 legal_rep_masked, password_hash, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		u.Kind, u.Name, nullable(u.Username),
		s.sealer.Seal(idNum), nullable(s.sealer.Index(idNum)), u.IDNumber.Masked(),
		s.sealer.Seal(phone), nullable(s.sealer.Index(phone)), u.Phone.Masked(),
		nullable(string(u.CreditCode)), u.LegalRepName, s.sealer.Seal(rep), u.LegalRepID.Masked(),
		u.PasswordHash, u.Disabled, utc(u.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		return duplicateUser(err)
	}
	return classify(err)
}

// duplicateUser names the field that made a registration a duplicate.
func duplicateUser(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "id_number"):
		return &tongban.Error{Code: tongban.EConflict, Field: "id_number", Message: "该身份证号已注册，请直接登录"}
	case strings.Contains(msg, "credit_code"):
		return &tongban.Error{Code: tongban.EConflict, Field: "credit_code", Message: "该统一社会信用代码已注册，请直接登录"}
	case strings.Contains(msg, "username"):
		return &tongban.Error{Code: tongban.EConflict, Field: "username", Message: "该用户名已被使用"}
	}
	return &tongban.Error{Code: tongban.EConflict, Message: "账号已存在", Err: err}
}

func (s *Store) scanUser(row interface{ Scan(...any) error }) (*tongban.User, error) {
	u := &tongban.User{}
	var idSealed, phoneSealed, repSealed, credit string
	var verified sql.NullTime
	if err := row.Scan(&u.ID, &u.Kind, &u.Name, &u.Username, &idSealed, &phoneSealed,
		&credit, &u.LegalRepName, &repSealed, &u.PasswordHash, &u.Disabled, &u.CreatedAt, &verified); err != nil {
		return nil, err
	}
	if verified.Valid {
		at := verified.Time
		u.PhoneVerifiedAt = &at
	}
	u.CreditCode = tongban.CreditCode(credit)
	for _, f := range []struct {
		sealed string
		set    func(string)
	}{
		{idSealed, func(v string) { u.IDNumber = tongban.IDNumber(v) }},
		{phoneSealed, func(v string) { u.Phone = tongban.Phone(v) }},
		{repSealed, func(v string) { u.LegalRepID = tongban.IDNumber(v) }},
	} {
		plain, err := s.sealer.Open(f.sealed)
		if err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "无法解密用户 %d 的个人信息", u.ID)
		}
		f.set(plain)
	}
	return u, nil
}

// User reads the user and their role grants in one statement (a row per
// grant, one with NULLs when there is none): applicants have none, and
// the second round trip was a read in many transactions.
func (s *Store) User(ctx context.Context, id int64) (*tongban.User, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+userColumnsOfU+`, g.role, g.org_id, o.name FROM users u
		LEFT JOIN role_grants g ON g.user_id = u.id LEFT JOIN orgs o ON o.id = g.org_id
		WHERE u.id = $1 ORDER BY g.org_id, g.role`, id)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var u *tongban.User
	for rows.Next() {
		var role, orgName sql.NullString
		var orgID sql.NullInt64
		var grant = []any{&role, &orgID, &orgName}
		if u == nil {
			if u, err = s.scanUser(rowWith{rows, grant}); err != nil {
				return nil, classify(err)
			}
		} else if err := rows.Scan(append(skipUserColumns(), grant...)...); err != nil {
			return nil, classify(err)
		} // the user's columns repeat on every grant's row: opened once
		if role.Valid && orgName.Valid {
			u.Roles = append(u.Roles, tongban.RoleGrant{Role: tongban.Role(role.String), OrgID: orgID.Int64, OrgName: orgName.String})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	if u == nil {
		return nil, tongban.Errorf(tongban.ENotFound, "用户 %d 不存在", id)
	}
	return u, nil
}

// userColumnsOfU is userColumns of the users table aliased u.
const userColumnsOfU = `u.id, u.kind, u.name, COALESCE(u.username, ''), u.id_number_sealed, u.phone_sealed,
	COALESCE(u.credit_code, ''), u.legal_rep_name, u.legal_rep_sealed, u.password_hash, u.disabled, u.created_at, u.phone_verified_at`

// skipUserColumns are destinations that discard userColumns.
func skipUserColumns() []any {
	out := make([]any, 13)
	for i := range out {
		out[i] = new(any)
	}
	return out
}

// rowWith scans a row's leading columns with the scanner it is given and
// the columns after them into more.
type rowWith struct {
	rows *sql.Rows
	more []any
}

func (r rowWith) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.more...)...) }

// UserByLogin matches the login against every sign-in key at once. A phone
// counts only verified (at most one account holds a number verified), so an
// unverified phone neither signs in nor tells that the number is in use.
func (s *Store) UserByLogin(ctx context.Context, login string) (*tongban.User, error) {
	login = strings.TrimSpace(login)
	upper := strings.ToUpper(login)
	rows, err := s.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE username = $1 OR id_number_index = $2 OR credit_code = $3
		   OR (phone_index = $4 AND kind = 'citizen' AND phone_verified_at IS NOT NULL)`,
		login, s.sealer.Index(upper), upper, s.sealer.Index(login))
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var found []*tongban.User
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			return nil, classify(err)
		}
		found = append(found, u)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	if len(found) != 1 {
		// Keys are unique each and of different shapes, so two matches
		// should not happen; if they do, say no more than for none.
		return nil, tongban.Errorf(tongban.ENotFound, "账号不存在")
	}
	return found[0], s.loadRoles(ctx, found[0])
}

func (s *Store) MarkPhoneVerified(ctx context.Context, userID int64, phone tongban.Phone, at time.Time) error {
	plain := phone.Reveal()
	index := nullable(s.sealer.Index(plain))
	if _, err := s.q.ExecContext(ctx, `UPDATE users SET phone_verified_at = NULL
		WHERE phone_index = $1 AND id <> $2 AND phone_verified_at IS NOT NULL`, index, userID); err != nil {
		return classify(err)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE users SET phone_sealed = $1, phone_index = $2, phone_masked = $3,
		phone_verified_at = $4 WHERE id = $5`, s.sealer.Seal(plain), index, phone.Masked(), utc(at), userID)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "用户 %d 不存在", userID)
	}
	return nil
}

func (s *Store) UserByIDNumber(ctx context.Context, id tongban.IDNumber) (*tongban.User, error) {
	u, err := s.scanUser(s.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id_number_index = $1`,
		s.sealer.Index(id.Reveal())))
	if err != nil {
		return nil, notFound(err, "身份证号 %s 未注册", id.Masked())
	}
	return u, s.loadRoles(ctx, u)
}

func (s *Store) Users(ctx context.Context, f tongban.UserFilter) ([]*tongban.User, error) {
	var w where
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	if len(f.OrgIDs) > 0 {
		ph := make([]string, len(f.OrgIDs))
		for i, id := range f.OrgIDs {
			ph[i] = w.arg(id)
		}
		w.conds = append(w.conds, "id IN (SELECT user_id FROM role_grants WHERE org_id IN ("+strings.Join(ph, ", ")+"))")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users`+w.String()+` ORDER BY id LIMIT `+w.arg(limit), w.args...)
	if err != nil {
		return nil, classify(err)
	}
	var out []*tongban.User
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, classify(err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	for _, u := range out {
		if err := s.loadRoles(ctx, u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "用户 %d 不存在", userID)
	}
	return nil
}

func (s *Store) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, userID)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "用户 %d 不存在", userID)
	}
	return nil
}

func (s *Store) GrantRole(ctx context.Context, userID int64, g tongban.RoleGrant) error {
	_, err := s.q.ExecContext(ctx,
		`INSERT INTO role_grants (user_id, role, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		userID, g.Role, g.OrgID)
	if sqldb.IsForeignKeyViolation(err) {
		return &tongban.Error{Code: tongban.EInvalid, Field: "org_id", Message: "用户或机构不存在"}
	}
	return classify(err)
}

func (s *Store) RevokeRole(ctx context.Context, userID int64, g tongban.RoleGrant) error {
	res, err := s.q.ExecContext(ctx,
		`DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND org_id = $3`, userID, g.Role, g.OrgID)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "该用户没有此角色")
	}
	return nil
}

func (s *Store) loadRoles(ctx context.Context, u *tongban.User) error {
	rows, err := s.q.QueryContext(ctx, `SELECT g.role, g.org_id, o.name FROM role_grants g
		JOIN orgs o ON o.id = g.org_id WHERE g.user_id = $1 ORDER BY g.org_id, g.role`, u.ID)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	u.Roles = nil
	for rows.Next() {
		var g tongban.RoleGrant
		if err := rows.Scan(&g.Role, &g.OrgID, &g.OrgName); err != nil {
			return classify(err)
		}
		u.Roles = append(u.Roles, g)
	}
	return classify(rows.Err())
}
