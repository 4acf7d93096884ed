package calendar

// Level is the 电子监察 light of a running case.
type Level int

const (
	OK     Level = iota // 正常
	Yellow              // 预警: the end is near
	Red                 // 超期: overdue
)

func (l Level) String() string {
	switch l {
	case OK:
		return "ok"
	case Yellow:
		return "yellow"
	case Red:
		return "red"
	}
	return "unknown"
}

// Label is the Chinese name shown to supervisors.
func (l Level) Label() string {
	switch l {
	case OK:
		return "正常"
	case Yellow:
		return "预警"
	case Red:
		return "超期"
	}
	return "未知"
}

// Warning grades a case from its promised time limit and the working days
// remaining (as from Remaining):
//
//   - Red when remaining < 0 (the due date has passed);
//   - Yellow when remaining <= max(1, promisedDays/5), i.e. at most 20% of the
//     promised time is left (rounded down), but the window is never shorter
//     than one working day, so every case turns yellow before it turns red
//     and always on its due day (remaining 0), 即办件 included;
//   - OK otherwise.
//
// A negative promisedDays is read as 0.
func Warning(promisedDays, remaining int) Level {
	switch {
	case remaining < 0:
		return Red
	case remaining <= max(1, promisedDays/5):
		return Yellow
	}
	return OK
}
