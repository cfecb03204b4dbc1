package messaging

import "testing"

// TestValidEmoji: one grapheme cluster that is a pictograph or symbol.
func TestValidEmoji(t *testing.T) {
	for e, ok := range map[string]bool{
		"👍": true, "👍🏽": true, "👨‍👩‍👧": true, "🇳🇴": true, "❤️": true, "1️⃣": true, "★": true,
		"": false, "a": false, "ab": false, "👍👍": false, " ": false, "!": false, "1": false, "é": false,
		"\u0301": false, "👍 ": false,
	} {
		if err := validEmoji(e); (err == nil) != ok {
			t.Errorf("validEmoji(%q) = %v, want ok=%v", e, err, ok)
		}
	}
}
