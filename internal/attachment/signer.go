package attachment

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/signingkey"
	"pageinbox/internal/clock"
	"pageinbox/internal/globalid"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Signer makes and checks file URLs that work without a token until they
// expire. Its key lives in the database so every replica agrees on it.
type Signer struct {
	key   []byte
	clock clock.Clock
	// publicURL, when set, is the origin file URLs start with; otherwise
	// they are relative (/files/...). Never the request's Host or
	// X-Forwarded-Proto: those are the caller's to choose, and a link
	// built from them would send other people - or the page's CRM, through
	// a webhook payload - to the caller's server (rule 31).
	publicURL string
}

// LoadSigner reads the signing key, creating it on first start.
func LoadSigner(ctx context.Context, client *ent.Client, clk clock.Clock, publicURL string) (*Signer, error) {
	// The server's own key, never a viewer's business.
	ctx = rule.AuthorizeSigningKey(rule.For(ctx, rule.SigningKey))
	k, err := client.SigningKey.Query().Where(signingkey.Name("files")).Only(ctx)
	if ent.IsNotFound(err) {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		err = client.SigningKey.Create().SetName("files").SetKey(key).SetCreatedAt(clk.Now()).
			OnConflictColumns(signingkey.FieldName).DoNothing().Exec(ctx)
		if err != nil && !store.Conflicted(err) {
			return nil, fmt.Errorf("attachment: create signing key: %w", err)
		}
		// Another replica may have won the race: use whichever is stored.
		k, err = client.SigningKey.Query().Where(signingkey.Name("files")).Only(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("attachment: load signing key: %w", err)
	}
	return &Signer{key: k.Key, clock: clk, publicURL: publicURL}, nil
}

func (s *Signer) mac(messageID, index int, exp int64) string {
	m := hmac.New(sha256.New, s.key)
	fmt.Fprintf(m, "%d:%d:%d", messageID, index, exp)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// URL returns a URL for a message's index-th attachment valid for ttl.
func (s *Signer) URL(messageID, index int, ttl time.Duration) string {
	exp := s.clock.Now().Add(ttl).Unix()
	q := url.Values{"exp": {strconv.FormatInt(exp, 10)}, "sig": {s.mac(messageID, index, exp)}}
	return fmt.Sprintf("%s/files/%s/%d?%s", s.publicURL, globalid.Encode(messageID), index, q.Encode())
}

// valid checks a signed URL's parameters.
func (s *Signer) valid(messageID, index int, expParam, sig string) bool {
	exp, err := strconv.ParseInt(expParam, 10, 64)
	if err != nil || s.clock.Now().Unix() > exp {
		return false
	}
	return hmac.Equal([]byte(s.mac(messageID, index, exp)), []byte(sig))
}
