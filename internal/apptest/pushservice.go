package apptest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// PushService is a Web Push service on 127.0.0.1 (RFC 8030) holding
// browser-side subscriptions ("devices"). It checks every push the way a
// real push service and browser do - the VAPID JWT (RFC 8292: ES256
// signature by the server's vapidPublicKey, aud = this origin, exp within
// 24 h, sub a mailto: or https: URL) and the aes128gcm body (RFC 8188,
// RFC 8291), decrypted with the device's own keys - written here from the
// RFCs with the standard library alone, independent of the server's
// webpush library.
type PushService struct {
	*httptest.Server
	vapidKey string
	mu       sync.Mutex
	devices  map[string]*Device
	arrived  chan struct{}
}

// Device is one browser subscription of a PushService.
type Device struct {
	Name     string
	Endpoint string
	P256dh   string // base64url, as PushSubscription.getKey("p256dh")
	Auth     string
	priv     *ecdh.PrivateKey
	auth     []byte
	answers  []PushAnswer
	got      []Push
}

// PushAnswer is how a device's push service answers one push.
type PushAnswer struct {
	Status     int
	RetryAfter string
}

// Push is one push a device received, checked and decrypted.
type Push struct {
	Header  http.Header
	Payload map[string]any // the decrypted JSON
	Raw     []byte         // the decrypted bytes
	Err     error          // what failed the checks (nil: a valid push)
}

// NewPushService starts a push service that accepts pushes signed with
// vapidPublicKey (Query.vapidPublicKey).
func NewPushService(t testing.TB, vapidPublicKey string) *PushService {
	p := &PushService{vapidKey: vapidPublicKey, devices: map[string]*Device{}, arrived: make(chan struct{}, 1024)}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

// Device creates a subscription: the endpoint and keys a browser gives
// PushManager.subscribe's caller. answers script the push service's
// replies in turn (201 once they run out).
func (p *PushService) Device(t testing.TB, name string, answers ...PushAnswer) *Device {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	d := &Device{Name: name, Endpoint: p.URL + "/push/" + name, priv: priv, auth: auth, answers: answers,
		P256dh: base64.RawURLEncoding.EncodeToString(priv.PublicKey().Bytes()),
		Auth:   base64.RawURLEncoding.EncodeToString(auth)}
	p.mu.Lock()
	p.devices[name] = d
	p.mu.Unlock()
	return d
}

// Register registers the device for user u through the API.
func (d *Device) Register(s *Server, u User) *Response {
	return s.Do(u.Token, `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) {
		pushSubscription { id endpoint userAgent createdAt lastSuccessAt } } }`,
		Vars{"i": Vars{"endpoint": d.Endpoint, "p256dh": d.P256dh, "auth": d.Auth, "userAgent": "test " + d.Name}})
}

func (p *PushService) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/push/")
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	d := p.devices[name]
	if d == nil {
		p.mu.Unlock()
		w.WriteHeader(http.StatusNotFound)
		return
	}
	push := Push{Header: r.Header.Clone()}
	push.Err = p.checkVAPID(r)
	if push.Err == nil {
		push.Raw, push.Err = d.decrypt(r.Header, body)
	}
	if push.Err == nil {
		push.Err = json.Unmarshal(push.Raw, &push.Payload)
	}
	answer := PushAnswer{Status: http.StatusCreated}
	if push.Err != nil {
		answer.Status = http.StatusBadRequest
	} else if len(d.answers) > 0 {
		answer, d.answers = d.answers[0], d.answers[1:]
	}
	d.got = append(d.got, push)
	p.mu.Unlock()
	p.arrived <- struct{}{}
	if answer.RetryAfter != "" {
		w.Header().Set("Retry-After", answer.RetryAfter)
	}
	w.WriteHeader(answer.Status)
}

