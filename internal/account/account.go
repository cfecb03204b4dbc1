// Package account signs people up, logs them in and out, and turns a bearer
// token into a viewer (rule 1).
//
// Passwords are stored as argon2id hashes (golang.org/x/crypto/argon2, the
// OWASP-recommended KDF); session tokens are 256-bit random strings of which
// only the SHA-256 is stored, so the database never holds a usable secret.
package account

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	entsql "entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/session"
	"pageinbox/ent/user"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clientaddr"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/ratelimit"
	"pageinbox/internal/rule"
	"pageinbox/internal/secret"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// HashParams are argon2id's cost for new password hashes (package secret
// hashes and checks them; the log-in rule checks too).
type HashParams = secret.HashParams

// Config tunes the account service.
type Config struct {
	Hash       HashParams
	SessionTTL time.Duration
	// Limits holds rule 30's windows; LoginFailures (per account and per
	// client address, in LoginFailureWindow) and SignUpsPerHour (per
	// address) are its limits, 0 = none.
	Limits         *ratelimit.Limiter
	LoginFailures  int
	SignUpsPerHour int
	// Sessions, when set, lets Authenticate skip the database for a
	// token it resolved a moment ago (see SessionCache).
	Sessions *SessionCache
}

// LoginFailureWindow is the period failed log-ins are counted over.
const LoginFailureWindow = 15 * time.Minute

// Service manages accounts and sessions.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	cfg    Config
	// dummyHash is verified when an email is unknown, so a wrong email
	// costs as much time as a wrong password and does not reveal accounts.
	dummyHash string
	common    commonPasswords
}

// New returns the account service.
func New(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, cfg Config) (*Service, error) {
	if cfg.Hash == (HashParams{}) {
		cfg.Hash = secret.DefaultHashParams()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 90 * 24 * time.Hour
	}
	dummy, err := secret.HashPassword("not a password", cfg.Hash)
	if err != nil {
		return nil, err
	}
	return &Service{client: client, clock: clk, pub: pub, cfg: cfg, dummyHash: dummy, common: loadCommonPasswords()}, nil
}

// SignUpInput is what a new user gives.
type SignUpInput struct {
	Name, Handle, Email, Password string
}

// handlePattern: ASCII letters and digits, single "_" or "." between them
// - no handle made only of dots, none that starts or ends with a
// separator or doubles one ("a..b"), which would read as a path or be
// mistaken for another handle.
var handlePattern = regexp.MustCompile(`^[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)*$`)

// ValidateHandle checks a user or page handle: 3-30 letters and digits,
// words joined by single "_" or ".".
func ValidateHandle(h string) error {
	if len(h) < 3 || len(h) > 30 || !handlePattern.MatchString(h) {
		return apierr.New(apierr.BadUserInput, "handle must be 3-30 letters and digits, words joined by single '_' or '.'")
	}
	return nil
}

// ValidateName checks a display name: 1-100 characters after trimming.
func ValidateName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name) {
		return "", apierr.New(apierr.BadUserInput, "name must be 1-100 characters")
	}
	return name, nil
}

func (in SignUpInput) validate(common commonPasswords) (SignUpInput, error) {
	name, err := ValidateName(in.Name)
	if err != nil {
		return in, err
	}
	in.Name = name
	if err := ValidateHandle(in.Handle); err != nil {
		return in, err
	}
	in.Email = strings.TrimSpace(in.Email)
	addr, err := mail.ParseAddress(in.Email)
	if err != nil || addr.Address != in.Email || len(in.Email) > 254 {
		return in, apierr.New(apierr.BadUserInput, "email is not a valid address")
	}
	// The upper bound keeps one request from buying minutes of hashing.
	if err := common.check(in.Password, in.Name, in.Handle, in.Email); err != nil {
		return in, err
	}
	return in, nil
}

