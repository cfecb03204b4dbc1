package account

import (
	"context"
	"fmt"
	"time"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clientaddr"
	"pageinbox/internal/ratelimit"
)

// Rule 30's limits. Accounts are keyed by the normalised email asked for,
// known or not, so the limit does not tell which emails have accounts.
func (s *Service) loginPerAccount() ratelimit.Limit {
	return ratelimit.Limit{Name: "login-account", Max: s.cfg.LoginFailures, Period: LoginFailureWindow}
}

func (s *Service) loginPerAddress() ratelimit.Limit {
	return ratelimit.Limit{Name: "login-addr", Max: s.cfg.LoginFailures, Period: LoginFailureWindow}
}

func (s *Service) signUpsPerAddress() ratelimit.Limit {
	return ratelimit.Limit{Name: "signup-addr", Max: s.cfg.SignUpsPerHour, Period: time.Hour}
}

// reserveLogIn counts the attempt as a failure of the account and of the
// client address, or refuses it when either has failed too often.
func (s *Service) reserveLogIn(ctx context.Context, emailKey string) (*ratelimit.Reservation, error) {
	res, wait, ok, err := s.cfg.Limits.Reserve(ctx, s.client, s.clock.Now(),
		ratelimit.Subject{Limit: s.loginPerAccount(), ID: emailKey},
		ratelimit.Subject{Limit: s.loginPerAddress(), ID: clientaddr.FromContext(ctx)})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apierr.NewRateLimited(
			fmt.Sprintf("too many failed log-ins (at most %d in %v); try again later", s.cfg.LoginFailures, LoginFailureWindow),
			ratelimit.RetrySeconds(wait))
	}
	return res, nil
}

// signUpsLeft refuses a sign-up from an address that used up its hour.
func (s *Service) signUpsLeft(ctx context.Context, addr string) error {
	if addr == "" {
		return nil
	}
	wait, ok, err := s.cfg.Limits.Check(ctx, s.client, s.signUpsPerAddress(), addr, s.clock.Now())
	if err != nil || ok {
		return err
	}
	return s.signUpsRefused(wait)
}

// takeSignUp counts a sign-up of addr in its transaction, so a sign-up that
// fails (a taken handle) does not count.
func (s *Service) takeSignUp(ctx context.Context, tx *ent.Tx, addr string) error {
	if addr == "" {
		return nil
	}
	wait, ok, err := s.cfg.Limits.Take(ctx, tx, s.signUpsPerAddress(), addr, s.clock.Now())
	if err != nil || ok {
		return err
	}
	return s.signUpsRefused(wait)
}

func (s *Service) signUpsRefused(wait time.Duration) error {
	return apierr.NewRateLimited(
		fmt.Sprintf("at most %d sign-ups per hour from one address; try again later", s.cfg.SignUpsPerHour),
		ratelimit.RetrySeconds(wait))
}
