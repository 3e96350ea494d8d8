package orders

import (
	"encoding/json"
	"testing"
)

// The small reader accepts exactly what encoding/json accepts, except a
// key given twice and invalid UTF-8, which it refuses on purpose.
func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	inputs := []string{
		`{}`, `[]`, `{"a":1}`, ` {"a" : [1, 2.5, -3e+2, true, false, null, "x"]} `, `{"a":"\u00e9\ud83d\ude00\n\t\\\/\""}`,
		`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":.5}`, `{"a":1e}`, `{"a":"\x"}`, `{"a":"` + "\x01" + `"}`, `{"a":tru}`,
		`{"a":1,}`, `[1,]`, `{"a" 1}`, `{a:1}`, `{"a":1}x`, `{"a":1} {}`, `"\ud800"`, `{"a":"\u12"}`, ``, ` `, `nul`,
		`{"a":{"b":{"c":[[[]]]}}}`, `0`, `-0.0e-0`,
	}
	for _, in := range inputs {
		_, err := parseJSON([]byte(in))
		if (err == nil) != json.Valid([]byte(in)) {
			t.Errorf("%q: parseJSON err %v, json.Valid %v", in, err, json.Valid([]byte(in)))
		}
	}
	for _, in := range []string{`{"a":1,"a":2}`, "\"\xff\""} {
		if _, err := parseJSON([]byte(in)); err == nil {
			t.Errorf("%q was accepted", in)
		}
	}
}

func TestCanonicalHash(t *testing.T) {
	t.Parallel()
	h := func(s string) [32]byte {
		v, err := parseJSON([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return canonicalHashOf(v)
	}
	same := [][2]string{
		{`{"a":"1.00","b":[1,{"c":"x","d":null}]}`, ` { "b" : [ 1 , { "d" : null , "c" : "x" } ] , "a" : "1.00" } `},
		{`{"a":"é"}`, `{"a":"\u00e9"}`},
	}
	for _, p := range same {
		if h(p[0]) != h(p[1]) {
			t.Errorf("%s and %s should hash equal", p[0], p[1])
		}
	}
	differ := [][2]string{
		{`{"a":"1.00"}`, `{"a":"1.0"}`}, {`{"a":1}`, `{"a":"1"}`}, {`{"a":null}`, `{}`}, {`{"a":[1,2]}`, `{"a":[2,1]}`},
		{`{"a":"x","b":"y"}`, `{"a":"xb","":"y"}`}, {`{"ab":"c"}`, `{"a":"bc"}`},
	}
	for _, p := range differ {
		if h(p[0]) == h(p[1]) {
			t.Errorf("%s and %s should hash differently", p[0], p[1])
		}
	}
}

func TestIsAmount(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"0": true, "0.5": true, "0.50": true, "12.34": true, "1234567890.12": true, "10": true,
		"": false, ".5": false, "5.": false, "05": false, "00.1": false, "1.234": false, "-1": false, "+1": false, "1e2": false,
		"12345678901": false, "1,5": false, " 1": false, "1.2a": false} {
		if got := isAmount(s); got != want {
			t.Errorf("isAmount(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{"A-1": true, "a.b_c~d:e-9": true, "": false, "a b": false, "a/b": false, "é": false} {
		if got := isOrderID(s); got != want {
			t.Errorf("isOrderID(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{"1": true, "12": true, "0": false, "01": false, "-1": false, "1.0": false, "": false} {
		if got := isID(s); got != want {
			t.Errorf("isID(%q) = %v, want %v", s, got, want)
		}
	}
}
