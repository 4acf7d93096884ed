package bundle_test

import "time"

var timeZero time.Time
