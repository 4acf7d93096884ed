package calendar

// Verdict says whether a date is a working day and why, for people.
type Verdict struct {
	Date        Date   `json:"date"`
	Workday     bool   `json:"workday"`
	Provisional bool   `json:"provisional"`    // the year's notice is not loaded
	Kind        Kind   `json:"kind,omitempty"` // set when the notice lists the date
	Name        string `json:"name,omitempty"` // the festival, when listed
	Reason      string `json:"reason"`         // e.g. 调休上班：国庆节, 星期六
}

// Explain returns the verdict on d.
func (s *Schedule) Explain(d Date) Verdict {
	work, prov := s.isWorkday(d)
	v := Verdict{Date: d, Workday: work, Provisional: prov, Reason: weekdayCN[d.Weekday()]}
	if e, ok := s.days[d]; ok {
		v.Kind, v.Name, v.Reason = e.Kind, e.Name, e.Kind.Label()+"："+e.Name
	}
	return v
}

// String is the answer in one line, e.g. "是（调休上班：国庆节）", with the
// caveat "；暂定：2027 年节假日安排未导入" for a year not loaded.
func (v Verdict) String() string {
	s := "否"
	if v.Workday {
		s = "是"
	}
	s += "（" + v.Reason
	if v.Provisional {
		s += "；暂定：" + NotLoaded(v.Date.Year())
	}
	return s + "）"
}
