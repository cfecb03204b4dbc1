package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// Deliveries are signed the Standard Webhooks v1 way (rule 33), so any of
// its libraries verifies them: webhook-signature is "v1," followed by the
// base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>", keyed
// with the secret's key.

// secretPrefix starts every signing secret (Standard Webhooks' whsec_).
const secretPrefix = "whsec_"

// NewSecret returns a fresh signing secret: whsec_ and the standard
// base64 of 32 random bytes, the HMAC key.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Key is the HMAC key of a secret. A Standard Webhooks secret's key is its
// base64-decoded part. Secrets made before pageinbox followed the standard
// ("whsec_" and 43 URL-safe base64 characters, which never decode as
// padded standard base64) keep their old key, the whole secret string, so
// existing receivers keep their secret: they verify with it as raw key
// material (the libraries' raw-key constructor), or rotate to a standard
// secret (README, "Webhooks").
func Key(secret string) []byte {
	if rest, ok := strings.CutPrefix(secret, secretPrefix); ok {
		if k, err := base64.StdEncoding.DecodeString(rest); err == nil && len(k) > 0 {
			return k
		}
	}
	return []byte(secret)
}

// Sign returns one signature of a delivery, "v1,<base64>".
func Sign(secret, msgID string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, Key(secret))
	mac.Write([]byte(msgID))
	mac.Write([]byte("."))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignatureHeader is the webhook-signature value: one signature per
// secret, space separated, in the order given (the newest secret first).
func SignatureHeader(secrets []string, msgID string, timestamp int64, body []byte) string {
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		sigs[i] = Sign(s, msgID, timestamp, body)
	}
	return strings.Join(sigs, " ")
}
