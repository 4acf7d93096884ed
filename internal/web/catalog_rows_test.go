package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

// rowOp posts the edit form with one row button pressed; the page comes
// back with the rows changed and nothing saved.
func rowOp(t *testing.T, b *browser, l *tongban.Listing, form url.Values, op string) (url.Values, string) {
	t.Helper()
	form.Set("row_op", op)
	status, page, _ := catalogPost(b, editPath(l), editPath(l), form)
	form.Del("row_op")
	if status != http.StatusOK {
		t.Fatalf("%s: status %d\n%s", op, status, errorOf(page))
	}
	next := pageForm(page, "listing-form")
	next.Del("csrf_token")
	return next, page
}

// Materials, steps, fees and situations are table rows: rows are added,
// moved and removed by buttons that post back (no JavaScript needed),
// nothing is stored until 保存, and the saved listing has the rows in the
// order shown.
func TestCatalogRowsAddMoveRemoveAndSave(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	b.signIn("catalog")
	l := guideListing(t, a, "食品经营许可证核发", "511621000000")
	_, page := b.get(editPath(l))
	pageHas(t, "edit page", page, `id="table-materials"`, `id="table-steps"`, `id="table-situations"`, `id="add-fees"`,
		`name="materials[1].standard"`, `<option value="BZ0301" selected>BZ0301 营业执照</option>`,
		`name="steps[2].other_actor" value="是" aria-label="办理流程第3行 另人办理" checked`, `value="steps[0].up"`)
	if strings.Contains(page, `<textarea name="materials"`) || strings.Contains(page, "编号|材料名称") {
		t.Error("the edit page still asks for pipe-delimited materials")
	}
	form := listingForm(t, b, l)
	if got := form.Get("materials[1].name"); got != "营业执照" {
		t.Fatalf("materials[1].name = %q", got)
	}

	// Add a material: a new row with the next free key, 必要, one copy.
	form, page = rowOp(t, b, l, form, "materials.add")
	n := len(l.Materials)
	if form.Get(rowKey("materials", n, "key")) != "m11" || form.Get(rowKey("materials", n, "required")) != "必要" ||
		form.Get(rowKey("materials", n, "copies")) != "1" {
		t.Errorf("new material row: key %q required %q copies %q", form.Get(rowKey("materials", n, "key")),
			form.Get(rowKey("materials", n, "required")), form.Get(rowKey("materials", n, "copies")))
	}
	if now, _ := a.Store.Listing(ctx, l.ID); now.Version != l.Version {
		t.Error("adding a row saved the listing")
	}
	form.Set(rowKey("materials", n, "name"), "居民身份证")
	form.Set(rowKey("materials", n, "standard"), "BZ0101")
	form.Set(rowKey("materials", n, "form"), "原件")
	form.Set(rowKey("materials", n, "type"), "证照")
	form.Set(rowKey("materials", n, "source"), "申请人自备")
	form.Set(rowKey("materials", n, "review_criteria"), "核验原件，与申请人一致")

	// Move it to the top, then move the review step after the decision and
	// back; remove the last situation answer row and add a fee.
	for i := n; i > 0; i-- {
		form, _ = rowOp(t, b, l, form, rowKey("materials", i, "up"))
	}
	if form.Get("materials[0].name") != "居民身份证" || form.Get("materials[1].name") != "食品经营许可申请书" {
		t.Errorf("after moving up: %q, %q", form.Get("materials[0].name"), form.Get("materials[1].name"))
	}
	form, _ = rowOp(t, b, l, form, "steps[1].down")
	if form.Get("steps[1].name") != "许可决定" || form.Get("steps[2].name") != "审查（含现场核查）" {
		t.Errorf("after moving down: %q, %q", form.Get("steps[1].name"), form.Get("steps[2].name"))
	}
	form, _ = rowOp(t, b, l, form, "steps[2].up")
	answers := 0
	for _, s := range l.Situations {
		answers += len(s.Answers)
	}
	form, _ = rowOp(t, b, l, form, rowKey("situations", answers-1, "remove"))
	if form.Get(rowKey("situations", answers-1, "key")) != "" {
		t.Error("the removed situation row is still there")
	}
	// The removed answer's effect rows go too, last first.
	gone := l.Situations[len(l.Situations)-1]
	goneAnswer := gone.Answers[len(gone.Answers)-1]
	effects := 0
	for _, s := range l.Situations {
		for _, a := range s.Answers {
			effects += len(a.Effects)
		}
	}
	removed := 0
	for i := effects - 1; i >= 0; i-- {
		if form.Get(rowKey("effects", i, "situation")) == gone.Key && form.Get(rowKey("effects", i, "answer")) == goneAnswer.Key {
			form, _ = rowOp(t, b, l, form, rowKey("effects", i, "remove"))
			removed++
		}
	}
	if removed != len(goneAnswer.Effects) {
		t.Errorf("removed %d effect rows of %s=%s; it has %d effects", removed, gone.Key, goneAnswer.Key, len(goneAnswer.Effects))
	}
	form, _ = rowOp(t, b, l, form, "fees.add")
	// A fee row added and left empty is dropped on saving.
	form.Set("reason", "增加身份证并调整顺序")
	status, page, _ := catalogPost(b, editPath(l), editPath(l), form)
	if status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", status, errorOf(page))
	}
	now, err := a.Store.Listing(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != l.Version+1 {
		t.Errorf("version %d, want %d", now.Version, l.Version+1)
	}
	if len(now.Materials) != n+1 || now.Materials[0].Name != "居民身份证" || now.Materials[0].Key != "m11" ||
		now.Materials[0].Standard != "BZ0101" || now.Materials[0].Form != tongban.FormOriginal || now.Materials[1].Key != "m1" {
		t.Errorf("materials after save: %+v", now.Materials[:2])
	}
	if now.Steps[1].Name != l.Steps[1].Name || !now.Steps[2].OtherActor || len(now.Fees) != 0 {
		t.Errorf("steps or fees after save: %+v %+v", now.Steps, now.Fees)
	}
	last := now.Situations[len(now.Situations)-1]
	was := l.Situations[len(l.Situations)-1]
	if len(last.Answers) != len(was.Answers)-1 {
		t.Errorf("last situation has %d answers, want %d", len(last.Answers), len(was.Answers)-1)
	}
	// Everything else is as it was: the rows round-trip.
	if now.Situations[0].Answers[0].Effects[0].MaterialKey != "m6" || now.Steps[2].Post != l.Steps[2].Post {
		t.Errorf("situations or steps changed: %+v", now.Situations[0])
	}
}

