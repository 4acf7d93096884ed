package catalog

import "testing"

func TestFieldLabel(t *testing.T) {
	t.Parallel()
	for field, want := range map[string]string{
		"promised_days":      columnByKey[colPromisedDays].Header,
		"materials[1].name":  columnByKey["materials"].Header + "第2项",
		"name":               columnByKey[colListingName].Header,
		"no_such_field[0].x": "no_such_field[0].x",
	} {
		if got := FieldLabel(field); got != want || got == "" {
			t.Errorf("FieldLabel(%q) = %q, want %q", field, got, want)
		}
	}
	if FieldLabel("promised_days") != "承诺时限" {
		t.Errorf("promised_days is %q", FieldLabel("promised_days"))
	}
}