// Wait waits for the device's n-th push (1-based) and returns all so far;
// it fails the test on a push that did not pass the checks.
func (p *PushService) Wait(t testing.TB, d *Device, n int) []Push {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		got := p.Got(d)
		for _, g := range got {
			if g.Err != nil {
				t.Fatalf("device %s got an invalid push: %v", d.Name, g.Err)
			}
		}
		if len(got) >= n {
			return got
		}
		select {
		case <-p.arrived:
		case <-deadline:
			t.Fatalf("device %s: %d of %d pushes after 10 s", d.Name, len(got), n)
		}
	}
}

// Got returns the pushes the device received so far.
func (p *PushService) Got(d *Device) []Push {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Push(nil), d.got...)
}

// checkVAPID verifies the Authorization header (RFC 8292).
func (p *PushService) checkVAPID(r *http.Request) error {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "vapid ")
	if !ok {
		return fmt.Errorf("authorization %q is not vapid", auth)
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		params[k] = v
	}
	if params["k"] != p.vapidKey {
		return fmt.Errorf("vapid k=%q, want the server's vapidPublicKey %q", params["k"], p.vapidKey)
	}
	parts := strings.Split(params["t"], ".")
	if len(parts) != 3 {
		return errors.New("vapid t is not a JWT")
	}
	var header struct{ Alg, Typ string }
	var claims struct {
		Aud string
		Exp int64
		Sub string
	}
	if err := decodeJSON(parts[0], &header); err != nil || header.Alg != "ES256" {
		return fmt.Errorf("jwt header %+v: %w", header, err)
	}
	if err := decodeJSON(parts[1], &claims); err != nil {
		return err
	}
	keyBytes, err := base64.RawURLEncoding.DecodeString(p.vapidKey)
	if err != nil {
		return err
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), keyBytes)
	if err != nil {
		return err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return errors.New("jwt signature is not 64 bytes (r||s)")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return errors.New("jwt signature does not verify with vapidPublicKey")
	}
	if claims.Aud != p.URL {
		return fmt.Errorf("jwt aud %q, want the push service's origin %q", claims.Aud, p.URL)
	}
	if now := time.Now().Unix(); claims.Exp <= now || claims.Exp > now+24*3600 {
		return fmt.Errorf("jwt exp %d is not within 24 h from now", claims.Exp)
	}
	if !strings.HasPrefix(claims.Sub, "mailto:") && !strings.HasPrefix(claims.Sub, "https:") {
		return fmt.Errorf("jwt sub %q is not a mailto: or https: URL", claims.Sub)
	}
	return nil
}

func decodeJSON(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// decrypt opens an aes128gcm body (RFC 8188) with the device's keys
// (RFC 8291 section 3.4).
func (d *Device) decrypt(h http.Header, body []byte) ([]byte, error) {
	if h.Get("Content-Encoding") != "aes128gcm" {
		return nil, fmt.Errorf("content-encoding %q", h.Get("Content-Encoding"))
	}
	if len(body) < 21 {
		return nil, errors.New("body shorter than its header")
	}
	salt, rs, idLen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if len(body) < 21+idLen || int(rs) < len(body)-21-idLen {
		return nil, errors.New("body is not a single aes128gcm record")
	}
	serverPub, err := ecdh.P256().NewPublicKey(body[21 : 21+idLen])
	if err != nil {
		return nil, fmt.Errorf("keyid is not the server's P-256 key: %w", err)
	}
	shared, err := d.priv.ECDH(serverPub)
	if err != nil {
		return nil, err
	}
	info := append(append([]byte("WebPush: info\x00"), d.priv.PublicKey().Bytes()...), serverPub.Bytes()...)
	ikm, err := hkdf.Key(sha256.New, shared, d.auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, body[21+idLen:], nil)
	if err != nil {
		return nil, fmt.Errorf("aes128gcm: %w", err)
	}
	// The last record ends with the delimiter 2, then zero padding.
	end := bytes.LastIndexFunc(plain, func(r rune) bool { return r != 0 })
	if end < 0 || plain[end] != 2 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:end], nil
}
