package bundle

import "time"

var timeZero time.Time
