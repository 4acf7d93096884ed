package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

const webhookCols = `id, org_id, name, url, secret, event_types, region_wide, active, COALESCE(created_by, 0), created_at`

func (s *Store) scanWebhook(row interface{ Scan(...any) error }) (*tongban.Webhook, error) {
	w := &tongban.Webhook{}
	var secret, types string
	if err := row.Scan(&w.ID, &w.OrgID, &w.Name, &w.URL, &secret, &types, &w.RegionWide, &w.Active, &w.CreatedBy,
		&w.CreatedAt); err != nil {
		return nil, err
	}
	plain, err := s.sealer.Open(secret)
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "推送地址 %d 的密钥无法解密", w.ID)
	}
	w.Secret = plain
	if err := json.Unmarshal([]byte(types), &w.EventTypes); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "推送地址 %d 的事件类型已损坏", w.ID)
	}
	return w, nil
}

func (s *Store) CreateWebhook(ctx context.Context, w *tongban.Webhook) error {
	w.CreatedAt = utc(w.CreatedAt)
	err := s.db.ScanReturning(ctx, s.q, []any{&w.ID}, `INSERT INTO webhooks (org_id, name, url, secret, event_types, region_wide, active,
		created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		w.OrgID, w.Name, w.URL, s.sealer.Seal(w.Secret), jsonText(orEmpty(w.EventTypes)), w.RegionWide, w.Active,
		nullID(w.CreatedBy), w.CreatedAt)
	return classify(err)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Store) Webhook(ctx context.Context, id int64) (*tongban.Webhook, error) {
	w, err := s.scanWebhook(s.q.QueryRowContext(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "推送地址 %d 不存在", id)
	}
	return w, nil
}

func (s *Store) Webhooks(ctx context.Context, orgIDs []int64, activeOnly bool) ([]*tongban.Webhook, error) {
	w := &where{}
	if orgIDs != nil {
		if len(orgIDs) == 0 {
			return nil, nil
		}
		var ph []string
		for _, id := range orgIDs {
			ph = append(ph, w.arg(id))
		}
		w.conds = append(w.conds, "org_id IN ("+strings.Join(ph, ", ")+")")
	}
	if activeOnly {
		w.add("active = ?", true)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+webhookCols+` FROM webhooks`+w.String()+` ORDER BY id`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Webhook
	for rows.Next() {
		h, err := s.scanWebhook(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, h)
	}
	return out, classify(rows.Err())
}

func (s *Store) UpdateWebhook(ctx context.Context, w *tongban.Webhook) error {
	res, err := s.q.ExecContext(ctx, `UPDATE webhooks SET name = $2, url = $3, event_types = $4, region_wide = $5,
		active = $6, secret = $7 WHERE id = $1`, w.ID, w.Name, w.URL, jsonText(orEmpty(w.EventTypes)), w.RegionWide,
		w.Active, s.sealer.Seal(w.Secret))
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "推送地址 %d 不存在", w.ID)
	}
	return nil
}

// deliveryChunk rows at most go in one multi-row insert (7 parameters
// each), a power of two of them (batchRows).
const deliveryChunk = 64

func (s *Store) EnqueueDeliveries(ctx context.Context, ds []*tongban.WebhookDelivery) error {
	for len(ds) > 0 {
		n := batchRows(len(ds), deliveryChunk)
		var vals []string
		var args []any
		for _, d := range ds[:n] {
			d.NextAt, d.CreatedAt, d.RetrySince = utc(d.NextAt), utc(d.CreatedAt), utc(d.CreatedAt)
			if d.Status == "" {
				d.Status = tongban.DeliveryPending
			}
			vals = append(vals, placeholders(len(args)+1, 7))
			args = append(args, d.WebhookID, d.OutboxID, d.Subject, string(d.Status), d.NextAt, d.CreatedAt, d.RetrySince)
		}
		rows, err := s.q.QueryContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, outbox_id, subject, status,
			next_at, created_at, retry_since) VALUES `+strings.Join(vals, ", ")+` RETURNING id`, args...)
		if err != nil {
			return classify(err)
		}
		// RETURNING lists rows in VALUES order on both engines.
		i := 0
		for rows.Next() {
			if err := rows.Scan(&ds[i].ID); err != nil {
				rows.Close()
				return classify(err)
			}
			i++
		}
		if err := rows.Close(); err != nil {
			return classify(err)
		}
		ds = ds[n:]
	}
	return nil
}

const deliveryCols = `d.id, d.webhook_id, d.outbox_id, d.subject, d.status, d.attempts, d.next_at, d.created_at,
	d.retry_since, d.last_at, d.last_status, d.last_error, d.delivered_at,
	o.id, o.event_id, o.type, o.subject, o.region_code, COALESCE(o.org_id, 0), o.at, o.payload`

