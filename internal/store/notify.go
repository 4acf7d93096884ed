package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// notificationsPerInsert bounds one statement's rows (each a power of
// two, so the few texts stay prepared).
const notificationsPerInsert = 32

// UpsertNotifications writes ns in statements of up to
// notificationsPerInsert rows, each a power of two (batchRows): the outbox
// consumer's batch of inbox entries costs a few prepared statements, not
// one each. A (user, subject) named twice keeps its last entry, as writing
// them one by one would leave it (one statement may not update a row twice).
func (s *Store) UpsertNotifications(ctx context.Context, ns ...*tongban.Notification) error {
	type key struct {
		user    int64
		subject string
	}
	last := make(map[key]int, len(ns))
	for i, n := range ns {
		last[key{n.UserID, n.Subject}] = i
	}
	rows := make([]*tongban.Notification, 0, len(last))
	for i, n := range ns {
		if last[key{n.UserID, n.Subject}] == i {
			rows = append(rows, n)
		}
	}
	for len(rows) > 0 {
		chunk := rows[:batchRows(len(rows), notificationsPerInsert)]
		rows = rows[len(chunk):]
		var q strings.Builder
		q.WriteString(`INSERT INTO notifications (user_id, subject, category, title, body, link, event_id,
		created_at, updated_at) VALUES `)
		args := make([]any, 0, 9*len(chunk))
		for i, n := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			s.writeRow(&q, len(args)+1, 9)
			n.CreatedAt, n.UpdatedAt = utc(n.CreatedAt), utc(n.UpdatedAt)
			args = append(args, n.UserID, n.Subject, n.Category, n.Title, n.Body, n.Link, n.EventID, n.CreatedAt, n.UpdatedAt)
		}
		q.WriteString(`
		ON CONFLICT (user_id, subject) DO UPDATE SET category = excluded.category, title = excluded.title,
			body = excluded.body, link = excluded.link, event_id = excluded.event_id, read_at = NULL,
			updated_at = excluded.updated_at
		WHERE notifications.event_id <> excluded.event_id`)
		if _, err := s.q.ExecContext(ctx, q.String(), args...); err != nil {
			return classify(err)
		}
	}
	return nil
}

func (s *Store) Notifications(ctx context.Context, userID int64, unreadOnly bool, limit, offset int) ([]*tongban.Notification, error) {
	if limit <= 0 {
		limit = 20
	}
	q := `SELECT id, user_id, subject, category, title, body, link, event_id, read_at, created_at, updated_at
		FROM notifications WHERE user_id = $1`
	if unreadOnly {
		q += ` AND read_at IS NULL`
	}
	rows, err := s.q.QueryContext(ctx, q+` ORDER BY updated_at DESC, id DESC LIMIT $2 OFFSET $3`, userID, limit, offset)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Notification
	for rows.Next() {
		n := &tongban.Notification{}
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.UserID, &n.Subject, &n.Category, &n.Title, &n.Body, &n.Link, &n.EventID, &read,
			&n.CreatedAt, &n.UpdatedAt); err != nil {
			return nil, classify(err)
		}
		n.Read = read.Valid
		out = append(out, n)
	}
	return out, classify(rows.Err())
}

func (s *Store) CountUnread(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	return n, classify(err)
}

