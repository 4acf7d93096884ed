package calendar

import "testing"

func TestWarning(t *testing.T) {
	tests := []struct {
		promised, remaining int
		want                Level
	}{
		{20, 20, OK},
		{20, 5, OK},
		{20, 4, Yellow}, // 20% of 20
		{20, 0, Yellow}, // due today
		{20, -1, Red},
		{7, 2, OK}, // 20% of 7 is 1.4: rounded down to 1
		{7, 1, Yellow},
		{5, 2, OK},
		{5, 1, Yellow},
		{3, 1, Yellow}, // window is at least one day
		{1, 1, Yellow},
		{0, 0, Yellow}, // 即办件 on its day
		{0, -1, Red},
		{-5, 0, Yellow},
		{60, 13, OK},
		{60, 12, Yellow},
	}
	for _, tt := range tests {
		if got := Warning(tt.promised, tt.remaining); got != tt.want {
			t.Errorf("Warning(%d, %d) = %v, want %v", tt.promised, tt.remaining, got, tt.want)
		}
	}
	if Red.String() != "red" || Yellow.Label() != "预警" || OK.Label() != "正常" || Level(9).String() != "unknown" {
		t.Error("labels")
	}
}