// SignUp creates an account and signs it in. It returns the bearer token.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (string, *ent.User, error) {
	in, err := in.validate(s.common)
	if err != nil {
		return "", nil, err
	}
	addr := clientaddr.FromContext(ctx)
	// A cheap look before the costly hash; the count that holds is taken
	// in the transaction below.
	if err := s.signUpsLeft(ctx, addr); err != nil {
		return "", nil, err
	}
	hash, err := secret.HashPassword(in.Password, s.cfg.Hash)
	if err != nil {
		return "", nil, err
	}
	ctx = rule.AuthorizeSignUp(ctx)
	var (
		token string
		u     *ent.User
	)
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		taken, err := tx.User.Query().Where(user.Or(
			user.HandleKey(strings.ToLower(in.Handle)),
			user.EmailKey(strings.ToLower(in.Email)),
		)).Exist(ctx)
		if err != nil {
			return err
		}
		if taken {
			return apierr.New(apierr.Conflict, "handle or email is already taken")
		}
		if err := s.takeSignUp(ctx, tx, addr); err != nil {
			return err
		}
		u, err = tx.User.Create().
			SetName(in.Name).
			SetHandle(in.Handle).
			SetHandleKey(strings.ToLower(in.Handle)).
			SetEmail(in.Email).
			SetEmailKey(strings.ToLower(in.Email)).
			SetPasswordHash(hash).
			SetCreatedAt(s.clock.Now()).
			Save(ctx)
		if err != nil {
			return err
		}
		token, err = s.newSession(ctx, tx.Client(), u.ID)
		return err
	})
	if ent.IsConstraintError(err) {
		// Two sign-ups raced for the same handle or email.
		return "", nil, apierr.New(apierr.Conflict, "handle or email is already taken")
	}
	if err != nil {
		return "", nil, err
	}
	return token, u.Unwrap(), nil
}

func (s *Service) newSession(ctx context.Context, c *ent.Client, userID int) (string, error) {
	token := secret.New(secret.SessionPrefix)
	now := s.clock.Now()
	err := c.Session.Create().
		SetTokenHash(secret.Hash(token)).
		SetUserID(userID).
		SetCreatedAt(now).
		SetExpiresAt(now.Add(s.cfg.SessionTTL)).
		Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("account: create session: %w", err)
	}
	return token, nil
}