func (s *Store) MarkRead(ctx context.Context, userID, id int64, at time.Time) error {
	now := utc(at)
	if id == 0 {
		_, err := s.q.ExecContext(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, userID, now)
		return classify(err)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE user_id = $1 AND id = $2`,
		userID, id, now)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "消息 %d 不存在", id)
	}
	return nil
}

func (s *Store) QueueMessage(ctx context.Context, m *tongban.Message) (bool, error) {
	m.NextAt, m.CreatedAt = utc(m.NextAt), utc(m.CreatedAt)
	if m.Status == "" {
		m.Status = tongban.MessageQueued
	}
	var sent any
	if !m.SentAt.IsZero() {
		sent = utc(m.SentAt)
	}
	err := s.db.ScanReturning(ctx, s.q, []any{&m.ID}, `INSERT INTO notify_messages (event_id, user_id, channel, template, recipient,
		recipient_masked, subject, body, status, attempts, next_at, created_at, sent_at, last_error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (event_id, user_id, channel, template) WHERE event_id <> '' DO NOTHING RETURNING id`,
		m.EventID, nullID(m.UserID), string(m.Channel), m.Template, s.sealer.Seal(m.To), m.ToMasked, m.Subject, m.Body,
		string(m.Status), m.Attempts, m.NextAt, m.CreatedAt, sent, m.LastError)
	if sqldb.IsNoRows(err) { // queued before, for the same event
		return false, nil
	}
	if err != nil {
		return false, classify(err)
	}
	return true, nil
}

const messageCols = `id, event_id, COALESCE(user_id, 0), channel, template, recipient, recipient_masked, subject, body,
	status, attempts, next_at, created_at, sent_at, last_error`

func (s *Store) queryMessages(ctx context.Context, q string, args ...any) ([]*tongban.Message, error) {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Message
	for rows.Next() {
		m := &tongban.Message{}
		var to string
		var sent sql.NullTime
		if err := rows.Scan(&m.ID, &m.EventID, &m.UserID, &m.Channel, &m.Template, &to, &m.ToMasked, &m.Subject, &m.Body,
			&m.Status, &m.Attempts, &m.NextAt, &m.CreatedAt, &sent, &m.LastError); err != nil {
			return nil, classify(err)
		}
		if m.To, err = s.sealer.Open(to); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "消息 %d 的收件地址无法解密", m.ID)
		}
		m.SentAt = sent.Time
		out = append(out, m)
	}
	return out, classify(rows.Err())
}

func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]*tongban.Message, error) {
	return s.queryMessages(ctx, `SELECT `+messageCols+` FROM notify_messages
		WHERE status = 'queued' AND next_at <= $1 ORDER BY next_at, id LIMIT $2`, utc(now), limit)
}

func (s *Store) ClaimMessage(ctx context.Context, id int64, retryAt time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE notify_messages SET attempts = attempts + 1, next_at = $2
		WHERE id = $1 AND status = 'queued'`, id, utc(retryAt))
	if err != nil {
		return false, classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify(err)
}

func (s *Store) FinishMessage(ctx context.Context, m *tongban.Message) error {
	var sent any
	if !m.SentAt.IsZero() {
		sent = utc(m.SentAt)
	}
	_, err := s.q.ExecContext(ctx, `UPDATE notify_messages SET status = $2, sent_at = $3, last_error = $4 WHERE id = $1`,
		m.ID, string(m.Status), sent, m.LastError)
	return classify(err)
}

func (s *Store) Messages(ctx context.Context, userID int64, limit int) ([]*tongban.Message, error) {
	if limit <= 0 {
		limit = 50
	}
	return s.queryMessages(ctx, `SELECT `+messageCols+` FROM notify_messages WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
		userID, limit)
}

func (s *Store) MessageTotals(ctx context.Context) (map[tongban.MessageStatus]int64, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT status, COUNT(*) FROM notify_messages GROUP BY status`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[tongban.MessageStatus]int64{}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return nil, classify(err)
		}
		out[tongban.MessageStatus(st)] = n
	}
	return out, classify(rows.Err())
}

func (s *Store) scanPrefs(row interface{ Scan(...any) error }) (*tongban.NotifyPrefs, error) {
	p := &tongban.NotifyPrefs{}
	var email, off string
	if err := row.Scan(&p.UserID, &email, &off, &p.UpdatedAt); err != nil {
		return nil, err
	}
	var err error
	if p.Email, err = s.sealer.Open(email); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "通知设置 %d 的邮箱无法解密", p.UserID)
	}
	if err := json.Unmarshal([]byte(off), &p.Off); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "通知设置 %d 已损坏", p.UserID)
	}
	return p, nil
}

