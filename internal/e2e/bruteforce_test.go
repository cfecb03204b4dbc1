package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/app"
	"pageinbox/internal/apptest"
)

const logIn = `mutation($i: LogInInput!) { logIn(input: $i) { token } }`

func creds(email, password string) apptest.Vars {
	return apptest.Vars{"i": apptest.Vars{"email": email, "password": password}}
}

// abuseLimits are rule 30's defaults, behind a trusted proxy on loopback
// so tests can speak for many client addresses.
func abuseLimits() []apptest.Option {
	return []apptest.Option{apptest.WithAbuseLimits(app.DefaultLoginFailures, app.DefaultSignUpsPerHour),
		apptest.WithTrustedProxies("127.0.0.1/32, ::1/128")}
}

// TestFailedLogInsLockTheAccount is rule 30 per account: 10 wrong
// passwords from 10 addresses lock it for 15 minutes - the right password
// too - while other accounts are unaffected.
func TestFailedLogInsLockTheAccount(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, abuseLimits()...)
		ann, bob := s.SignUp("ann"), s.SignUp("bob")
		for i := range app.DefaultLoginFailures {
			s.DoFrom(fmt.Sprintf("198.51.100.%d", i+1), "", logIn, creds(ann.Email, "guess "+fmt.Sprint(i))).WantCode("UNAUTHENTICATED")
		}
		// The limit applies to the email asked for, whatever its case.
		locked := s.DoFrom("198.51.100.200", "", logIn, creds(strings.ToUpper(ann.Email), "correct horse"))
		if got := retryAfter(t, locked); got != 15*60 {
			t.Fatalf("retryAfterSeconds %d, want 900", got)
		}
		s.DoFrom("198.51.100.200", "", logIn, creds(bob.Email, "correct horse")).OK()
		s.Clock.Advance(15 * time.Minute)
		s.DoFrom("198.51.100.200", "", logIn, creds(ann.Email, "correct horse")).OK()
	})
}

// TestFailedLogInsLimitTheAddress is rule 30 per client address: one
// address guessing across many accounts is stopped, other addresses are
// not. A right password does not count as a failure.
func TestFailedLogInsLimitTheAddress(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, abuseLimits()...)
		ann := s.SignUp("ann")
		const attacker, user = "203.0.113.9", "198.51.100.7"
		for range 20 {
			s.DoFrom(attacker, "", logIn, creds(ann.Email, "correct horse")).OK()
		}
		for i := range app.DefaultLoginFailures {
			s.DoFrom(attacker, "", logIn, creds(fmt.Sprintf("victim%d@example.com", i), "123456")).WantCode("UNAUTHENTICATED")
		}
		retryAfter(t, s.DoFrom(attacker, "", logIn, creds(ann.Email, "correct horse")))
		s.DoFrom(user, "", logIn, creds(ann.Email, "correct horse")).OK()
	})
}

// TestAliasedLogInsCountOneByOne: 30 logIn in one request are 30 attempts.
func TestAliasedLogInsCountOneByOne(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, abuseLimits()...)
		ann := s.SignUp("ann")
		var q strings.Builder
		q.WriteString("mutation {")
		for i := range 30 {
			fmt.Fprintf(&q, " a%d: logIn(input: {email: %q, password: \"guess %d\"}) { token }", i, ann.Email, i)
		}
		q.WriteString(" }")
		r := s.DoFrom("198.51.100.3", "", q.String(), nil)
		codes := map[string]int{}
		for _, e := range r.Errors {
			codes[e.Code()]++
		}
		if codes["UNAUTHENTICATED"] != app.DefaultLoginFailures || codes["RATE_LIMITED"] != 30-app.DefaultLoginFailures {
			t.Fatalf("codes %v, want %d UNAUTHENTICATED then RATE_LIMITED", codes, app.DefaultLoginFailures)
		}
	})
}

// TestForwardedForIsIgnoredFromUntrustedPeers: without a trusted proxy a
// client cannot buy a fresh allowance by writing X-Forwarded-For.
func TestForwardedForIsIgnoredFromUntrustedPeers(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithAbuseLimits(app.DefaultLoginFailures, app.DefaultSignUpsPerHour))
		ann := s.SignUp("ann")
		for i := range app.DefaultLoginFailures {
			s.DoFrom(fmt.Sprintf("198.51.100.%d", i+1), "", logIn, creds(fmt.Sprintf("v%d@example.com", i), "123456")).WantCode("UNAUTHENTICATED")
		}
		retryAfter(t, s.DoFrom("198.51.100.99", "", logIn, creds(ann.Email, "correct horse")))
	})
}

// TestSignUpsPerAddress is rule 30's sign-up limit: 20 an hour from one
// address; a refused or conflicting sign-up does not count.
func TestSignUpsPerAddress(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, abuseLimits()...)
		in := func(n int) apptest.Vars {
			return apptest.Vars{"i": apptest.Vars{"name": "N", "handle": fmt.Sprintf("flood_%d", n), "email": fmt.Sprintf("flood%d@example.com", n), "password": "correct horse"}}
		}
		const flooder = "203.0.113.50"
		s.DoFrom(flooder, "", signUp, in(0)).OK()
		s.DoFrom(flooder, "", signUp, in(0)).WantCode("CONFLICT")
		for i := 1; i < app.DefaultSignUpsPerHour; i++ {
			s.DoFrom(flooder, "", signUp, in(i)).OK()
		}
		if got := retryAfter(t, s.DoFrom(flooder, "", signUp, in(100))); got != 3600 {
			t.Fatalf("retryAfterSeconds %d, want 3600", got)
		}
		s.DoFrom("198.51.100.1", "", signUp, in(100)).OK()
		s.Clock.Advance(time.Hour)
		s.DoFrom(flooder, "", signUp, in(101)).OK()
	})
}

// TestLogInLimitHoldsAcrossReplicas: failures on two replicas that share
// PostgreSQL add up.
func TestLogInLimitHoldsAcrossReplicas(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), abuseLimits()...)
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), abuseLimits()...)
	ann := a.SignUp("ann")
	for i := range app.DefaultLoginFailures {
		[]*apptest.Server{a, b}[i%2].DoFrom(fmt.Sprintf("198.51.100.%d", i+1), "", logIn, creds(ann.Email, "guess")).WantCode("UNAUTHENTICATED")
	}
	retryAfter(t, a.DoFrom("198.51.100.100", "", logIn, creds(ann.Email, "correct horse")))
	retryAfter(t, b.DoFrom("198.51.100.100", "", logIn, creds(ann.Email, "correct horse")))
}
