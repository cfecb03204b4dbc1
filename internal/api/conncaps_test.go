package api

import (
	"context"
	"net/http/httptest"
	"testing"

	"pageinbox/internal/apierr"
	"pageinbox/internal/viewer"
)

func TestSocketSlotCountsOperationsAndSubscriptionsApart(t *testing.T) {
	caps := newConnCaps(ConnCaps{SubscriptionsPerSocket: 2, OperationsPerSocket: 1, SocketsPerPerson: 1, SocketsPerAddress: 1}, nil, nil)
	slot, err := caps.admitSocket(httptest.NewRequest("GET", "/query", nil))
	if err != nil {
		t.Fatal(err)
	}
	op, err := slot.startOperation(false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := slot.startOperation(false); !apierr.Has(err, apierr.LimitExceeded) {
		t.Fatalf("2nd operation in flight: %v", err)
	}
	// Subscriptions have their own cap.
	for range 2 {
		if _, err := slot.startOperation(true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := slot.startOperation(true); err == nil {
		t.Fatal("3rd subscription accepted")
	}
	op()
	op() // releasing twice counts once
	if _, err := slot.startOperation(false); err != nil {
		t.Fatalf("after the first ended: %v", err)
	}
	if _, err := slot.startOperation(false); err == nil {
		t.Fatal("a double release made room for two")
	}

	// The address's one anonymous socket is full until this one says
	// who it is; then the person's cap applies.
	if _, err := caps.admitSocket(httptest.NewRequest("GET", "/query", nil)); err == nil {
		t.Fatal("2nd anonymous socket of one address accepted")
	}
	ctx := withPerson(context.Background(), viewer.ForUser(7, 1, nil))
	if err := slot.identify(ctx); err != nil {
		t.Fatal(err)
	}
	other, err := caps.admitSocket(httptest.NewRequest("GET", "/query", nil))
	if err != nil {
		t.Fatalf("the address's slot was not freed: %v", err)
	}
	if err := other.identify(ctx); !apierr.Has(err, apierr.LimitExceeded) {
		t.Fatalf("2nd socket of one person: %v", err)
	}
	other.leave()
	slot.leave()
	slot.leave()
	if n := len(caps.sockets.n); n != 0 {
		t.Fatalf("%d keys left after every socket closed", n)
	}
}
