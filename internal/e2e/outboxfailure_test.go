package e2e

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	_ "github.com/lib/pq" // the test's own connection, for its trigger

	"pageinbox/internal/apptest"
)

// refuseDeletes makes every DELETE on table fail, as a persistent fault
// at an outbox's last write would, and counts the attempts in a sequence
// (sequences are not rolled back with the failing transaction). It
// returns a function that reads the count.
func refuseDeletes(t *testing.T, db *sql.DB, table string) func() int64 {
	t.Helper()
	seq := "attempts_" + table
	for _, q := range []string{
		`CREATE SEQUENCE ` + seq,
		`CREATE FUNCTION refuse_` + table + `() RETURNS trigger LANGUAGE plpgsql AS $$
		 BEGIN PERFORM nextval('` + seq + `'); RAISE EXCEPTION 'refused by the test'; END $$`,
		`CREATE TRIGGER refuse_` + table + ` BEFORE DELETE ON ` + table + ` FOR EACH STATEMENT EXECUTE FUNCTION refuse_` + table + `()`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return func() int64 {
		var n int64
		if err := db.QueryRow(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ` + seq).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// attemptsOver counts the attempts made during d, after the first one.
func attemptsOver(t *testing.T, attempts func() int64, d time.Duration) int64 {
	t.Helper()
	apptest.Eventually(t, 10*time.Second, func() error {
		if attempts() == 0 {
			return fmt.Errorf("no attempt yet")
		}
		return nil
	})
	before := attempts()
	time.Sleep(d)
	return attempts() - before
}

// TestOutboxesWaitWhileTheirLastWriteFails: when the notification outbox
// (a large team's notifications) or the Web Push outbox cannot finish
// its transaction, their workers try again at their next poll, not in a
// loop that keeps a core and the database busy while the fault lasts.
// (PostgreSQL only: the attempts are counted in a sequence, which the
// failing transaction does not roll back.)
func TestOutboxesWaitWhileTheirLastWriteFails(t *testing.T) {
	b := apptest.Postgres
	url := apptest.DatabaseURL(t, b) // skips, saying why, without PostgreSQL
	s := apptest.StartOn(t, b, url, t.TempDir(), apptest.WithPushTargets())
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	t.Run("notification outbox", func(t *testing.T) {
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "faulty")
		for i := range largeTeam {
			s.SetRole(owner, page, s.SignUp(fmt.Sprintf("mod%d", i)), "MODERATOR").OK()
		}
		attempts := refuseDeletes(t, db, "notification_jobs")
		// A full batch of jobs: the worker drains again at once after a
		// full batch, which is where a failed one must not count.
		for i := range 8 {
			s.SendToPage(visitor, page, fmt.Sprintf("message %d", i)).OK()
		}
		// It polls once a second (and is woken by each send, all done).
		if n := attemptsOver(t, attempts, 2*time.Second); n > 6 {
			t.Fatalf("%d attempts in 2 s while the fault lasted: the worker retries in a loop", n)
		}
	})

	t.Run("push outbox", func(t *testing.T) {
		owner, visitor := s.SignUp("pushowner"), s.SignUp("pushvisitor")
		page := s.CreatePage(owner, "faultypush")
		ps := apptest.NewPushService(t, vapidKey(t, s))
		ps.Device(t, "owner-phone").Register(s, owner).OK()
		attempts := refuseDeletes(t, db, "push_jobs")
		s.SendToPage(visitor, page, "hello").OK()
		// WithPushTargets polls every 20 ms: at most ~50 attempts a
		// second; a loop makes one per few round trips.
		if n := attemptsOver(t, attempts, time.Second); n > 80 {
			t.Fatalf("%d attempts in 1 s while the fault lasted: the worker retries in a loop", n)
		}
	})
}
