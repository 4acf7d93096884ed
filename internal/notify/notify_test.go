package notify_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// world: a district department, a citizen who proved her phone and one who
// did not, an SMS sink file, a mail relay and a publisher run by hand.
type world struct {
	t      *testing.T
	ctx    context.Context
	st     *store.Store
	clock  *tongban.ManualClock
	dept   *tongban.Org
	zhang  *tongban.User // phone verified
	li     *tongban.User // phone typed at registration, never proved
	sink   *notify.FileSMS
	relay  *smtpServer
	svc    *notify.Service
	codes  *notify.Codes
	pub    *outbox.Publisher
	number int
}

// 10:00 China time on a working day.
var t0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, d sqldb.Dialect) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), st: storetest.Open(t, d), clock: tongban.NewManualClock(t0)}
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"},
		{Code: "511602000000", Name: "广安区"}} {
		w.must(w.st.CreateRegion(w.ctx, &r))
	}
	w.dept = &tongban.Org{Code: "gaq-scjgj", Name: "广安区市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511602000000"}
	w.must(w.st.CreateOrg(w.ctx, w.dept))
	w.zhang = w.citizen("张三", "511602199003071232", "13800138000", true)
	w.li = w.citizen("李四", "11010519491231002X", "13900139000", false)
	w.sink = &notify.FileSMS{Path: filepath.Join(t.TempDir(), "sms.log"), Clock: w.clock}
	w.relay = startSMTP(t)
	mailer := &notify.SMTPMailer{Addr: w.relay.addr, From: "通办 <noreply@zwfw.gaq.gov.cn>", Security: notify.SMTPStartTLS,
		User: w.relay.user, Password: w.relay.password, TLS: &tls.Config{RootCAs: w.relay.roots, ServerName: "127.0.0.1"}}
	w.svc = &notify.Service{Store: w.st, Clock: w.clock, Log: quiet, SMS: w.sink, Mail: mailer}
	w.codes = &notify.Codes{Store: w.st, Clock: w.clock, SMS: w.sink, Key: []byte("a key derived from the platform secret"), Log: quiet}
	w.pub = &outbox.Publisher{Store: w.st, Clock: w.clock, Log: quiet, Consumers: []outbox.Consumer{w.svc},
		Workers: []outbox.Worker{w.svc}}
	w.run() // the cursor starts here
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) citizen(name, id, phone string, verified bool) *tongban.User {
	w.t.Helper()
	idn, err := tongban.ParseIDNumber(id)
	w.must(err)
	p, err := tongban.ParsePhone(phone)
	w.must(err)
	u := &tongban.User{Kind: tongban.UserCitizen, Name: name, IDNumber: idn, Phone: p, PasswordHash: "x", CreatedAt: w.clock.Now()}
	w.must(w.st.CreateUser(w.ctx, u))
	if verified {
		w.must(w.st.MarkPhoneVerified(w.ctx, u.ID, p, w.clock.Now()))
	}
	return u
}

func (w *world) run() {
	w.t.Helper()
	w.must(w.pub.RunOnce(w.ctx))
}

// caseEvent commits a case event of u's case, as the workflow would.
func (w *world) caseEvent(u *tongban.User, number string, action tongban.CaseAction, to tongban.CaseState, reason string) {
	w.t.Helper()
	a := workflow.CaseAnnouncement{Number: number, Action: action, To: to, ItemName: "食品经营许可", OrgID: w.dept.ID,
		UserID: u.ID, Reason: reason, DueDate: "2026-03-16", At: w.clock.Now()}
	w.must(outbox.Append(w.ctx, w.st, "case."+string(action), "case:"+number,
		outbox.Scope{RegionCode: w.dept.RegionCode, OrgID: w.dept.ID}, w.clock.Now(), a))
}

// texts returns the sink's lines: number and text.
func (w *world) texts() [][2]string {
	w.t.Helper()
	f, err := os.Open(w.sink.Path)
	if os.IsNotExist(err) {
		return nil
	}
	w.must(err)
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			w.t.Fatalf("sink line %q", sc.Text())
		}
		out = append(out, [2]string{parts[1], parts[2]})
	}
	return out
}

