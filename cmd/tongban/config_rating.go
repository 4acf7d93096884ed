package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/tongban/tongban/internal/rating"
)

// ratingFlags declares the city's 好差评 deadlines and returns their parser.
func ratingFlags(fs *flag.FlagSet, str func(name, envName, def, usage string) *string) func() (rating.Config, error) {
	verify := str("rating-verify-days", "TONGBAN_RATING_VERIFY_DAYS", "1", "working days a department has to call back and verify a bad rating (回访核实)")
	rectify := str("rating-rectify-days", "TONGBAN_RATING_RECTIFY_DAYS", "10", "working days from a bad rating to finish its rectification (整改)")
	window := str("rating-change-window", "TONGBAN_RATING_CHANGE_WINDOW", "168h", "how long after rating the rater may change it")
	loop := []struct {
		flag string
		v    *string
		to   func(*rating.Config) *int
	}{
		{"notice-days", str("notice-days", "TONGBAN_NOTICE_DAYS", "3", "working days a department has to answer a 督办 when the supervisor names none"),
			func(c *rating.Config) *int { return &c.Loop.NoticeDays }},
		{"notice-red-days", str("notice-red-days", "TONGBAN_NOTICE_RED_DAYS", "3", "working days past its deadline an unanswered 督办 turns from 黄牌 to 红牌"),
			func(c *rating.Config) *int { return &c.Loop.RedDays }},
		{"complaint-dispatch-days", str("complaint-dispatch-days", "TONGBAN_COMPLAINT_DISPATCH_DAYS", "1", "working days from taking a complaint to dispatching it (派单)"),
			func(c *rating.Config) *int { return &c.Loop.DispatchDays }},
		{"complaint-reply-days", str("complaint-reply-days", "TONGBAN_COMPLAINT_REPLY_DAYS", "5", "working days from dispatch to the department's reply (回复)"),
			func(c *rating.Config) *int { return &c.Loop.ReplyDays }},
	}
	return func() (rating.Config, error) {
		var c rating.Config
		var err error
		for _, l := range loop {
			if *l.to(&c), err = strconv.Atoi(*l.v); err != nil {
				return c, fmt.Errorf("--%s %q: want a whole number of working days", l.flag, *l.v)
			}
		}
		if c.VerifyDays, err = strconv.Atoi(*verify); err != nil {
			return c, fmt.Errorf("--rating-verify-days %q: want a whole number of working days", *verify)
		}
		if c.RectifyDays, err = strconv.Atoi(*rectify); err != nil {
			return c, fmt.Errorf("--rating-rectify-days %q: want a whole number of working days", *rectify)
		}
		if c.ChangeWindow, err = time.ParseDuration(*window); err != nil {
			return c, fmt.Errorf("--rating-change-window %q: %v", *window, err)
		}
		return c, nil
	}
}
