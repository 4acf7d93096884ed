-- +goose Up
-- The 好差评 loop (docs/ratings.md, docs/supervision-notices.md): appeals
-- against ratings, 督办 (supervision notices) and 12345 complaints.

-- 申诉: one per rating, kept whatever the decision; only an upheld appeal
-- takes the rating out of 好评率.
CREATE TABLE rating_appeals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id   BIGINT NOT NULL UNIQUE REFERENCES ratings(id),
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    case_number TEXT NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    region_code TEXT NOT NULL,
    ground      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    state       TEXT NOT NULL,
    filed_by    BIGINT NOT NULL REFERENCES users(id),
    filed_at    TIMESTAMP NOT NULL,
    decision    TEXT NOT NULL DEFAULT '',
    decided_by  BIGINT REFERENCES users(id),
    decided_at  TIMESTAMP,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rating_appeals_org ON rating_appeals(org_id, state);

-- 督办: a supervisor's demand on a department about a case, a 差评 ticket
-- or a complaint, due on a China date; the card (黄牌, 红牌) is computed.
CREATE TABLE supervision_notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject     TEXT NOT NULL,
    subject_id  BIGINT NOT NULL,
    subject_ref TEXT NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    region_code TEXT NOT NULL,
    demand      TEXT NOT NULL,
    due         TEXT NOT NULL,
    issued_by   BIGINT NOT NULL REFERENCES users(id),
    issued_at   TIMESTAMP NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    answered_by BIGINT REFERENCES users(id),
    answered_at TIMESTAMP,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX supervision_notices_org ON supervision_notices(org_id, due);
CREATE INDEX supervision_notices_subject ON supervision_notices(subject, subject_id);

-- 12345 complaints and 办不成事 reports. The phone is sealed like a user's.
CREATE TABLE complaints (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    number         TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    source         TEXT NOT NULL,
    external_ref   TEXT NOT NULL DEFAULT '',
    complainant_id BIGINT REFERENCES users(id),
    name           TEXT NOT NULL,
    phone_sealed   TEXT NOT NULL DEFAULT '',
    phone_masked   TEXT NOT NULL DEFAULT '',
    content        TEXT NOT NULL,
    case_number    TEXT NOT NULL DEFAULT '',
    rating_id      BIGINT REFERENCES ratings(id),
    region_code    TEXT NOT NULL,
    org_id         BIGINT REFERENCES orgs(id),
    state          TEXT NOT NULL,
    dispatch_due   TEXT NOT NULL,
    reply_due      TEXT NOT NULL DEFAULT '',
    reply          TEXT NOT NULL DEFAULT '',
    visit_note     TEXT NOT NULL DEFAULT '',
    satisfaction   INTEGER NOT NULL DEFAULT 0,
    received_by    BIGINT REFERENCES users(id),
    received_at    TIMESTAMP NOT NULL,
    assigned_at    TIMESTAMP,
    replied_at     TIMESTAMP,
    closed_at      TIMESTAMP,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX complaints_org ON complaints(org_id, state);
CREATE INDEX complaints_region ON complaints(region_code, received_at);
CREATE INDEX complaints_complainant ON complaints(complainant_id);

-- Each step of a complaint, with what its measures need: the department,
-- the deadline the step answered and the 评价 level.
CREATE TABLE complaint_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    at           TIMESTAMP NOT NULL,
    action       TEXT NOT NULL,
    actor_id     BIGINT REFERENCES users(id),
    org_id       BIGINT NOT NULL DEFAULT 0,
    region_code  TEXT NOT NULL,
    due          TEXT NOT NULL DEFAULT '',
    level        INTEGER NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);
CREATE INDEX complaint_events_at ON complaint_events(at, action);

-- +goose Down
DROP TABLE complaint_events;
DROP TABLE complaints;
DROP TABLE supervision_notices;
DROP TABLE rating_appeals;
