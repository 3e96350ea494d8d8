package routes

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Fill builds a URL from a route pattern, replacing its ":name" segments
// in order with the values given: int64 ids or strings (path-escaped). A
// pattern and its builder are thus one definition; a wrong count of values
// is a programming error and panics, which the route test catches.
func Fill(pattern string, values ...any) string {
	segs := strings.Split(pattern, "/")
	n := 0
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		if n >= len(values) {
			panic(fmt.Sprintf("routes: %s needs more than %d values", pattern, len(values)))
		}
		switch v := values[n].(type) {
		case int64:
			segs[i] = strconv.FormatInt(v, 10)
		case string:
			segs[i] = url.PathEscape(v)
		default:
			panic(fmt.Sprintf("routes: %s: value %d is a %T, not an int64 or a string", pattern, n, v))
		}
		n++
	}
	if n != len(values) {
		panic(fmt.Sprintf("routes: %s takes %d values, not %d", pattern, n, len(values)))
	}
	return strings.Join(segs, "/")
}
