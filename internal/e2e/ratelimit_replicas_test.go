package e2e

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"pageinbox/internal/app"
	"pageinbox/internal/apptest"
)

// TestMessageLimitHoldsAcrossReplicas is rule 30 for rule 23's limit: a
// sender spreading 140 messages over two replicas that share PostgreSQL,
// in parallel and into four threads, gets exactly 60 through, not 60 per
// replica.
func TestMessageLimitHoldsAcrossReplicas(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	limits := apptest.WithRateLimits(app.DefaultMessagesPerMinute, 0)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), limits)
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), limits)
	owner, visitor := a.SignUp("owner"), a.SignUp("visitor")
	pages := make([]apptest.Page, 4)
	for i := range pages {
		pages[i] = a.CreatePage(owner, fmt.Sprintf("spread%d_%s", i, owner.ID))
	}
	var accepted, limited atomic.Int32
	var wg sync.WaitGroup
	for w := range 14 {
		replica := []*apptest.Server{a, b}[w%2]
		wg.Go(func() {
			for i := range 10 {
				r := replica.Do(visitor.Token, sendKeyed, apptest.Vars{"i": apptest.Vars{"pageId": pages[(w+i)%len(pages)].ID, "body": "spread"}})
				switch r.Code() {
				case "":
					accepted.Add(1)
				case "RATE_LIMITED":
					limited.Add(1)
				default:
					t.Errorf("send: %s", r.Raw)
				}
			}
		})
	}
	wg.Wait()
	if accepted.Load() != 60 || limited.Load() != 80 {
		t.Fatalf("%d accepted, %d refused; want 60 and 80 across both replicas", accepted.Load(), limited.Load())
	}
}
