package messaging

import (
	"strings"
	"testing"
	"unicode/utf8"

	"pageinbox/internal/apierr"
)

// FuzzValidateBody: any body is either accepted as rule 7 says (valid
// UTF-8, 1-10,000 characters, not blank unless there are attachments) or
// refused with a client code - never a panic, never INTERNAL.
func FuzzValidateBody(f *testing.F) {
	for _, s := range []string{"hello", "", "   ", "\xff\xfe", "a\x00b", strings.Repeat("é", MaxBodyRunes), strings.Repeat("x", MaxBodyRunes+1), "\u200b", "🙂"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, body string, hasAttachments bool) {
		err := validateBody(body, hasAttachments)
		if err != nil {
			if c := apierr.CodeOf(err); c != apierr.BadUserInput && c != apierr.LimitExceeded {
				t.Fatalf("%q: code %s", body, c)
			}
			return
		}
		if !utf8.ValidString(body) || utf8.RuneCountInString(body) > MaxBodyRunes {
			t.Fatalf("accepted %q", body)
		}
		if strings.TrimSpace(body) == "" && !hasAttachments {
			t.Fatalf("accepted a blank body without attachments: %q", body)
		}
	})
}
