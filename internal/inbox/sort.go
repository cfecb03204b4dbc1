package inbox

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"entgo.io/contrib/entgql"

	"pageinbox/ent"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
)

// Priority is the contract's ThreadPriority (rule 36). Threads store its
// rank (0..4) so the inbox sorts by it through an index.
type Priority string

// Priorities, lowest first: the index in this list is the stored rank.
var priorities = [...]Priority{"NONE", "LOW", "MEDIUM", "HIGH", "URGENT"}

// Rank is the stored value of p.
func (p Priority) Rank() (int, error) {
	if i := slices.Index(priorities[:], p); i >= 0 {
		return i, nil
	}
	return 0, apierr.Errorf(apierr.BadUserInput, "%q is not a ThreadPriority", string(p))
}

// PriorityOf is the priority a thread has.
func PriorityOf(th *ent.Thread) Priority {
	if th.Priority < 0 || th.Priority >= len(priorities) {
		return priorities[0]
	}
	return priorities[th.Priority]
}

// MarshalGQL writes the priority as a GraphQL enum value.
func (p Priority) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(p))) }

// UnmarshalGQL reads a GraphQL enum value.
func (p *Priority) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	if _, err := Priority(s).Rank(); err != nil {
		return fmt.Errorf("%v is not a ThreadPriority", v)
	}
	*p = Priority(s)
	return nil
}

// Sort is the contract's ThreadSort: how a page's inbox is ordered.
type Sort string

// Inbox orders. Each is read through an index leading with page_id.
const (
	// SortLastMessageAt: newest activity first (the default).
	SortLastMessageAt Sort = "LAST_MESSAGE_AT"
	// SortWaitingLongest: the threads whose visitor waits for a human
	// answer, the longest waiting first; threads nobody waits on are not
	// in this queue.
	SortWaitingLongest Sort = "WAITING_LONGEST"
	// SortPriority: URGENT first, then newest activity.
	SortPriority Sort = "PRIORITY"
)

// MarshalGQL writes the sort as a GraphQL enum value.
func (s Sort) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads a GraphQL enum value.
func (s *Sort) UnmarshalGQL(v any) error {
	str, _ := v.(string)
	switch Sort(str) {
	case SortLastMessageAt, SortWaitingLongest, SortPriority:
		*s = Sort(str)
		return nil
	}
	return fmt.Errorf("%v is not a ThreadSort", v)
}

// order is the pagination order of a sort, with the predicate the order
// needs (WAITING_LONGEST lists waiting threads only).
func order(q *ent.ThreadQuery, s *Sort) ent.ThreadPaginateOption {
	if s == nil {
		return newestFirst()
	}
	switch *s {
	case SortWaitingLongest:
		q.Where(thread.WaitingSinceNotNil())
		return ent.WithThreadOrder([]*ent.ThreadOrder{{
			Direction: entgql.OrderDirectionAsc, Field: ent.ThreadOrderFieldWaitingSince,
		}})
	case SortPriority:
		return ent.WithThreadOrder([]*ent.ThreadOrder{
			{Direction: entgql.OrderDirectionDesc, Field: ent.ThreadOrderFieldPriority},
			{Direction: entgql.OrderDirectionDesc, Field: ent.ThreadOrderFieldLastMessageAt},
		})
	}
	return newestFirst()
}

// newestFirst orders threads by latest activity.
func newestFirst() ent.ThreadPaginateOption {
	return ent.WithThreadOrder([]*ent.ThreadOrder{{
		Direction: entgql.OrderDirectionDesc,
		Field:     ent.ThreadOrderFieldLastMessageAt,
	}})
}
