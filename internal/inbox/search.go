package inbox

import (
	"pageinbox/ent/note"
	"pageinbox/ent/predicate"
)

// notesMatch: staff's search also finds threads by their notes (rule 35).
// Only the page's inbox staff search its inbox (PageThreads), and they
// read its notes anyway; visitors have no search that reaches a note.
// Notes are few per thread, so a scan of the thread's notes is cheap.
func notesMatch(terms []string) []predicate.Note {
	ps := make([]predicate.Note, len(terms))
	for i, t := range terms {
		ps[i] = note.BodyContainsFold(t)
	}
	return ps
}
