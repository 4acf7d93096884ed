-- +goose Up
-- data_uses_actor indexed every data use by its actor, kind and time, for the
-- two counts that read it: a staff member's full reads in the last hour (the
-- harvesting alert) and a clerk's counter look-up of an applicant. Both ask
-- for a staff kind. Every other use (a shared record, a licence or a library
-- entry spared for a case: three per submission by reference) went into it
-- too, one more b-tree in the submission's commit, and no statement ever read
-- them through it. The index now holds the staff kinds alone; the count names
-- its kind as a literal, so that both planners see it is one of them
-- (store.CountDataUses).
DROP INDEX data_uses_actor;
CREATE INDEX data_uses_staff ON data_uses(actor_id, kind, at)
    WHERE kind = 'staff_reveal' OR kind = 'counter_lookup';

-- +goose Down
DROP INDEX data_uses_staff;
CREATE INDEX data_uses_actor ON data_uses(actor_id, kind, at);
