package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

const signUp = `mutation($i: SignUpInput!) { signUp(input: $i) { token user { id name handle email } } }`

func TestSignUpLogInLogOut(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		r := s.Do("", signUp, apptest.Vars{"i": apptest.Vars{
			"name": "Ann Lee", "handle": "AnnLee", "email": "Ann@Example.com", "password": "s3cret-pass"}}).OK()
		token := r.String("signUp.token")
		if r.String("signUp.user.email") != "Ann@Example.com" {
			t.Fatalf("own email should be visible: %s", r.Raw)
		}
		me := s.Do(token, `{ viewer { id name handle email } }`, nil).OK()
		if me.String("viewer.name") != "Ann Lee" || me.String("viewer.handle") != "AnnLee" {
			t.Fatalf("viewer: %s", me.Raw)
		}

		// Log in with a differently-cased email; a second session.
		login := `mutation($i: LogInInput!) { logIn(input: $i) { token user { id } } }`
		second := s.Do("", login, apptest.Vars{"i": apptest.Vars{"email": "ann@example.COM", "password": "s3cret-pass"}}).OK().String("logIn.token")
		if second == token {
			t.Fatal("each log-in gets its own token")
		}
		s.Do("", login, apptest.Vars{"i": apptest.Vars{"email": "ann@example.com", "password": "wrong-pass"}}).WantCode("UNAUTHENTICATED")
		s.Do("", login, apptest.Vars{"i": apptest.Vars{"email": "nobody@example.com", "password": "s3cret-pass"}}).WantCode("UNAUTHENTICATED")

		// Log out revokes that token only.
		if !s.Do(token, `mutation { logOut }`, nil).OK().Bool("logOut") {
			t.Fatal("logOut should answer true")
		}
		s.Do(token, `{ viewer { id } }`, nil).WantCode("UNAUTHENTICATED")
		if s.Do(second, `{ viewer { id } }`, nil).OK().Null("viewer") {
			t.Fatal("the other session must survive")
		}
		// Anonymous: viewer is null, no error.
		if !s.Do("", `{ viewer { id } }`, nil).OK().Null("viewer") {
			t.Fatal("anonymous viewer must be null")
		}
	})
}

func TestSignUpRejectsDuplicatesCaseInsensitively(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		in := func(handle, email string) apptest.Vars {
			return apptest.Vars{"i": apptest.Vars{"name": "X", "handle": handle, "email": email, "password": "plum tree 42"}}
		}
		s.Do("", signUp, in("dana", "dana@example.com")).OK()
		s.Do("", signUp, in("DANA", "other@example.com")).WantCode("CONFLICT")
		s.Do("", signUp, in("other", "DANA@EXAMPLE.COM")).WantCode("CONFLICT")
		// Nothing half-stored: the conflicting handle "other" is still free.
		s.Do("", signUp, in("other", "other@example.com")).OK()
	})
}

func TestSignUpValidatesInput(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		in := func(handle, password string) apptest.Vars {
			return apptest.Vars{"name": "Ann Lee", "handle": handle, "email": "ann.lee@example.com", "password": password}
		}
		cases := map[string]apptest.Vars{
			"short password": in("aaa", "1234567"),
			"bad email":      {"name": "A", "handle": "aaa", "email": "not-an-email", "password": "plum tree 42"},
			"bad handle":     in("a b", "plum tree 42"),
			"empty name":     {"name": "  ", "handle": "aaa", "email": "a@example.com", "password": "plum tree 42"},
			// NIST SP 800-63B: no padding to length, no control
			// characters, no common, repetitive or sequential password,
			// not the account's own words.
			"eight spaces":        in("aaa", "        "),
			"eight NULs":          in("aaa", "\x00\x00\x00\x00\x00\x00\x00\x00"),
			"padded short":        in("aaa", "  abc12  "),
			"common password":     in("aaa", "password123"),
			"common, other case":  in("aaa", "PassWord1"),
			"repeated character":  in("aaa", "zzzzzzzzzz"),
			"sequence":            in("aaa", "abcdefghij"),
			"the handle":          in("annlee_x", "annlee_x"),
			"the email":           in("aaa", "ann.lee@example.com"),
			"dots only handle":    in("...", "plum tree 42"),
			"leading dot handle":  in(".ann", "plum tree 42"),
			"trailing _ handle":   in("ann_", "plum tree 42"),
			"double dot handle":   in("a..b", "plum tree 42"),
			"control in password": in("aaa", "plum\ttree 42"),
		}
		for name, in := range cases {
			t.Run(name, func(t *testing.T) {
				if code := s.Do("", signUp, apptest.Vars{"i": in}).Code(); code != "BAD_USER_INPUT" {
					t.Errorf("want BAD_USER_INPUT, got %q", code)
				}
			})
		}
		// Eight characters, counted as characters not bytes, is enough.
		s.Do("", signUp, apptest.Vars{"i": apptest.Vars{"name": "A", "handle": "aaa", "email": "a@example.com", "password": "ééééééé1"}}).OK()
		// No composition rules: a long plain phrase with spaces is fine.
		s.Do("", signUp, apptest.Vars{"i": apptest.Vars{"name": "B", "handle": "b.c_d", "email": "b@example.com", "password": "purple elephants dance"}}).OK()
	})
}

func TestBadTokens(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		s.Do("pis_not-a-real-token", `{ viewer { id } }`, nil).WantCode("UNAUTHENTICATED")
		s.Do("garbage", `{ viewer { id } }`, nil).WantCode("UNAUTHENTICATED")
		s.Do("", `mutation { logOut }`, nil).WantCode("UNAUTHENTICATED")
	})
}
