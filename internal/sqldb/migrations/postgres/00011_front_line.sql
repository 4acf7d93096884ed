-- +goose Up
-- The front line of a service centre (docs/front-line.md).

-- An org's 复议机关 and the court for 行政诉讼, stated on refusals and
-- denials; a hall's designated result window (统一出件).
ALTER TABLE orgs ADD COLUMN review_body TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN court TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN result_window_id BIGINT REFERENCES orgs(id);

-- 统一出件: the results waiting at a hall's result window.
CREATE INDEX cases_pickup ON cases(pickup_window_id, state);

-- 签收: who collected a result or decision at a window, checked by the clerk.
CREATE TABLE case_handovers (
    case_id             BIGINT PRIMARY KEY REFERENCES cases(id),
    window_id           BIGINT NOT NULL REFERENCES orgs(id),
    clerk_id            BIGINT NOT NULL REFERENCES users(id),
    collector           TEXT NOT NULL,
    collector_name      TEXT NOT NULL,
    collector_id_sealed TEXT NOT NULL DEFAULT '',
    collector_id_masked TEXT NOT NULL DEFAULT '',
    power_of_attorney   BOOLEAN NOT NULL DEFAULT FALSE,
    signed_at           TIMESTAMPTZ NOT NULL
);

-- One-time password links a clerk issues after checking the ID card.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    issued_by  BIGINT NOT NULL REFERENCES users(id),
    issued_at  TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- The 用户协议 and 隐私政策 versions each account accepted.
CREATE TABLE agreement_acceptances (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    document    TEXT NOT NULL,
    version     TEXT NOT NULL,
    accepted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, document, version)
);

-- +goose Down
DROP TABLE agreement_acceptances;
DROP TABLE password_resets;
DROP TABLE case_handovers;
DROP INDEX cases_pickup;
ALTER TABLE orgs DROP COLUMN result_window_id;
ALTER TABLE orgs DROP COLUMN court;
ALTER TABLE orgs DROP COLUMN review_body;
