-- +goose Up
-- The card (黄牌, 红牌) a 督办's escalation was last announced with in the
-- outbox (notice.escalated), so each escalation is announced once even with
-- several servers sweeping (docs/supervision-notices.md). The card itself
-- stays computed from the deadline and the calendar.
ALTER TABLE supervision_notices ADD COLUMN announced_card TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE supervision_notices DROP COLUMN announced_card;
