package account

import "testing"

func TestPasswordPolicyFollowsNIST80063B(t *testing.T) {
	common := loadCommonPasswords()
	for _, bad := range []string{"1234567", "        ", "\x00\x00\x00\x00\x00\x00\x00\x00", "  abc12  ", "password123",
		"PASSWORD1", "qwertyuiop", "zzzzzzzzzz", "abcdefghij", "98765432", "tab\there!", "ann.lee@example.com"} {
		if common.check(bad, "Ann Lee", "annlee", "ann.lee@example.com") == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"correct horse", "purple elephants dance", "ééééééé1", "Tr0ub4dor&3x", "spaces are fine here"} {
		if err := common.check(good, "Ann Lee", "annlee", "ann.lee@example.com"); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
	if len(common) < 5000 {
		t.Fatalf("only %d common passwords of 8+ characters loaded", len(common))
	}
}

func TestHandlePattern(t *testing.T) {
	for _, bad := range []string{"...", ".ann", "ann.", "_ann", "ann_", "a..b", "a._b", "ab", "a b", "ann-lee", "ünïcode", "abcdefghijabcdefghijabcdefghijx"} {
		if ValidateHandle(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"ann", "ann_lee", "ann.lee", "a1.b2_c3", "AnnLee", "123"} {
		if err := ValidateHandle(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}
