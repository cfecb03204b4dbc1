package rule

import (
	"context"
	"slices"

	"entgo.io/ent"
	"entgo.io/ent/privacy"
)

// Grant lets the writes of one authorized operation through the mutation
// policies. It is created only inside this package, by the Authorize*
// functions, after they checked the viewer; a code path that skipped the check
// has no grant and its writes are denied.
type Grant struct {
	reason string
	types  []string
}

type grantKey struct{}

// grant returns ctx carrying permission to mutate the given ent types.
func grant(ctx context.Context, reason string, types ...string) context.Context {
	g := Grant{reason: reason, types: types}
	if prev, ok := ctx.Value(grantKey{}).(Grant); ok {
		g.types = append(slices.Clone(prev.types), types...)
		g.reason = prev.reason + "; " + reason
	}
	return context.WithValue(ctx, grantKey{}, g)
}

// AllowGranted allows a mutation whose type the context's grant covers.
func AllowGranted() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if g, ok := ctx.Value(grantKey{}).(Grant); ok && slices.Contains(g.types, m.Type()) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// DenyMutation ends every mutation policy: what was not allowed is denied.
func DenyMutation() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(_ context.Context, m ent.Mutation) error {
		return privacy.Denyf("rule: %s %s is not authorized", m.Op(), m.Type())
	})
}

// Policy is the policy of every ent type: the given query rules, and
// mutations allowed only under a grant.
func Policy(query ...privacy.QueryRule) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy(query),
		Mutation: privacy.MutationPolicy{AllowGranted(), DenyMutation()},
	}
}
