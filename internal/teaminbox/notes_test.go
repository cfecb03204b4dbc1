package teaminbox

import (
	"slices"
	"testing"
)

// TestMentionedHandles: "@handle" anywhere, lower-cased, once; a trailing
// full stop ends the sentence; e-mail addresses mention nobody.
func TestMentionedHandles(t *testing.T) {
	for body, want := range map[string][]string{
		"@Ann please check":               {"ann"},
		"ask @bob.smith. Then @ann, @ANN": {"bob.smith", "ann"},
		"mail ann@example.com":            nil,
		"@ab is too short; (@carl_2)":     {"carl_2"},
		"no mention here":                 nil,
	} {
		if got := mentionedHandles(body); !slices.Equal(got, want) {
			t.Errorf("mentionedHandles(%q) = %v, want %v", body, got, want)
		}
	}
}