func rowKey(table string, i int, col string) string { return fmt.Sprintf("%s[%d].%s", table, i, col) }

// Errors name the row and the field by their Chinese labels, every bad
// cell at once, and nothing is saved.
func TestCatalogRowsErrorsNameRowAndField(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	b.signIn("catalog")
	l := guideListing(t, a, "食品经营许可证核发", "511621000000")
	form := listingForm(t, b, l)
	form.Set("materials[2].name", "")
	form.Set("materials[3].key", "m1")
	form.Set("materials[4].copies", "两份")
	form.Set("steps[1].days", "-1")
	form.Set("effects[0].answer", "a9")
	form.Set("effects[1].op", "")
	form.Set("situations[2].depends_on", "s1")
	form.Set("steps[4].name", "归档")
	status, page, _ := catalogPost(b, editPath(l), editPath(l), form)
	if status != http.StatusBadRequest {
		t.Fatalf("status %d", status)
	}
	pageHas(t, "refused rows", page, `id="row-errors"`,
		"申请材料第3行“材料名称”：材料名称不能为空",
		"申请材料第5行“份数”：份数应为非负整数",
		"办理流程第2行“时限（工作日）”：时限（工作日）应为非负整数",
		"情形效果第1行“答案编号”：情形“"+l.Situations[0].Key+"”没有编号为“a9”的答案",
		"情形效果第2行“效果”：请选择效果",
		"情形第3行“显示条件（如 s1=a1）”：应写作 情形编号=答案编号",
		"办理流程：办理流程最多 4 个环节，现有 5 个")
	if strings.Contains(page, "materials[2].name：") || strings.Contains(page, "copies") && strings.Contains(page, "copies：") {
		t.Error("an error names a field by its code")
	}
	// Cell errors sit next to their inputs.
	if !strings.Contains(page, `name="materials[2].name" value="" aria-label="申请材料第3行 材料名称" aria-invalid="true"`) {
		t.Error("the empty name is not marked on its cell")
	}
	if now, _ := a.Store.Listing(ctx, l.ID); now.Version != l.Version {
		t.Error("a refused save changed the listing")
	}

	// A key used twice is found by the listing's own rules, on its row.
	form = listingForm(t, b, l)
	form.Set("materials[3].key", "m1")
	_, page, _ = catalogPost(b, editPath(l), editPath(l), form)
	pageHas(t, "duplicate key", page, "申请材料第4行“编号”：材料编号重复：m1")

	// An unknown standard material is refused by the catalog, on its cell.
	form = listingForm(t, b, l)
	form.Set("materials[0].standard", "BZ9999")
	status, page, _ = catalogPost(b, editPath(l), editPath(l), form)
	if status != http.StatusBadRequest || !strings.Contains(page, "标准材料“BZ9999”不在标准材料目录中") {
		t.Errorf("unknown standard: %d %q", status, errorOf(page))
	}
	// Unknown operations are refused, not guessed.
	form = listingForm(t, b, l)
	form.Set("row_op", "materials[99].up")
	if status, _, _ = catalogPost(b, editPath(l), editPath(l), form); status != http.StatusBadRequest {
		t.Errorf("row op on a missing row: %d", status)
	}
}
