package inbox

import (
	"strings"
	"unicode"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"pageinbox/ent"
	"pageinbox/ent/predicate"
	"pageinbox/ent/thread"
	"pageinbox/ent/user"
	"pageinbox/internal/apierr"
	"pageinbox/internal/store"
)

// Filter narrows a page's inbox (rule 15). Nil fields do not filter.
type Filter struct {
	Status     *thread.Status `json:"status,omitempty"`
	Unread     *bool          `json:"unread,omitempty"`
	AssigneeID *int           `json:"assigneeId,omitempty"`
	Label      *string        `json:"label,omitempty"`
	Search     *string        `json:"search,omitempty"`
	Priority   *Priority      `json:"priority,omitempty"`
	Sort       *Sort          `json:"sort,omitempty"`
}

// apply adds the filter's predicates to an inbox query.
func (s *Service) apply(q *ent.ThreadQuery, f *Filter) error {
	if f == nil {
		return nil
	}
	if f.Status != nil {
		q.Where(thread.StatusEQ(*f.Status))
	}
	if f.Unread != nil {
		if *f.Unread {
			q.Where(thread.PageUnreadGT(0))
		} else {
			q.Where(thread.PageUnread(0))
		}
	}
	if f.AssigneeID != nil {
		q.Where(thread.AssigneeID(*f.AssigneeID))
	}
	if f.Priority != nil {
		rank, err := f.Priority.Rank()
		if err != nil {
			return err
		}
		q.Where(thread.Priority(rank))
	}
	if f.Label != nil {
		q.Where(func(s *sql.Selector) { s.Where(sqljson.ValueContains(s.C(thread.FieldLabels), *f.Label)) })
	}
	if f.Search != nil {
		terms := searchTerms(*f.Search)
		if len(terms) == 0 {
			return apierr.New(apierr.BadUserInput, "search needs at least one word")
		}
		if len(terms) > 10 {
			return apierr.New(apierr.LimitExceeded, "search takes at most 10 words")
		}
		q.Where(thread.Or(
			predicate.Thread(store.ThreadsWithMessagesMatching(terms)),
			thread.HasVisitorWith(visitorNameMatches(terms)...),
			thread.HasNotesWith(notesMatch(terms)...),
		))
	}
	return nil
}

// searchTerms splits a search into words of letters and digits; anything
// else (quotes, operators) is a separator, so user input never becomes
// query syntax.
func searchTerms(q string) []string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	out := words[:0]
	for _, w := range words {
		if len([]rune(w)) <= 64 {
			out = append(out, w)
		}
	}
	return out
}

// visitorNameMatches: every term appears in the visitor's name.
func visitorNameMatches(terms []string) []predicate.User {
	ps := make([]predicate.User, len(terms))
	for i, t := range terms {
		ps[i] = user.NameContainsFold(t)
	}
	return ps
}