// NotifyPrefs returns a person's preferences; none set is all on.
func (s *Store) NotifyPrefs(ctx context.Context, userID int64) (*tongban.NotifyPrefs, error) {
	p, err := s.scanPrefs(s.q.QueryRowContext(ctx, `SELECT user_id, email, off, updated_at FROM notify_prefs
		WHERE user_id = $1`, userID))
	if sqldb.IsNoRows(err) {
		return &tongban.NotifyPrefs{UserID: userID, Off: []string{}}, nil
	}
	if err != nil {
		return nil, classify(err)
	}
	return p, nil
}

func (s *Store) NotifyPrefsOf(ctx context.Context, userIDs []int64) (map[int64]*tongban.NotifyPrefs, error) {
	out := map[int64]*tongban.NotifyPrefs{}
	if len(userIDs) == 0 {
		return out, nil
	}
	w := &where{}
	var ph []string
	for _, id := range userIDs {
		ph = append(ph, w.arg(id))
	}
	rows, err := s.q.QueryContext(ctx, `SELECT user_id, email, off, updated_at FROM notify_prefs
		WHERE user_id IN (`+strings.Join(ph, ", ")+`)`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := s.scanPrefs(rows)
		if err != nil {
			return nil, classify(err)
		}
		out[p.UserID] = p
	}
	return out, classify(rows.Err())
}

func (s *Store) SetNotifyPrefs(ctx context.Context, p *tongban.NotifyPrefs) error {
	p.UpdatedAt = utc(p.UpdatedAt)
	_, err := s.q.ExecContext(ctx, `INSERT INTO notify_prefs (user_id, email, off, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, off = excluded.off, updated_at = excluded.updated_at`,
		p.UserID, s.sealer.Seal(p.Email), jsonText(orEmpty(p.Off)), p.UpdatedAt)
	return classify(err)
}

func (s *Store) CreateCode(ctx context.Context, c *tongban.OneTimeCode) error {
	c.CreatedAt, c.ExpiresAt = utc(c.CreatedAt), utc(c.ExpiresAt)
	err := s.db.ScanReturning(ctx, s.q, []any{&c.ID}, `INSERT INTO one_time_codes (purpose, phone_index, user_id, mac, ip, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, string(c.Purpose), s.sealer.Index(c.Phone.Reveal()),
		nullID(c.UserID), c.MAC, c.IP, c.CreatedAt, c.ExpiresAt)
	return classify(err)
}

func (s *Store) CountCodes(ctx context.Context, phone tongban.Phone, ip string, since time.Time) (int, error) {
	w := &where{}
	w.add("created_at >= ?", utc(since))
	if phone != "" {
		w.add("phone_index = ?", s.sealer.Index(phone.Reveal()))
	}
	if ip != "" {
		w.add("ip = ?", ip)
	}
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM one_time_codes`+w.String(), w.args...).Scan(&n)
	return n, classify(err)
}

func (s *Store) LatestCode(ctx context.Context, purpose tongban.CodePurpose, phone tongban.Phone, now time.Time) (*tongban.OneTimeCode, error) {
	c := &tongban.OneTimeCode{Purpose: purpose, Phone: phone}
	var user sql.NullInt64
	err := s.q.QueryRowContext(ctx, `SELECT id, user_id, mac, ip, created_at, expires_at, attempts FROM one_time_codes
		WHERE purpose = $1 AND phone_index = $2 AND used_at IS NULL AND expires_at > $3 ORDER BY id DESC LIMIT 1`,
		string(purpose), s.sealer.Index(phone.Reveal()), utc(now)).Scan(&c.ID, &user, &c.MAC, &c.IP, &c.CreatedAt,
		&c.ExpiresAt, &c.Attempts)
	if err != nil {
		return nil, notFound(err, "验证码已失效，请重新获取")
	}
	c.UserID = user.Int64
	return c, nil
}

func (s *Store) CountCodeAttempt(ctx context.Context, id int64, max int) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2
		AND used_at IS NULL`, id, max)
	if err != nil {
		return false, classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify(err)
}

func (s *Store) UseCode(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE one_time_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL`, id, utc(at))
	if err != nil {
		return false, classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify(err)
}
