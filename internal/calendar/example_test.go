package calendar_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/calendar"
)

func ExampleSchedule_Due() {
	s := calendar.Default()
	accepted := time.Date(2025, 9, 30, 10, 0, 0, 0, calendar.Location())

	// 10-01..10-08 are off; 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14.
	fmt.Println(s.Due(accepted, 5, nil).Due)

	// 补正 from 10-09 to 10-10 stops the clock on 10-10: one day later.
	pause := calendar.Pause{From: accepted.AddDate(0, 0, 9), To: accepted.AddDate(0, 0, 10)}
	fmt.Println(s.Due(accepted, 5, []calendar.Pause{pause}).Due)

	// Running into 2027, whose notice is not loaded yet.
	r := s.Due(time.Date(2026, 12, 28, 10, 0, 0, 0, calendar.Location()), 5, nil)
	fmt.Println(r.Due, r.Provisional)
	// Output:
	// 2025-10-14
	// 2025-10-15
	// 2027-01-04 true
}

func ExampleParseCSV() {
	_, err := calendar.ParseCSV(strings.NewReader(
		"date,kind,name\n2025-10-01,holiday,国庆节\n2025/10/02,holiday,国庆节\n2025-10-09,workday,国庆节\n"))
	fmt.Println(err)
	// Output:
	// invalid [date]: 第3行 date: 日期格式应为 YYYY-MM-DD，实为 "2025/10/02"
	// invalid [kind]: 第4行 kind: 2025-10-09 是星期四，本来就是工作日，不能设为调休上班日
}