// Case events reach the applicant's inbox (one entry per case, kept up to
// date), by SMS to a proved phone in daytime, and by email to the address
// they gave; a person who never proved their phone gets no SMS.
func TestCaseEventsNotifyTheApplicant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		w.must(w.st.SetNotifyPrefs(w.ctx, &tongban.NotifyPrefs{UserID: w.zhang.ID, Email: "zhangsan@example.cn",
			UpdatedAt: w.clock.Now()}))
		const number = "511602000000-20260302-000001"
		w.caseEvent(w.zhang, number, tongban.ActionSubmit, tongban.CaseSubmitted, "")
		w.caseEvent(w.zhang, number, tongban.ActionAccept, tongban.CaseAccepted, "")
		w.caseEvent(w.li, "511602000000-20260302-000002", tongban.ActionAccept, tongban.CaseAccepted, "")
		w.run()

		inbox, err := w.st.Notifications(w.ctx, w.zhang.ID, false, 10, 0)
		w.must(err)
		if len(inbox) != 1 || inbox[0].Title != "申请已受理" || inbox[0].Subject != "case:"+number || inbox[0].Read ||
			!strings.Contains(inbox[0].Body, "承诺于 2026-03-16 前办结") || inbox[0].Link != "/cases/"+number {
			t.Fatalf("inbox: %+v", inbox)
		}
		texts := w.texts()
		if len(texts) != 1 || texts[0][0] != "13800138000" || !strings.HasPrefix(texts[0][1], "【通办】您申请的“食品经营许可”") ||
			!strings.Contains(texts[0][1], "已受理") {
			t.Fatalf("SMS: %v (李四 never proved her phone: none for her)", texts)
		}
		mails := w.relay.received()
		if len(mails) != 1 || mails[0].to[0] != "zhangsan@example.cn" {
			t.Fatalf("mail: %+v", mails)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(mails[0].msg.Header.Get("Subject"))
		w.must(err)
		body := decodeBase64(t, mails[0].body)
		if subject != "申请已受理 - 通办" || !strings.Contains(body, number) {
			t.Errorf("mail subject %q body %q", subject, body)
		}
		if inbox, _ := w.st.Notifications(w.ctx, w.li.ID, false, 10, 0); len(inbox) != 1 {
			t.Errorf("李四's inbox: %d entries", len(inbox))
		}

		// The applicant reads it; the next event makes it unread again.
		w.must(w.st.MarkRead(w.ctx, w.zhang.ID, inbox[0].ID, w.clock.Now()))
		if n, _ := w.st.CountUnread(w.ctx, w.zhang.ID); n != 0 {
			t.Errorf("unread after reading: %d", n)
		}
		w.clock.Advance(time.Hour)
		w.caseEvent(w.zhang, number, tongban.ActionRequestCorrection, tongban.CaseAwaitingCorrection, "营业执照复印件不清晰")
		w.run()
		inbox, _ = w.st.Notifications(w.ctx, w.zhang.ID, true, 10, 0)
		if len(inbox) != 1 || inbox[0].Title != "请补正材料" || !strings.Contains(inbox[0].Body, "营业执照复印件不清晰") {
			t.Errorf("after 补正: %+v", inbox)
		}
		if n := len(w.texts()); n != 2 {
			t.Errorf("%d SMS after 补正, want 2", n)
		}
	})
}

// SMS wait for daytime; the inbox does not; codes never wait.
func TestSMSOnlyInDaytime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		w.clock.Set(time.Date(2026, 3, 2, 23, 30, 0, 0, time.FixedZone("CST", 8*3600)))
		w.caseEvent(w.zhang, "511602000000-20260302-000003", tongban.ActionClose, tongban.CaseClosed, "")
		w.run()
		if inbox, _ := w.st.Notifications(w.ctx, w.zhang.ID, false, 10, 0); len(inbox) != 2 {
			t.Fatalf("inbox at night: %d entries, want 办结 and the rating invitation", len(inbox))
		}
		if n := len(w.texts()); n != 0 {
			t.Fatalf("%d SMS at 23:30", n)
		}
		w.must(w.codes.Send(w.ctx, tongban.CodeBindPhone, w.zhang.Phone, w.zhang.ID, "10.0.0.1"))
		if texts := w.texts(); len(texts) != 1 || !strings.Contains(texts[0][1], "验证码") {
			t.Fatalf("a code at night: %v", texts)
		}
		w.clock.Set(time.Date(2026, 3, 3, 7, 59, 0, 0, time.FixedZone("CST", 8*3600)))
		w.run()
		if n := len(w.texts()); n != 1 {
			t.Fatalf("%d SMS at 07:59", n)
		}
		w.clock.Set(time.Date(2026, 3, 3, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)))
		w.run()
		texts := w.texts()
		if len(texts) != 3 || !strings.Contains(texts[1][1]+texts[2][1], "已办结") || !strings.Contains(texts[1][1]+texts[2][1], "评价") {
			t.Fatalf("at 08:00: %v", texts)
		}
	})
}

