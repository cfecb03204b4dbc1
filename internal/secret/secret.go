// Package secret makes the random strings pageinbox hands out once - session
// tokens, page API tokens, webhook signing secrets - and the hashes it keeps
// instead of them.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Token prefixes tell which kind of bearer token a client presents, so the
// server looks in one table only (and leaked tokens are recognisable).
const (
	SessionPrefix = "pis_"
	PageAPIPrefix = "pit_"
	WebhookPrefix = "whsec_"
)

// New returns prefix + 32 random bytes, base64url-encoded (256 bits).
func New(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Hash returns the SHA-256 of a token. Tokens are long and random, so a fast
// hash is enough; no salt is needed to look them up.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// HasPrefix reports whether token is of the kind named by prefix.
func HasPrefix(token, prefix string) bool { return strings.HasPrefix(token, prefix) }
