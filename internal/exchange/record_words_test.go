package exchange

import (
	"slices"
	"testing"

	"github.com/tongban/tongban"
)

// A sign-in's release and the account's items are stored by key; the
// person's record names them in words, and leaves what is stored in words
// (a shared resource's items, a licence's type) as it is.
func TestRecordNamesAccountItemsInWords(t *testing.T) {
	names := map[string]string{"GA-HJXX": "户籍信息（广安市公安局）"}
	for resource, want := range map[string]string{
		"oidc:gaj-portal":     "统一身份认证登录信息",
		"GA-HJXX":             "户籍信息（广安市公安局）",
		"GA-HJXX,SCJG-QYDJ":   "户籍信息（广安市公安局）、SCJG-QYDJ",
		"51160020260001234X1": "51160020260001234X1",
	} {
		if got := describe(resource, names); got != want {
			t.Errorf("describe(%q) = %q, want %q", resource, got, want)
		}
	}
	got := inWords([]string{"name", "phone", "id_number", "户籍地址", "食品经营许可证"})
	want := []string{"姓名", "手机号码", "居民身份证号", "户籍地址", "食品经营许可证"}
	if !slices.Equal(got, want) {
		t.Errorf("inWords = %q, want %q", got, want)
	}
	if inWords(nil) != nil {
		t.Error("no fields should name none")
	}
}

// The page names the organisation under the user of the data once: not
// again when the user's name already says it (a window's staff).
func TestRecordNamesTheOrgOnce(t *testing.T) {
	for _, c := range []struct{ actor, org, want string }{
		{"综合受理一号窗口 综合窗口受理", "综合受理一号窗口", ""},
		{"李四(clerk1)", "综合受理一号窗口", "综合受理一号窗口"},
		{"广安市公安局 承办人员", "广安市公安局", ""},
		{"政务服务网", "", ""},
	} {
		u := UseRow{DataUse: &tongban.DataUse{ActorName: c.actor, OrgName: c.org}}
		if got := u.OrgNote(); got != c.want {
			t.Errorf("actor %q at %q: note %q, want %q", c.actor, c.org, got, c.want)
		}
	}
}
