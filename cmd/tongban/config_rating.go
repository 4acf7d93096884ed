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
	return func() (rating.Config, error) {
		var c rating.Config
		var err error
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
