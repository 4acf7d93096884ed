// Package workflow is the case (办件) state machine of DESIGN.md "Case
// lifecycle": who may move a case from which state to which, and what each
// move records. Every action runs in one store transaction that locks the
// case, checks the actor's role and org, checks the transition, writes the
// new state (version-checked), one immutable CaseEvent per step and an
// audit entry ("case:<number>"). Deadlines (working days, pauses) and
// visits (跑动次数) are derived from the events, so statistics can
// recompute them. The rules are plain Go; the store only persists.
//
//	action              from                                   to                       who
//	draft               –                                      draft                    applicant
//	submit              – / draft                              submitted                applicant online; window clerk at the counter (a visit)
//	accept              submitted                              accepted (即办件: +approve) window clerk; the department for non-window channels
//	reject              submitted, awaiting_correction*        rejected                 as accept; reasons required (*before acceptance)
//	request_correction  submitted                              awaiting_correction      as accept; one notice, every item with a reason
//	request_correction  accepted, in_review                    awaiting_correction      back office; the clock stops
//	supplement          awaiting_correction                    submitted | back to step applicant; window clerk for them (a visit)
//	review              accepted, in_review (not last step)    in_review, next step     back office (department or its board)
//	approve / deny      accepted, in_review (last step)        approved / denied        back office; deny needs reasons
//	special_start/_end  accepted, in_review                    unchanged (clock stops)  back office
//	issue               approved                               result_issued            back office; 即办件 also the window
//	deliver             result_issued                          closed                   pickup: handout clerk (a visit); express: handout or back office
//	close               denied, result_issued                  closed                   back office or handout clerk
//	provide_owed        accepted … result_issued (owing)       unchanged                applicant; window clerk
//	withdraw            draft … in_review (undecided)          withdrawn                applicant only
//	post_check          approved, result_issued, closed        unchanged                supervisor of the region; back office
//
// deliver and close refuse an approved case while 容缺 materials are owed.
package workflow
