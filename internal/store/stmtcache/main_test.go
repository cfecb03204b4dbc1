package stmtcache_test

import (
	"testing"

	"pageinbox/internal/apptest"
)

func TestMain(m *testing.M) { apptest.Main(m) }
