package notify_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode reads the newest code from the SMS sink, as a person trying the
// demo would.
func (w *world) lastCode() string {
	w.t.Helper()
	texts := w.texts()
	if len(texts) == 0 {
		w.t.Fatal("no SMS in the sink")
	}
	code := sixDigits.FindString(texts[len(texts)-1][1])
	if code == "" {
		w.t.Fatalf("no code in %q", texts[len(texts)-1][1])
	}
	return code
}

func TestOneTimeCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		phone := w.li.Phone
		w.must(w.codes.Send(w.ctx, tongban.CodeBindPhone, phone, w.li.ID, "10.0.0.1"))
		code := w.lastCode()
		if texts := w.texts(); texts[0][0] != "13900139000" || !strings.HasPrefix(texts[0][1], "【通办】您正在绑定手机号") {
			t.Errorf("SMS: %v", texts)
		}

		// Only a keyed hash is kept; the message log blanks the code.
		var stored string
		w.must(w.st.DB().QueryRowContext(w.ctx, `SELECT mac FROM one_time_codes`).Scan(&stored))
		if strings.Contains(stored, code) || len(stored) != 64 {
			t.Errorf("stored %q for code %s", stored, code)
		}
		msgs, _ := w.st.Messages(w.ctx, w.li.ID, 10)
		if len(msgs) != 1 || strings.Contains(msgs[0].Body, code) || !strings.Contains(msgs[0].Body, "******") {
			t.Errorf("message log: %+v", msgs)
		}

		// Another number's or another purpose's code does not fit; another
		// account may not use it.
		if _, err := w.codes.Check(w.ctx, tongban.CodeResetPassword, phone, code, 0); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("another purpose: %v", err)
		}
		if _, err := w.codes.Check(w.ctx, tongban.CodeBindPhone, phone, code, w.zhang.ID); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("another account: %v", err)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		_, err := w.codes.Check(w.ctx, tongban.CodeBindPhone, phone, wrong, w.li.ID)
		if !tongban.IsCode(err, tongban.EInvalid) || !strings.Contains(tongban.AsError(err).Message, "还可尝试4次") ||
			tongban.AsError(err).Field != "code" {
			t.Errorf("a wrong code: %v", err)
		}
		if _, err := w.codes.Redeem(w.ctx, tongban.CodeBindPhone, phone, code, w.li.ID); err != nil {
			t.Fatalf("the right code: %v", err)
		}
		if _, err := w.codes.Redeem(w.ctx, tongban.CodeBindPhone, phone, code, w.li.ID); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("the code again: %v", err)
		}

		// One code a minute to a number.
		err = w.codes.Send(w.ctx, tongban.CodeBindPhone, phone, w.li.ID, "10.0.0.1")
		if !tongban.IsCode(err, tongban.ETooManyTries) || !strings.Contains(tongban.AsError(err).Message, "1分钟") {
			t.Errorf("a second code within a minute: %v", err)
		}
		w.clock.Advance(61 * time.Second)
		w.must(w.codes.Send(w.ctx, tongban.CodeBindPhone, phone, w.li.ID, "10.0.0.1"))
		code = w.lastCode()

		// Five tries, counted before each comparison: then even the right
		// code is refused.
		for i := range notify.CodeTries {
			_, err := w.codes.Check(w.ctx, tongban.CodeBindPhone, phone, wrong, w.li.ID)
			if err == nil {
				t.Fatalf("try %d passed", i+1)
			}
		}
		if _, err := w.codes.Check(w.ctx, tongban.CodeBindPhone, phone, code, w.li.ID); !tongban.IsCode(err, tongban.ETooManyTries) {
			t.Errorf("the right code after five wrong ones: %v", err)
		}

		// Five minutes, then gone.
		w.clock.Advance(61 * time.Second)
		w.must(w.codes.Send(w.ctx, tongban.CodeBindPhone, phone, w.li.ID, "10.0.0.1"))
		code = w.lastCode()
		w.clock.Advance(notify.CodeTTL + time.Second)
		if _, err := w.codes.Check(w.ctx, tongban.CodeBindPhone, phone, code, w.li.ID); !tongban.IsCode(err, tongban.EInvalid) ||
			!strings.Contains(tongban.AsError(err).Message, "失效") {
			t.Errorf("an expired code: %v", err)
		}

		// Five an hour to a number.
		for range 2 {
			w.clock.Advance(61 * time.Second)
			w.must(w.codes.Send(w.ctx, tongban.CodeResetPassword, phone, 0, "10.0.0.2"))
		}
		w.clock.Advance(61 * time.Second)
		if err := w.codes.Send(w.ctx, tongban.CodeResetPassword, phone, 0, "10.0.0.3"); !tongban.IsCode(err, tongban.ETooManyTries) {
			t.Errorf("a sixth code within the hour: %v", err)
		}
		for _, bad := range []string{"12345", "1234567", "12a456", ""} {
			if _, err := w.codes.Check(w.ctx, tongban.CodeResetPassword, phone, bad, 0); !tongban.IsCode(err, tongban.EInvalid) {
				t.Errorf("%q: %v", bad, err)
			}
		}
		if err := w.codes.Send(w.ctx, tongban.CodeBindPhone, "02558888888", 0, ""); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("a landline: %v", err)
		}
	})
}
