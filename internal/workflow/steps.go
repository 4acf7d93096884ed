package workflow

import (
	"slices"

	"github.com/tongban/tongban"
)

// Process is the listing's steps as the workflow walks them. Case.Step
// indexes Steps. Acceptance (受理) is done by the accept action and the
// conclusion (办结) by issue; 特别程序 steps are run with the special-procedure
// actions and never block. The rest are decision steps, worked in order by
// the back office; the last one decides.
type Process struct {
	Steps  []tongban.Step
	decide []int // indices of decision steps, in order
}

// ProcessOf returns the listing's process. A listing without a decision
// step (an imported bare list, a 即办件 with only 受理) gets one 审查决定
// step after its acceptance steps, so every case has somewhere to decide.
func ProcessOf(l *tongban.Listing) Process {
	steps := slices.Clone(l.Steps)
	p := Process{Steps: steps}
	for i, s := range steps {
		if isDecision(s) {
			p.decide = append(p.decide, i)
		}
	}
	if len(p.decide) == 0 {
		at := 0
		for at < len(steps) && steps[at].Role == tongban.StepAccept {
			at++
		}
		p.Steps = slices.Insert(steps, at, tongban.Step{Name: "审查决定", Role: tongban.StepDecide, CountsTowardLimit: true})
		p.decide = []int{at}
	}
	return p
}

func isDecision(s tongban.Step) bool {
	switch s.Role {
	case tongban.StepAccept, tongban.StepConclude, tongban.StepSpecial:
		return false
	}
	return true
}

// First is the step a case waits at once accepted.
func (p Process) First() int { return p.decide[0] }

// Last is the deciding step.
func (p Process) Last() int { return p.decide[len(p.decide)-1] }

// IsLast reports whether step is the deciding step.
func (p Process) IsLast(step int) bool { return step == p.Last() }

// Next is the decision step after step.
func (p Process) Next(step int) (int, bool) {
	for _, i := range p.decide {
		if i > step {
			return i, true
		}
	}
	return 0, false
}

// Conclusion is the 办结 step, if the listing names one.
func (p Process) Conclusion() (int, bool) {
	for i, s := range p.Steps {
		if s.Role == tongban.StepConclude {
			return i, true
		}
	}
	return 0, false
}

// Name is the step's name, or "" out of range.
func (p Process) Name(step int) string {
	if step < 0 || step >= len(p.Steps) {
		return ""
	}
	return p.Steps[step].Name
}

// reviewState is the state of an accepted case at step: waiting at the
// first decision step is 已受理, any later one 审查中.
func (p Process) reviewState(step int) tongban.CaseState {
	if step <= p.First() {
		return tongban.CaseAccepted
	}
	return tongban.CaseInReview
}
