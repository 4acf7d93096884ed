package exchange

import (
	"slices"
	"testing"
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
