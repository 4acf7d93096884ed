package notify

import (
	"fmt"
	"time"

	"github.com/tongban/tongban/internal/calendar"
)

// Daytime is when SMS may reach people, China time: notifications wait for
// it; one-time codes do not (the person is waiting for them).
type Daytime struct {
	From, To time.Duration // since midnight; From < To
}

// DefaultDaytime is 08:00–21:00.
var DefaultDaytime = Daytime{From: 8 * time.Hour, To: 21 * time.Hour}

// ParseDaytime reads "HH:MM-HH:MM".
func ParseDaytime(s string) (Daytime, error) {
	var h1, m1, h2, m2 int
	if _, err := fmt.Sscanf(s, "%d:%d-%d:%d", &h1, &m1, &h2, &m2); err != nil ||
		h1 < 0 || h1 > 23 || h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 {
		return Daytime{}, fmt.Errorf("%q: want HH:MM-HH:MM, e.g. 08:00-21:00", s)
	}
	d := Daytime{From: time.Duration(h1)*time.Hour + time.Duration(m1)*time.Minute,
		To: time.Duration(h2)*time.Hour + time.Duration(m2)*time.Minute}
	if d.From >= d.To || d.To > 24*time.Hour {
		return Daytime{}, fmt.Errorf("%q: the start must come before the end, within one day", s)
	}
	return d, nil
}

func (d Daytime) String() string {
	f := func(x time.Duration) string { return fmt.Sprintf("%02d:%02d", int(x.Hours()), int(x.Minutes())%60) }
	return f(d.From) + "-" + f(d.To)
}

// Next is t when t falls within the hours, otherwise when they next begin.
func (d Daytime) Next(t time.Time) time.Time {
	local := t.In(calendar.Location())
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	since := local.Sub(midnight)
	switch {
	case since < d.From:
		return midnight.Add(d.From)
	case since >= d.To:
		return midnight.AddDate(0, 0, 1).Add(d.From)
	}
	return t
}