// A person turns off SMS for progress but keeps corrections; email off
// entirely. Noting the same event twice (a cursor moved back) sends nothing
// twice.
func TestPreferencesAndIdempotence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		off := []string{"sms:" + notify.CategoryProgress}
		for _, c := range notify.Categories {
			off = append(off, "email:"+c)
		}
		w.must(w.st.SetNotifyPrefs(w.ctx, &tongban.NotifyPrefs{UserID: w.zhang.ID, Email: "zhangsan@example.cn", Off: off,
			UpdatedAt: w.clock.Now()}))
		w.caseEvent(w.zhang, "511602000000-20260302-000004", tongban.ActionAccept, tongban.CaseAccepted, "")
		w.caseEvent(w.zhang, "511602000000-20260302-000004", tongban.ActionRequestCorrection, tongban.CaseAwaitingCorrection, "缺少平面图")
		w.run()
		texts := w.texts()
		if len(texts) != 1 || !strings.Contains(texts[0][1], "补正") {
			t.Fatalf("SMS: %v; want only the correction", texts)
		}
		if n := len(w.relay.received()); n != 0 {
			t.Errorf("%d mails with email turned off", n)
		}
		w.must(w.st.Transact(w.ctx, func(tx tongban.Store) error { return tx.SetOutboxCursor(w.ctx, "notify", 0, w.clock.Now()) }))
		w.run()
		if n := len(w.texts()); n != 1 {
			t.Errorf("noting the events again sent %d SMS in all, want still 1", n)
		}
		prefs, err := w.st.NotifyPrefs(w.ctx, w.zhang.ID)
		w.must(err)
		if prefs.Email != "zhangsan@example.cn" || prefs.Wants(tongban.MessageSMS, notify.CategoryProgress) ||
			!prefs.Wants(tongban.MessageSMS, notify.CategoryCorrection) {
			t.Errorf("prefs round trip: %+v", prefs)
		}
	})
}

// A mail relay that refuses for a while gets the message on a later try;
// the attempt is counted before each try.
func TestEmailRetried(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	w.must(w.st.SetNotifyPrefs(w.ctx, &tongban.NotifyPrefs{UserID: w.zhang.ID, Email: "zhangsan@example.cn", UpdatedAt: w.clock.Now()}))
	w.relay.setDown(true)
	w.caseEvent(w.zhang, "511602000000-20260302-000005", tongban.ActionIssue, tongban.CaseResultIssued, "")
	w.run()
	msgs, err := w.st.Messages(w.ctx, w.zhang.ID, 10)
	w.must(err)
	var mail *tongban.Message
	for _, m := range msgs {
		if m.Channel == tongban.MessageEmail {
			mail = m
		}
	}
	if mail == nil || mail.Status != tongban.MessageQueued || mail.Attempts != 1 || !strings.Contains(mail.LastError, "451") {
		t.Fatalf("after a refusal: %+v", mail)
	}
	w.relay.setDown(false)
	w.run() // not due yet
	if n := len(w.relay.received()); n != 0 {
		t.Fatalf("retried before its time: %d", n)
	}
	w.clock.Advance(outbox.RetryAfter(1))
	w.run()
	if n := len(w.relay.received()); n != 1 {
		t.Fatalf("after the retry: %d mails", n)
	}
	msgs, _ = w.st.Messages(w.ctx, w.zhang.ID, 10)
	for _, m := range msgs {
		if m.Channel == tongban.MessageEmail && (m.Status != tongban.MessageSent || m.Attempts != 2 || m.ToMasked != "z***@example.cn") {
			t.Errorf("mail log: %+v", m)
		}
	}
}

func decodeBase64(t *testing.T, b []byte) string {
	t.Helper()
	s, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(b))) // line breaks are skipped
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

func TestDaytime(t *testing.T) {
	d, err := notify.ParseDaytime("08:00-21:00")
	if err != nil || d != notify.DefaultDaytime || d.String() != "08:00-21:00" {
		t.Fatalf("parse: %v %v", d, err)
	}
	cst := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct{ at, want time.Time }{
		{time.Date(2026, 3, 2, 7, 0, 0, 0, cst), time.Date(2026, 3, 2, 8, 0, 0, 0, cst)},
		{time.Date(2026, 3, 2, 12, 0, 0, 0, cst), time.Date(2026, 3, 2, 12, 0, 0, 0, cst)},
		{time.Date(2026, 3, 2, 21, 0, 0, 0, cst), time.Date(2026, 3, 3, 8, 0, 0, 0, cst)},
		{time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 8, 0, 0, 0, cst)}, // 23:00 in China
	} {
		if got := d.Next(tc.at); !got.Equal(tc.want) {
			t.Errorf("Next(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
	for _, bad := range []string{"8-21", "21:00-08:00", "08:00-25:00", "早上八点"} {
		if _, err := notify.ParseDaytime(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// The template payload is the workflow's announcement; a test here keeps
// them in step.
func TestAnnouncementFieldsTemplatesRead(t *testing.T) {
	b, _ := json.Marshal(workflow.CaseAnnouncement{Number: "n", ItemName: "i", Reason: "r", DueDate: "d", UserID: 7})
	for _, field := range []string{`"number"`, `"item_name"`, `"reason"`, `"due_date"`, `"user_id"`, `"action"`, `"to"`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("the announcement lacks %s, which the templates read", field)
		}
	}
}
