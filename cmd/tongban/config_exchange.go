package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/tongban/tongban/internal/app"
)

// parseExchange reads the settings of 只提交一次材料.
func parseExchange(libraryMonths, pullTimeout, pullPrivate string) (app.ExchangeConfig, error) {
	var c app.ExchangeConfig
	var err error
	if c.LibraryMonths, err = strconv.Atoi(libraryMonths); err != nil {
		return c, fmt.Errorf("--library-months %q: want a whole number of months", libraryMonths)
	}
	if c.PullTimeout, err = time.ParseDuration(pullTimeout); err != nil {
		return c, fmt.Errorf("--pull-timeout %q: %v", pullTimeout, err)
	}
	if c.PullPrivate, err = strconv.ParseBool(pullPrivate); err != nil {
		return c, fmt.Errorf("--pull-private %q: want true or false", pullPrivate)
	}
	return c, nil
}
