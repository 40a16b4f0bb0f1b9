package syncer

import "time"

const time30m = 30 * time.Minute
