package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/workflow"
)

// The clerk issues her window's device a token in the console; the tablet
// pairs with it, shows the counter submission she just took (her name
// masked, nothing of the applicant) and takes 张三's rating through the
// window_device channel; rated, it waits for the next service; revoked, it
// is refused.
func TestWindowDeviceInTheConsoleAndOnTheTablet(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	clerk := s.as("clerk")
	_, body := clerk.get("/console/window-devices")
	mustContain(t, "device page", body, `id="device-form"`, `name="window_id"`)
	status, body, _ := clerk.post("/console/window-devices", "/console/window-devices", url.Values{"label": {" "}})
	if status != http.StatusBadRequest || !strings.Contains(body, "请选择办事窗口") && !strings.Contains(body, "请填写评价器名称") {
		t.Fatalf("no window, no label: %d %s", status, errorOf(body))
	}
	window := regexp.MustCompile(`<option value="(\d+)">`).FindStringSubmatch(body)
	if window == nil {
		t.Fatalf("no window offered: %s", body)
	}
	status, body, _ = clerk.post("/console/window-devices", "/console/window-devices", url.Values{"window_id": {window[1]}, "label": {"1号窗口评价器"}})
	token := regexp.MustCompile(`id="device-token-value">([0-9a-f]{48})<`).FindStringSubmatch(body)
	if status != http.StatusCreated || token == nil {
		t.Fatalf("issue: %d %s", status, errorOf(body))
	}
	if status, _ := s.as("approver").get("/console/window-devices"); status != http.StatusForbidden {
		t.Errorf("an approver on the device page: %d", status)
	}

	// The tablet, signed in as nobody.
	tablet := s.as("clerk").another()
	if status, body := tablet.get("/window/rate"); status != http.StatusUnauthorized || !strings.Contains(body, "尚未登记") {
		t.Errorf("unpaired tablet: %d %s", status, errorOf(body))
	}
	_, pair := tablet.get("/window/pair")
	mustContain(t, "pair page", pair, `id="pair"`)
	if status, body, _ := tablet.post("/window/pair", "/window/pair", url.Values{"token": {strings.Repeat("0", 48)}}); status != http.StatusBadRequest || !strings.Contains(body, "令牌无效") {
		t.Errorf("a forged token: %d %s", status, errorOf(body))
	}
	if status, _, loc := tablet.post("/window/pair", "/window/pair", url.Values{"token": {token[1]}}); status != http.StatusSeeOther || loc != "/window/rate" {
		t.Fatalf("pair: %d → %s", status, loc)
	}
	_, body = tablet.get("/window/rate")
	mustContain(t, "idle tablet", body, `id="window-idle"`)

	// 张三 hands his application in at the clerk's window: a visit.
	var ms []tongban.CaseMaterial
	for _, k := range []string{"m1", "m2", "m3", "m4"} {
		ms = append(ms, tongban.CaseMaterial{Key: k, Status: tongban.MaterialProvided})
	}
	zhang := s.user(demo.Citizen.IDNumber)
	c, err := s.app.Workflow.Submit(ctx, workflow.Request{Actor: s.user("clerk")}, workflow.Application{ListingID: s.foodListing().ID,
		Channel: tongban.ChannelCounter, ApplicantID: zhang.ID, Materials: ms})
	if err != nil {
		t.Fatal(err)
	}
	_, body = tablet.get("/window/rate")
	clerkName := s.user("clerk").Name
	mustContain(t, "tablet", body, `id="window-encounter"`, "食品经营许可", `name="ind_服务态度"`, tongban.MaskName(clerkName))
	for _, secret := range []string{clerkName, zhang.Name, c.Number} {
		if strings.Contains(body, secret) {
			t.Errorf("the tablet shows %q", secret)
		}
	}
	enc := regexp.MustCompile(`name="encounter" value="(\d+)"`).FindStringSubmatch(body)
	if enc == nil {
		t.Fatal("no encounter in the form")
	}
	formToken := tablet.csrf(body) // the form a second tap sends again
	if status, body, _ := tablet.post("/window/rate", "/window/rate", url.Values{"encounter": {enc[1]}, "level": {"2"}}); status != http.StatusBadRequest || !strings.Contains(body, "差评须选择或填写原因") {
		t.Errorf("a 差评 without a reason: %d %s", status, errorOf(body))
	}
	if status, _, loc := tablet.post("/window/rate", "/window/rate", url.Values{"encounter": {enc[1]}, "level": {"5"}, "ind_服务态度": {"5"}}); status != http.StatusSeeOther || loc != "/window/rate?done=1" {
		t.Fatalf("rate: %d → %s", status, loc)
	}
	rs, err := s.app.Store.CaseRatings(ctx, c.ID)
	if err != nil || len(rs) != 1 || rs[0].Channel != tongban.RatingWindowDevice || rs[0].RaterID != zhang.ID || rs[0].Encounter != enc[1] {
		t.Fatalf("stored ratings = %+v, %v", rs, err)
	}
	_, body = tablet.get("/window/rate?done=1")
	mustContain(t, "after rating", body, `id="window-rate-done"`, `id="window-idle"`)
	// Rated again (a second tap): the refusal is shown, though the tablet
	// has no encounter to show a form for now.
	resp, err := tablet.c.PostForm(tablet.base+"/window/rate", url.Values{"encounter": {enc[1]}, "level": {"4"}, "csrf_token": {formToken}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	status, body = resp.StatusCode, string(b)
	if status != http.StatusConflict {
		t.Errorf("rating it again: %d", status)
	}
	mustContain(t, "rating it again", body, `id="window-idle"`,
		`<p class="error" role="alert" id="window-rate-error">该次服务已评价，或窗口已开始新的服务，请在评价器上重新评价</p>`)

	// Revoked in the console: the tablet is refused.
	ds, err := s.app.Store.WindowDevices(ctx, []int64{s.user("clerk").Roles[0].OrgID})
	if err != nil || len(ds) != 1 {
		t.Fatalf("devices: %v %v", ds, err)
	}
	if status, _, _ := clerk.post("/console/window-devices", "/console/window-devices/"+itoa(ds[0].ID)+"/revoke", nil); status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", status)
	}
	if status, body := tablet.get("/window/rate"); status != http.StatusUnauthorized || !strings.Contains(body, "已停用") {
		t.Errorf("revoked tablet: %d %s", status, errorOf(body))
	}
}
