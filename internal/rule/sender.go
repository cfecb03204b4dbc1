package rule

import "context"

// SenderVisible is rule 11's last sentence: which staff member sent a PAGE
// message is visible to the page's inbox staff only. Other messages name
// their sender to everyone who can see them.
func SenderVisible(ctx context.Context, isPageMessage bool, pageID int) (bool, error) {
	if !isPageMessage {
		return true, nil
	}
	return IsInboxStaff(ctx, pageID)
}
