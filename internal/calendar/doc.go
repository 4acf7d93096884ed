// Package calendar counts working days (工作日) on the Chinese calendar.
//
// Statutory and promised time limits (法定时限, 承诺时限) of government services
// are written in working days, not calendar days, so a deadline depends on
// the State Council's yearly holiday notice: statutory holidays that fall on
// weekdays are days off, and some weekends become make-up working days
// (调休上班). The notice is data, not a formula, so it is loaded per year.
//
// The rules, in plain words:
//
//   - A weekday is a working day unless it is listed as a Holiday.
//   - A Saturday or Sunday is a day off unless it is listed as a Workday.
//   - Dates are civil dates in China Standard Time (UTC+8); any time.Time
//     is first converted to Asia/Shanghai.
//   - A time limit of N working days starts the working day after acceptance:
//     day 1 is the first working day after the acceptance date, and the case
//     is due at the end of day N. N = 0 (即办件) is due on the acceptance date.
//   - While a case is paused (补正 waiting on the applicant, 特别程序 such as
//     听证, 检验, 专家评审), the clock stops: working days from the day after
//     the pause starts through the day it ends are not counted. Resuming is
//     like accepting again: counting goes on from the next working day.
//   - For a year whose notice is not loaded, only the weekend rule can be
//     applied; every answer that depends on such a year is marked
//     Provisional, so that nobody mistakes a guess for the law.
package calendar