// LogIn checks an email and password and opens a session. Rule 30: each
// attempt counts as a failure for the account and for the client address
// until its password checked out, so parallel guesses - on any replica -
// cannot outrun the limit; once either has LoginFailures failures in 15
// minutes, even the right password is refused (RATE_LIMITED), or a guesser
// would learn from the answer that a guess was right.
func (s *Service) LogIn(ctx context.Context, email, password string) (string, *ent.User, error) {
	emailKey := strings.ToLower(strings.TrimSpace(email))
	attempt, err := s.reserveLogIn(ctx, emailKey)
	if err != nil {
		return "", nil, err
	}
	token, u, err := s.logIn(ctx, emailKey, password)
	if err == nil || apierr.CodeOf(err) != apierr.Unauthenticated {
		// Only a wrong email or password counts as a failure.
		if cerr := attempt.Cancel(ctx); cerr != nil && err == nil {
			return "", nil, cerr
		}
	}
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

func (s *Service) logIn(ctx context.Context, emailKey, password string) (string, *ent.User, error) {
	wrong := apierr.New(apierr.Unauthenticated, "wrong email or password")
	if len(password) > 1024 {
		return "", nil, wrong
	}
	u, err := s.client.User.Query().
		Where(user.EmailKey(emailKey)).
		Only(ctx)
	if ent.IsNotFound(err) {
		_, _ = secret.CheckPassword(password, s.dummyHash)
		return "", nil, wrong
	}
	if err != nil {
		return "", nil, err
	}
	ctx, err = rule.AuthorizeLogIn(ctx, u.ID, u.PasswordHash, password)
	if apierr.CodeOf(err) == apierr.Unauthenticated {
		return "", nil, wrong
	}
	if err != nil {
		return "", nil, err
	}
	token, err := s.newSession(ctx, s.client, u.ID)
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

// LogOut revokes the session the viewer signed in with; its open
// subscriptions end.
func (s *Service) LogOut(ctx context.Context) error {
	ctx, err := rule.AuthorizeLogOut(ctx)
	if err != nil {
		return err
	}
	v := viewer.FromContext(ctx)
	if err := s.client.Session.DeleteOneID(v.SessionID()).Exec(ctx); err != nil {
		return err
	}
	return s.pub.Publish(ctx, pubsub.Event{Topic: pubsub.SessionTopic(v.SessionID()), Kind: pubsub.KindRevoked})
}

// Authenticate turns a session token into a viewer. Unknown, revoked and
// expired tokens are UNAUTHENTICATED.
//
// The session and the user's page roles come in one statement (a left
// join: one row per role, or one row with no role), because nearly every
// staff request needs both and a round trip costs more than the join.
func (s *Service) Authenticate(ctx context.Context, token string) (*viewer.Viewer, error) {
	hash := secret.Hash(token)
	var gen uint64
	if c := s.cfg.Sessions; c != nil && !viewer.WantsFreshCredentials(ctx) {
		var e cachedSession
		var ok bool
		if e, ok, gen = c.lookup(string(hash)); ok {
			if !e.expiresAt.After(s.clock.Now()) {
				return nil, apierr.New(apierr.Unauthenticated, "session expired; log in again")
			}
			return viewer.ForUserWithCachedRoles(e.userID, e.sessionID, e.roles, s.LoadRoles), nil
		}
	}
	var rows []struct {
		ID        int            `json:"id"`
		UserID    int            `json:"user_id"`
		ExpiresAt time.Time      `json:"expires_at"`
		PageID    sql.NullInt64  `json:"page_id"`
		Role      sql.NullString `json:"role"`
	}
	// The server looks the session up for a caller it does not know yet,
	// and the roles are what privacy rules are computed from, so neither
	// read can depend on privacy rules.
	err := s.client.Session.Query().
		Where(session.TokenHash(hash)).
		Modify(func(q *entsql.Selector) {
			m := entsql.Table(pagemembership.Table)
			q.LeftJoin(m).On(q.C(session.FieldUserID), m.C(pagemembership.FieldUserID))
			q.Select(q.C(session.FieldID), q.C(session.FieldUserID), q.C(session.FieldExpiresAt),
				entsql.As(m.C(pagemembership.FieldPageID), "page_id"), entsql.As(m.C(pagemembership.FieldRole), "role"))
		}).
		Scan(rule.For(rule.For(ctx, rule.FindViewer), rule.StaffLookup), &rows)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apierr.New(apierr.Unauthenticated, "invalid or revoked token")
	}
	sess := rows[0]
	if !sess.ExpiresAt.After(s.clock.Now()) {
		return nil, apierr.New(apierr.Unauthenticated, "session expired; log in again")
	}
	roles := make(map[int]viewer.Role, len(rows))
	for _, r := range rows {
		if r.PageID.Valid {
			roles[int(r.PageID.Int64)] = viewer.Role(r.Role.String)
		}
	}
	if c := s.cfg.Sessions; c != nil && !viewer.WantsFreshCredentials(ctx) {
		c.store(string(hash), cachedSession{sessionID: sess.ID, userID: sess.UserID, expiresAt: sess.ExpiresAt, roles: roles}, gen)
	}
	return viewer.ForUserWithRoles(sess.UserID, sess.ID, roles, s.LoadRoles), nil
}

// LoadRoles returns the pages on which a user is staff.
func (s *Service) LoadRoles(ctx context.Context, userID int) (map[int]viewer.Role, error) {
	// Roles are what privacy rules are computed from, so reading them
	// cannot itself depend on privacy rules.
	ms, err := s.client.PageMembership.Query().
		Where(pagemembership.UserID(userID)).
		Select(pagemembership.FieldPageID, pagemembership.FieldRole).
		All(rule.For(ctx, rule.StaffLookup))
	if err != nil {
		return nil, fmt.Errorf("account: load roles: %w", err)
	}
	roles := make(map[int]viewer.Role, len(ms))
	for _, m := range ms {
		roles[m.PageID] = m.Role
	}
	return roles, nil
}