func scanDelivery(row interface{ Scan(...any) error }) (*tongban.WebhookDelivery, error) {
	d := &tongban.WebhookDelivery{Event: &tongban.OutboxEvent{}}
	var lastAt, deliveredAt sql.NullTime
	var payload string
	e := d.Event
	if err := row.Scan(&d.ID, &d.WebhookID, &d.OutboxID, &d.Subject, &d.Status, &d.Attempts, &d.NextAt, &d.CreatedAt,
		&d.RetrySince, &lastAt, &d.LastStatus, &d.LastError, &deliveredAt,
		&e.ID, &e.EventID, &e.Type, &e.Subject, &e.RegionCode, &e.OrgID, &e.At, &payload); err != nil {
		return nil, err
	}
	d.LastAt, d.DeliveredAt, e.Payload = lastAt.Time, deliveredAt.Time, []byte(payload)
	return d, nil
}

func (s *Store) queryDeliveries(ctx context.Context, q string, args ...any) ([]*tongban.WebhookDelivery, error) {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.WebhookDelivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, d)
	}
	return out, classify(rows.Err())
}

func (s *Store) DueDeliveries(ctx context.Context, webhookID int64, now time.Time, limit int) ([]*tongban.WebhookDelivery, error) {
	return s.queryDeliveries(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id
		WHERE d.webhook_id = $1 AND d.status = 'pending' AND d.next_at <= $2
		  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id
		                  AND e.subject = d.subject AND e.status = 'pending' AND e.id < d.id AND e.next_at > $2)
		ORDER BY d.id LIMIT $3`, webhookID, utc(now), limit)
}

func (s *Store) RecordAttempt(ctx context.Context, d *tongban.WebhookDelivery) error {
	var delivered any
	if !d.DeliveredAt.IsZero() {
		delivered = utc(d.DeliveredAt)
	}
	_, err := s.q.ExecContext(ctx, `UPDATE webhook_deliveries SET status = $2, attempts = $3, next_at = $4, last_at = $5,
		last_status = $6, last_error = $7, delivered_at = $8 WHERE id = $1 AND status = 'pending'`,
		d.ID, string(d.Status), d.Attempts, utc(d.NextAt), utc(d.LastAt), d.LastStatus, d.LastError, delivered)
	return classify(err)
}

func (s *Store) Deliveries(ctx context.Context, f tongban.DeliveryFilter) ([]*tongban.WebhookDelivery, error) {
	w := &where{}
	if f.WebhookID != 0 {
		w.add("d.webhook_id = ?", f.WebhookID)
	}
	if f.Status != "" {
		w.add("d.status = ?", string(f.Status))
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	q := `SELECT ` + deliveryCols + ` FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id` + w.String() +
		` ORDER BY d.id DESC LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset)
	return s.queryDeliveries(ctx, q, w.args...)
}

func (s *Store) Delivery(ctx context.Context, id int64) (*tongban.WebhookDelivery, error) {
	d, err := scanDelivery(s.q.QueryRowContext(ctx, `SELECT `+deliveryCols+`
		FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "投递记录 %d 不存在", id)
	}
	return d, nil
}

func (s *Store) RequeueDelivery(ctx context.Context, id int64, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = $2,
		retry_since = $2, delivered_at = NULL WHERE id = $1`, id, utc(now))
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "投递记录 %d 不存在", id)
	}
	return nil
}

func (s *Store) DeliveryTotals(ctx context.Context, webhookID int64) (tongban.DeliveryTotals, error) {
	w := &where{}
	if webhookID != 0 {
		w.add("webhook_id = ?", webhookID)
	}
	var t tongban.DeliveryTotals
	rows, err := s.q.QueryContext(ctx, `SELECT status, COUNT(*) FROM webhook_deliveries`+w.String()+` GROUP BY status`, w.args...)
	if err != nil {
		return t, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int64
		if err := rows.Scan(&status, &n); err != nil {
			return t, classify(err)
		}
		switch tongban.DeliveryStatus(status) {
		case tongban.DeliveryPending:
			t.Pending = n
		case tongban.DeliveryDelivered:
			t.Delivered = n
		case tongban.DeliveryFailed:
			t.Failed = n
		}
	}
	if err := rows.Err(); err != nil || t.Pending == 0 {
		return t, classify(err)
	}
	w.add("status = ?", string(tongban.DeliveryPending))
	err = s.q.QueryRowContext(ctx, `SELECT created_at FROM webhook_deliveries`+w.String()+` ORDER BY id LIMIT 1`,
		w.args...).Scan(&t.OldestPending)
	return t, classify(err)
}

func (s *Store) PurgeDeliveries(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1`, utc(before))
	if err != nil {
		return 0, classify(err)
	}
	n, err := res.RowsAffected()
	return n, classify(err)
}

func (s *Store) ExpireDeliveries(ctx context.Context, webhookID int64, before time.Time, reason string) (int64, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'failed', last_error = $3
		WHERE webhook_id = $1 AND status = 'pending' AND retry_since < $2`, webhookID, utc(before), reason)
	if err != nil {
		return 0, classify(err)
	}
	n, err := res.RowsAffected()
	return n, classify(err)
}
