package bench

// caseCopyColumns are the columns the bench's SQL copies of cases write
// (the memory scenario's clones, the rating and issue scenarios' staged
// copies); each copy's id is the table's own.
const caseCopyColumns = `number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
	applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
	commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
	accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
	delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
	created_at, updated_at, version`
