package handlers

import "testing"

func TestSafeNextKeepsOnlyLocalPaths(t *testing.T) {
	for _, tt := range []struct{ next, want string }{
		{"/campaigns?tab=upcoming", "/campaigns?tab=upcoming"},
		{"/registrations/5#sku-3", "/registrations/5#sku-3"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"}, // an encoded slash stays a path
		{"//evil.example/x", ""},
		{"/\t/evil.example/", ""}, // browsers drop the tab: //evil.example/
		{"/\n/evil.example/", ""},
		{"/\r/evil.example/", ""},
		{"/\\evil.example", ""}, // browsers read \ as /
		{"/\t\\evil.example", ""},
		{"\\\\evil.example", ""},
		{"http://evil.example/", ""},
		{"https:evil.example", ""},
		{"javascript:alert(1)", ""},
		{" /campaigns", ""},
		{"/\u00a0/evil.example", ""},
		{"/\x00", ""},
		{"/\xff\xfe", ""},
		{"", ""},
		{"campaigns", ""},
		{"/login", ""},
		{"/logout?x=1", ""},
	} {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
