package rule_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"entgo.io/ent/privacy"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/internal/apierr"
	"pageinbox/internal/apptest"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// signedIn returns a context with u as the viewer, authenticated the way
// the server does it.
func signedIn(t *testing.T, s *apptest.Server, u apptest.User) context.Context {
	t.Helper()
	v, err := s.Accounts.Authenticate(context.Background(), u.Token)
	if err != nil {
		t.Fatal(err)
	}
	return viewer.NewContext(context.Background(), v)
}

func localID(t *testing.T, global string) int {
	t.Helper()
	return apptest.RowID(t, global)
}

func about(t *testing.T, s *apptest.Server, pageID int) string {
	t.Helper()
	p, err := s.Client.Page.Get(context.Background(), pageID) // pages are public
	if err != nil {
		t.Fatal(err)
	}
	if p.About == nil {
		return ""
	}
	return *p.About
}

// TestGrantCoversOnlyTheRowsItNames: a grant for page A does not let the
// same operation write page B, even for a viewer who is ADMIN of both.
func TestGrantCoversOnlyTheRowsItNames(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		a, other := localID(t, s.CreatePage(owner, "granta").ID), localID(t, s.CreatePage(owner, "grantb").ID)
		ctx, err := rule.AuthorizePageSettings(signedIn(t, s, owner), a)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Client.Page.UpdateOneID(a).SetAbout("granted").Exec(ctx); err != nil {
			t.Fatalf("the granted row: %v", err)
		}
		if err := s.Client.Page.UpdateOneID(other).SetAbout("not granted").Exec(ctx); !ent.IsNotFound(err) {
			t.Fatalf("another row under the same grant: want not found, got %v", err)
		}
		n, err := s.Client.Page.Update().Where(page.IDIn(a, other)).SetAbout("bulk").Save(ctx)
		if err != nil || n != 1 {
			t.Fatalf("bulk update under a one-row grant: %d rows, %v; want 1", n, err)
		}
		if got := about(t, s, a); got != "bulk" {
			t.Errorf("granted page: about = %q", got)
		}
		if got := about(t, s, other); got != "" {
			t.Errorf("page outside the grant was written: about = %q", got)
		}
	})
}

// TestWriteWithoutGrantIsDenied: the page's own ADMIN cannot write it on a
// path that skipped the Authorize* check.
func TestWriteWithoutGrantIsDenied(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		a := localID(t, s.CreatePage(owner, "nogrant").ID)
		err := s.Client.Page.UpdateOneID(a).SetAbout("sneaky").Exec(signedIn(t, s, owner))
		if !errors.Is(err, privacy.Deny) {
			t.Fatalf("want a privacy denial, got %v", err)
		}
		if got := about(t, s, a); got != "" {
			t.Errorf("about = %q", got)
		}
	})
}

// TestCreateMustCarryTheGrantedOwner: a grant to add a saved reply to page
// A does not create one on page B.
func TestCreateMustCarryTheGrantedOwner(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		a, other := localID(t, s.CreatePage(owner, "ownera").ID), localID(t, s.CreatePage(owner, "ownerb").ID)
		ctx, err := rule.AuthorizeSavedReplies(signedIn(t, s, owner), a)
		if err != nil {
			t.Fatal(err)
		}
		create := func(pageID int) error {
			return s.Client.SavedReply.Create().SetPageID(pageID).SetShortcut("hi").SetShortcutKey("hi").
				SetTitle("Hi").SetBody("Hello!").Exec(ctx)
		}
		if err := create(a); err != nil {
			t.Fatalf("granted page: %v", err)
		}
		if err := create(other); !errors.Is(err, privacy.Deny) {
			t.Fatalf("other page: want a privacy denial, got %v", err)
		}
	})
}

// TestLogInRuleChecksThePassword: the log-in grant is given for a password
// that matches the stored hash, and covers a session of that user only.
func TestLogInRuleChecksThePassword(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		ann, bob := s.SignUp("ann"), s.SignUp("bob")
		annID, bobID := localID(t, ann.ID), localID(t, bob.ID)
		u, err := s.Client.User.Get(context.Background(), annID)
		if err != nil {
			t.Fatal(err)
		}
		session := func(ctx context.Context, uid int) error {
			return s.Client.Session.Create().SetUserID(uid).SetTokenHash([]byte("h" + strconv.Itoa(uid))).
				SetExpiresAt(time.Now().Add(time.Hour)).Exec(ctx)
		}
		ctx, err := rule.AuthorizeLogIn(context.Background(), annID, u.PasswordHash, "wrong horse")
		if apierr.CodeOf(err) != apierr.Unauthenticated {
			t.Fatalf("wrong password: want UNAUTHENTICATED, got %v", err)
		}
		if err := session(ctx, annID); !errors.Is(err, privacy.Deny) {
			t.Fatalf("session after a wrong password: want a privacy denial, got %v", err)
		}
		ctx, err = rule.AuthorizeLogIn(context.Background(), annID, u.PasswordHash, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		if err := session(ctx, bobID); !errors.Is(err, privacy.Deny) {
			t.Fatalf("another user's session under ann's log-in: want a privacy denial, got %v", err)
		}
		if err := session(ctx, annID); err != nil {
			t.Fatalf("ann's session: %v", err)
		}
	})
}

// TestPurposeOpensOnlyTheTypesThatListIt: a read allowance lets its
// purpose read the types whose policy names it, and nothing else.
func TestPurposeOpensOnlyTheTypesThatListIt(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		bg := context.Background()
		if _, err := s.Client.Block.Query().Count(bg); !errors.Is(err, privacy.Deny) {
			t.Fatalf("blocks without a purpose: want a privacy denial, got %v", err)
		}
		blockCheck := rule.For(bg, rule.BlockCheck)
		if _, err := s.Client.Block.Query().Count(blockCheck); err != nil {
			t.Fatalf("blocks for BlockCheck: %v", err)
		}
		if _, err := s.Client.Session.Query().Count(blockCheck); !errors.Is(err, privacy.Deny) {
			t.Fatalf("sessions for BlockCheck: want a privacy denial, got %v", err)
		}
		if err := s.Client.Block.Create().SetPageID(1).SetUserID(1).SetBy("PAGE").Exec(blockCheck); !errors.Is(err, privacy.Deny) {
			t.Fatalf("a write for a read purpose: want a privacy denial, got %v", err)
		}
	})
}
