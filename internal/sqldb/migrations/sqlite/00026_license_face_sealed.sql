-- +goose Up
-- A face item holding a person's 公民身份号码 (a 社会保障卡's 社会保障号码,
-- an individual's 社会信用代码（身份证号码）) is personal data: the store
-- keeps such items sealed here (a sealed JSON object, by printed name) and
-- only their masked form in licenses.face (docs/licenses.md).
ALTER TABLE licenses ADD COLUMN face_sealed TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE licenses DROP COLUMN face_sealed;
