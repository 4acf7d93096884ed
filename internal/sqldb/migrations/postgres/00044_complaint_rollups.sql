-- +goose Up
-- The complaint measures (受理, 派单, 回复, 按时回复, 评价, 满意, 退单, 重办) per
-- China day of the event, region and the department the event names,
-- folded from complaint_events by the stats aggregator like the case and
-- rating rollups. The watermark starts at 0: the events already there are
-- folded at the first refresh.
CREATE TABLE complaint_rollups (
    day             TEXT NOT NULL,
    region_code     TEXT NOT NULL,
    org_id          BIGINT NOT NULL,
    received        BIGINT NOT NULL DEFAULT 0,
    dispatched      BIGINT NOT NULL DEFAULT 0,
    replied         BIGINT NOT NULL DEFAULT 0,
    replied_on_time BIGINT NOT NULL DEFAULT 0,
    rated           BIGINT NOT NULL DEFAULT 0,
    satisfied       BIGINT NOT NULL DEFAULT 0,
    returned        BIGINT NOT NULL DEFAULT 0,
    reopened        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region_code, org_id)
);

-- The last complaint event folded in; one row, locked by the aggregator.
CREATE TABLE complaint_rollup_watermark (
    id            INTEGER PRIMARY KEY,
    last_event_id BIGINT NOT NULL
);
INSERT INTO complaint_rollup_watermark (id, last_event_id) VALUES (1, 0);

-- +goose Down
DROP TABLE complaint_rollup_watermark;
DROP TABLE complaint_rollups;
