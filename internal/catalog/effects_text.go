package catalog

import (
	"strings"

	"github.com/tongban/tongban"
)

// EffectsText writes a situation answer's effects the way an admin types
// them in one cell of the edit form or a file: 增加:m3;删除:m2;替换:m2>m5;条件:文字.
func EffectsText(es []tongban.Effect) string { return effectsCell(es) }

// ParseEffects reads EffectsText's syntax; each problem is one message.
func ParseEffects(text string) ([]tongban.Effect, []string) {
	p := &rowParser{}
	es := p.effects(0, text)
	var msgs []string
	for _, e := range p.errs {
		msgs = append(msgs, strings.TrimPrefix(e.Message, "第1条："))
	}
	return es, msgs
}
