package account

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"
	"golang.org/x/text/unicode/norm"

	"pageinbox/internal/apierr"
)

// Password rules follow NIST SP 800-63B section 5.1.1.2: at least 8
// characters, any printable Unicode including spaces, at most 1024 bytes
// (the hashing cost bound), no composition rules ("a digit and a symbol"),
// and a refusal of passwords that are common, repetitive or sequential, or
// that repeat the account's own name, handle or email.
const (
	minPasswordRunes = 8
	maxPasswordBytes = 1024
)

// commonPasswords is the 30,000 most common passwords of public breach
// corpora as zxcvbn ships them (github.com/trustelem/zxcvbn/frequency,
// MIT); only those long enough to pass the length rule matter.
type commonPasswords map[string]struct{}

func loadCommonPasswords() commonPasswords {
	list := frequency.FrequencyLists["passwords"]
	set := make(commonPasswords, len(list)/2)
	for _, p := range list {
		if utf8.RuneCountInString(p) >= minPasswordRunes {
			set[p] = struct{}{}
		}
	}
	return set
}

// checkPassword refuses a password NIST SP 800-63B tells verifiers to
// refuse. context are the account's own words (name, handle, email).
func (c commonPasswords) check(password string, context ...string) error {
	if len(password) > maxPasswordBytes {
		return apierr.New(apierr.BadUserInput, "password must be at most 1024 bytes")
	}
	if !utf8.ValidString(password) {
		return apierr.New(apierr.BadUserInput, "password must be valid UTF-8")
	}
	for _, r := range password {
		if unicode.IsControl(r) {
			return apierr.New(apierr.BadUserInput, "password must not contain control characters")
		}
	}
	// NIST asks for Unicode normalisation before counting and hashing is
	// left as it is, so that a password typed on another keyboard still
	// matches; the count is over the normalised form.
	n := norm.NFKC.String(password)
	if utf8.RuneCountInString(strings.TrimSpace(n)) < minPasswordRunes {
		return apierr.New(apierr.BadUserInput, "password must be at least 8 characters")
	}
	lower := strings.ToLower(n)
	if _, ok := c[lower]; ok || repetitive(lower) || sequential(lower) {
		return apierr.New(apierr.BadUserInput, "this password is too common or too easy to guess; choose another")
	}
	for _, w := range context {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" && (lower == w || strings.Contains(w, lower)) {
			return apierr.New(apierr.BadUserInput, "the password must not be your name, handle or email")
		}
	}
	return nil
}

// repetitive: one character over and over ("aaaaaaaa", "        ").
func repetitive(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(first)) == ""
}

// sequential: each character one after the previous, up or down
// ("abcdefgh", "87654321").
func sequential(s string) bool {
	rs := []rune(s)
	if len(rs) < 2 {
		return false
	}
	step := rs[1] - rs[0]
	if step != 1 && step != -1 {
		return false
	}
	for i := 2; i < len(rs); i++ {
		if rs[i]-rs[i-1] != step {
			return false
		}
	}
	return true
}
