package teaminbox

import (
	"context"
	"time"
)

// poll calls do every interval until ctx ends: the snooze scheduler and
// the viewers' expiry are both such background loops.
func poll(ctx context.Context, every time.Duration, do func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			do()
		}
	}
}
