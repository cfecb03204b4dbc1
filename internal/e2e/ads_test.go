package e2e

import (
	"context"
	"testing"

	"entgo.io/ent/privacy"

	"pageinbox/internal/apptest"
)

// TestMessagesFromAnAdKeepASnapshot is rule 9.
func TestMessagesFromAnAdKeepASnapshot(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "ads")
		ad := s.Do(owner.Token, `mutation($p: ID!) { createAd(input: {pageId: $p, title: "Winter sale", body: "-30%", imageUrl: "https://cdn.example.com/sale.png"}) { ad { id title active page { id } } } }`,
			apptest.Vars{"p": page.ID}).OK()
		adID := ad.String("createAd.ad.id")
		send := `mutation($p: ID!, $a: ID) { sendMessageToPage(input: {pageId: $p, body: "Is it still on?", adId: $a}) {
			message { referral { source ad { adId title body imageUrl } } } thread { id } } }`
		r := s.Do(visitor.Token, send, apptest.Vars{"p": page.ID, "a": adID}).OK()
		if r.String("sendMessageToPage.message.referral.source") != "AD" || r.String("sendMessageToPage.message.referral.ad.adId") != adID ||
			r.String("sendMessageToPage.message.referral.ad.title") != "Winter sale" {
			t.Fatalf("referral: %s", r.Raw)
		}
		thread := r.String("sendMessageToPage.thread.id")
		// The ad changes; the snapshot does not.
		if err := s.Client.Ad.UpdateOneID(apptest.RowID(t, adID)).SetTitle("Spring sale").Exec(privacy.DecisionContext(context.Background(), privacy.Allow)); err != nil { // test set-up past the rules
			t.Fatal(err)
		}
		th := s.Thread(owner.Token, thread).OK()
		if th.String("node.messages.edges.0.node.referral.ad.title") != "Winter sale" || th.String("node.messages.edges.0.node.referral.ad.body") != "-30%" {
			t.Fatalf("staff must see the ad as it was: %s", th.Raw)
		}
		// Ads are staff-only; another page's ad is refused.
		if !s.Do(visitor.Token, `query($h: String!) { page(handle: $h) { ads { id } } }`, apptest.Vars{"h": page.Handle}).OK().Null("page.ads") {
			t.Fatal("visitors do not list ads")
		}
		other := s.SignUp("other")
		otherPage := s.CreatePage(other, "otherads")
		s.Do(visitor.Token, send, apptest.Vars{"p": otherPage.ID, "a": adID}).WantCode("NOT_FOUND")
		s.Do(owner.Token, `mutation($p: ID!) { createAd(input: {pageId: $p, title: "x", imageUrl: "javascript:alert(1)"}) { ad { id } } }`,
			apptest.Vars{"p": page.ID}).WantCode("BAD_USER_INPUT")
	})
}
