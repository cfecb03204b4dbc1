// Package apitoken issues, lists, revokes and checks page API tokens
// (rule 3): a token acts as its page within its scopes. Like session
// tokens, only a SHA-256 of the token is stored and the token is shown
// once.
package apitoken

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/pageapitoken"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/integration"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/secret"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// lastUsedGranularity bounds how often a token's lastUsedAt is written:
// a busy integration would otherwise write on every request.
const lastUsedGranularity = time.Minute

// Service manages page API tokens.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	log    *slog.Logger
}

// New returns the token service.
func New(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, log *slog.Logger) *Service {
	return &Service{client: client, clock: clk, pub: pub, log: log}
}

// Create issues a token for a page (ADMIN only); the token is returned
// once.
func (s *Service) Create(ctx context.Context, pageID int, name string, scopes []viewer.Scope) (*ent.PageAPIToken, string, error) {
	ctx, err := integration.Authorize(ctx, s.client, pageID)
	if err != nil {
		return nil, "", err
	}
	if name = strings.TrimSpace(name); name == "" || len(name) > 100 {
		return nil, "", apierr.New(apierr.BadUserInput, "a token needs a name of 1-100 characters")
	}
	if scopes, err = integration.Grants(scopes, "a token needs at least one scope"); err != nil {
		return nil, "", err
	}
	token := secret.New(secret.PageAPIPrefix)
	t, err := s.client.PageAPIToken.Create().
		SetPageID(pageID).
		SetName(name).
		SetScopes(scopes).
		SetTokenHash(secret.Hash(token)).
		SetCreatedAt(s.clock.Now()).
		SetNillableCreatedBy(integration.Creator(ctx)).
		Save(ctx)
	if err != nil {
		return nil, "", err
	}
	return t, token, nil
}

// Revoke revokes a token at once: it stops authenticating and its open
// subscriptions end. The record stays, with revokedAt, for the audit trail.
func (s *Service) Revoke(ctx context.Context, id int) error {
	t, err := s.client.PageAPIToken.Get(ctx, id) // filtered to the viewer's pages
	if err != nil {
		return store.NotFound(err, "token not found")
	}
	ctx, err = rule.AuthorizeIntegrations(ctx, t.PageID)
	if err != nil {
		return err
	}
	if t.RevokedAt == nil {
		if err := t.Update().SetRevokedAt(s.clock.Now()).Exec(ctx); err != nil {
			return err
		}
	}
	return s.pub.Publish(ctx, pubsub.Event{Topic: pubsub.TokenTopic(t.ID), Kind: pubsub.KindRevoked})
}

// List returns a page's tokens, newest first, for its ADMINs; nil for
// everyone else.
func (s *Service) List(ctx context.Context, p *ent.Page) ([]*ent.PageAPIToken, error) {
	if ok, err := rule.HasPageRole(ctx, p.ID, "", viewer.RoleAdmin); err != nil || !ok {
		return nil, err
	}
	return s.client.PageAPIToken.Query().
		Where(pageapitoken.PageID(p.ID)).
		Order(ent.Desc(pageapitoken.FieldID)).
		All(ctx)
}

// Authenticate turns a page API token into a viewer acting as the page.
// Unknown and revoked tokens are UNAUTHENTICATED.
func (s *Service) Authenticate(ctx context.Context, token string) (*viewer.Viewer, error) {
	// The server looks the token up for a caller it does not know yet.
	t, err := s.client.PageAPIToken.Query().Where(pageapitoken.TokenHash(secret.Hash(token))).Only(rule.For(ctx, rule.FindViewer))
	if ent.IsNotFound(err) {
		return nil, apierr.New(apierr.Unauthenticated, "invalid or revoked token")
	}
	if err != nil {
		return nil, err
	}
	if t.RevokedAt != nil {
		return nil, apierr.New(apierr.Unauthenticated, "this token was revoked")
	}
	now := s.clock.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastUsedGranularity {
		// Best effort: a failed bookkeeping write must not refuse the call.
		err := s.client.PageAPIToken.UpdateOneID(t.ID).SetLastUsedAt(now).Exec(rule.AuthorizeTokenUse(ctx, t.ID))
		if err != nil {
			s.log.Warn("record token use", "err", err, "token", t.ID)
		}
	}
	return viewer.ForToken(viewer.Token{ID: t.ID, PageID: t.PageID, Scopes: t.Scopes}), nil
}
