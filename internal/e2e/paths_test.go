package e2e

import (
	"io"
	"strconv"
	"strings"
)

func itoa(i int) string { return strconv.Itoa(i) }

func jsonBody(s string) io.Reader { return strings.NewReader(s) }
