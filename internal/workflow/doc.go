// Package workflow is the case (办件) state machine of DESIGN.md "Case
// lifecycle": who may move a case from which state to which, and what each
// move records. Every action runs in one store transaction that locks the
// case, checks the actor's role and org, checks the transition, writes the
// new state (version-checked), one immutable CaseEvent per step and an
// audit entry. Deadlines (working days, pauses) and visits (跑动次数) are
// derived from the events, so statistics can recompute them.
//
// The rules are plain Go; the store only persists.
package workflow
