package webpush

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"pageinbox/ent"
	"pageinbox/ent/signingkey"
	"pageinbox/internal/clock"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Keys is the server's VAPID key pair (RFC 8292), base64url as browsers
// and webpush-go take them. Push services tie a subscription to the public
// key it was made with, so every replica must sign with the same one and
// it must survive restarts: it lives in the database.
type Keys struct {
	Public  string
	Private string
}

// vapidKeyName is the key's row among the server's signing keys.
const vapidKeyName = "vapid"

// LoadKeys reads the VAPID key, creating it on first start. Replicas that
// start together race to insert it; the first wins and all use its key.
func LoadKeys(ctx context.Context, client *ent.Client, clk clock.Clock) (*Keys, error) {
	// The server's own key, never a viewer's business.
	ctx = rule.AuthorizeSigningKey(rule.For(ctx, rule.SigningKey))
	k, err := client.SigningKey.Query().Where(signingkey.Name(vapidKeyName)).Only(ctx)
	if ent.IsNotFound(err) {
		priv, genErr := ecdh.P256().GenerateKey(rand.Reader)
		if genErr != nil {
			return nil, fmt.Errorf("webpush: generate VAPID key: %w", genErr)
		}
		err = client.SigningKey.Create().SetName(vapidKeyName).SetKey(priv.Bytes()).SetCreatedAt(clk.Now()).
			OnConflictColumns(signingkey.FieldName).DoNothing().Exec(ctx)
		if err != nil && !store.Conflicted(err) {
			return nil, fmt.Errorf("webpush: store VAPID key: %w", err)
		}
		k, err = client.SigningKey.Query().Where(signingkey.Name(vapidKeyName)).Only(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("webpush: load VAPID key: %w", err)
	}
	priv, err := ecdh.P256().NewPrivateKey(k.Key)
	if err != nil {
		return nil, fmt.Errorf("webpush: stored VAPID key: %w", err)
	}
	return &Keys{
		Public:  base64.RawURLEncoding.EncodeToString(priv.PublicKey().Bytes()),
		Private: base64.RawURLEncoding.EncodeToString(priv.Bytes()),
	}, nil
}
