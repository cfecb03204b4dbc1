package apptest

import (
	"testing"
	"time"
)

// Eventually polls cond until it returns nil and fails the test with
// cond's last error when timeout passes first. It is the one way tests
// wait for state they cannot be told about (a goroutine count, a row a
// background worker writes); events a test can receive are waited on
// with channels instead.
func Eventually(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	pause := time.Millisecond
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", timeout, err)
		}
		time.Sleep(pause)
		pause = min(2*pause, 20*time.Millisecond)
	}
}
