-- +goose Up
-- Licences stored before 00026 keep a person's 公民身份号码 in the clear in
-- licenses.face. face_unchecked marks every row that may (face_sealed
-- empty); the start after this migration seals such items
-- (atrest.SealFaces: batched, compare-and-set, restartable) and clears the
-- mark. Rows written since are split by the store and never marked, so on
-- an up-to-date database the start-up check is one index lookup.
ALTER TABLE licenses ADD COLUMN face_unchecked BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE licenses SET face_unchecked = TRUE WHERE face_sealed = '';
CREATE INDEX licenses_face_unchecked ON licenses(id) WHERE face_unchecked;

-- +goose Down
DROP INDEX licenses_face_unchecked;
ALTER TABLE licenses DROP COLUMN face_unchecked;
