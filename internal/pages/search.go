package pages

import (
	"strings"
	"unicode/utf8"

	"pageinbox/internal/apierr"
)

// MaxSearchLength caps a search text. Searches become LIKE patterns, and
// SQLite refuses patterns over 50,000 bytes ("LIKE or GLOB pattern too
// complex", which surfaced as INTERNAL) where PostgreSQL scans on: one
// bound, well under both, keeps the databases alike and searches cheap.
const MaxSearchLength = 200

// searchText trims a search and refuses one over MaxSearchLength.
func searchText(text string) (string, error) {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > MaxSearchLength {
		return "", apierr.Errorf(apierr.LimitExceeded, "a search is at most %d characters", MaxSearchLength)
	}
	return text, nil
}
