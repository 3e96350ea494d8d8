package orders

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// A small strict JSON reader for order bodies. encoding/json into
// map[string]any and back out for the replay hash cost ~30 µs an order;
// this reads the same grammar (RFC 8259) into a light tree in a few, so a
// back-fill of a million orders is not spent parsing. Numbers are kept as
// written, strings unescaped, objects as ordered key lists (a key given
// twice is refused).

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

type jval struct {
	kind jkind
	str  string // string value, number as written, "true"/"false"
	arr  []jval
	obj  []jfield
}

type jfield struct {
	key string
	val jval
}

func (v jval) get(key string) (jval, bool) {
	for _, f := range v.obj {
		if f.key == key {
			return f.val, true
		}
	}
	return jval{}, false
}

type jparser struct {
	b     []byte
	s     string // b as one string: strings and numbers without escapes are its substrings
	i     int
	depth int
	// While an object or an array is read, its members wait on these
	// stacks (a nested value's own members above them); when it ends they
	// are copied out to a slice of exactly their length, cut from a slab
	// shared by the whole body: a few allocations an order instead of two
	// or three an object.
	fields []jfield
	elems  []jval
	fslab  []jfield
	eslab  []jval
}

// cutFields copies the fields from base up off the stack.
func (p *jparser) cutFields(base int) []jfield {
	n := len(p.fields) - base
	if n > len(p.fslab) {
		p.fslab = make([]jfield, max(n, 24))
	}
	out := p.fslab[:n:n]
	p.fslab = p.fslab[n:]
	copy(out, p.fields[base:])
	clear(p.fields[base:])
	p.fields = p.fields[:base]
	return out
}

// cutElems copies the elements from base up off the stack.
func (p *jparser) cutElems(base int) []jval {
	n := len(p.elems) - base
	if n > len(p.eslab) {
		p.eslab = make([]jval, max(n, 8))
	}
	out := p.eslab[:n:n]
	p.eslab = p.eslab[n:]
	copy(out, p.elems[base:])
	clear(p.elems[base:])
	p.elems = p.elems[:base]
	return out
}

var errJSONDepth = errors.New("nested too deeply")

// stacks keeps the parsers' member stacks between bodies (only the
// stacks: what a body's values hold is cut from its own slabs).
var stacks = sync.Pool{New: func() any { return &jparser{fields: make([]jfield, 0, 32), elems: make([]jval, 0, 16)} }}

// parseJSON reads exactly one JSON value.
func parseJSON(b []byte) (jval, error) {
	p := stacks.Get().(*jparser)
	defer func() {
		*p = jparser{fields: p.fields[:0], elems: p.elems[:0]}
		stacks.Put(p)
	}()
	p.b, p.s = b, string(b)
	// Room for the body's fields at once: a field takes 16 bytes or more.
	p.fslab = make([]jfield, min(max(len(b)/16, 8), 512))
	p.ws()
	v, err := p.value()
	if err != nil {
		return v, err
	}
	p.ws()
	if p.i != len(p.b) {
		return v, fmt.Errorf("unexpected %q after the value at offset %d", p.b[p.i], p.i)
	}
	return v, nil
}

func (p *jparser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) fail(what string) error {
	if p.i >= len(p.b) {
		return fmt.Errorf("unexpected end of input, expected %s", what)
	}
	return fmt.Errorf("invalid character %q at offset %d, expected %s", p.b[p.i], p.i, what)
}

func (p *jparser) value() (jval, error) {
	if p.i >= len(p.b) {
		return jval{}, p.fail("a value")
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		return jval{kind: jString, str: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", jval{kind: jBool, str: "true"})
	case c == 'f':
		return p.literal("false", jval{kind: jBool, str: "false"})
	case c == 'n':
		return p.literal("null", jval{kind: jNull})
	}
	return jval{}, p.fail("a value")
}

func (p *jparser) literal(word string, v jval) (jval, error) {
	if len(p.b)-p.i >= len(word) && string(p.b[p.i:p.i+len(word)]) == word {
		p.i += len(word)
		return v, nil
	}
	return jval{}, p.fail(word)
}

func (p *jparser) object() (jval, error) {
	if p.depth++; p.depth > 32 {
		return jval{}, errJSONDepth
	}
	defer func() { p.depth-- }()
	p.i++ // {
	v := jval{kind: jObject}
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return v, nil
	}
	base := len(p.fields)
	defer func() { // on an error; after success the fields were cut out already
		if len(p.fields) > base {
			clear(p.fields[base:])
			p.fields = p.fields[:base]
		}
	}()
	for {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return v, p.fail("a field name")
		}
		k, err := p.string()
		if err != nil {
			return v, err
		}
		for _, f := range p.fields[base:] {
			if f.key == k {
				return v, fmt.Errorf("field %q is given twice", k)
			}
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return v, p.fail("':'")
		}
		p.i++
		p.ws()
		val, err := p.value()
		if err != nil {
			return v, err
		}
		p.fields = append(p.fields, jfield{key: k, val: val})
		p.ws()
		if p.i >= len(p.b) {
			return v, p.fail("',' or '}'")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			v.obj = p.cutFields(base)
			return v, nil
		default:
			return v, p.fail("',' or '}'")
		}
	}
}

func (p *jparser) array() (jval, error) {
	if p.depth++; p.depth > 32 {
		return jval{}, errJSONDepth
	}
	defer func() { p.depth-- }()
	p.i++ // [
	v := jval{kind: jArray}
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return v, nil
	}
	base := len(p.elems)
	defer func() { // on an error; after success the elements were cut out already
		if len(p.elems) > base {
			clear(p.elems[base:])
			p.elems = p.elems[:base]
		}
	}()
	for {
		p.ws()
		val, err := p.value()
		if err != nil {
			return v, err
		}
		p.elems = append(p.elems, val)
		p.ws()
		if p.i >= len(p.b) {
			return v, p.fail("',' or ']'")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			v.arr = p.cutElems(base)
			return v, nil
		default:
			return v, p.fail("',' or ']'")
		}
	}
}

func (p *jparser) number() (jval, error) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return jval{}, p.fail("a digit")
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return jval{}, p.fail("a digit")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return jval{}, p.fail("a digit")
		}
	}
	return jval{kind: jNumber, str: p.s[start:p.i]}, nil
}

func (p *jparser) string() (string, error) {
	p.i++ // opening quote
	start := p.i
	// Fast path: no escapes.
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			if !utf8.ValidString(s) {
				return "", errors.New("a string is not valid UTF-8")
			}
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.fail("no control characters in a string")
		}
		p.i++
	}
	buf := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", errors.New("a string is not valid UTF-8")
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.fail("no control characters in a string")
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.b) {
			return "", p.fail("an escape")
		}
		switch e := p.b[p.i]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4(p.i + 1)
			if !ok {
				return "", p.fail("four hex digits")
			}
			p.i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := p.hex4(p.i + 3); ok && p.i+2 < len(p.b) && p.b[p.i+1] == '\\' && p.b[p.i+2] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						p.i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.fail("a valid escape")
		}
		p.i++
	}
	return "", p.fail("'\"'")
}

func (p *jparser) hex4(at int) (rune, bool) {
	if at+4 > len(p.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.b[at:at+4]), 16, 32)
	return rune(n), err == nil
}

// canonicalHashOf hashes a value so that equal JSON (object keys in any
// order, any whitespace, the same escapes decoded) hashes equal, and
// numbers and strings count as written ("5.0" is not "5.00").
func canonicalHashOf(v jval) [32]byte {
	buf := make([]byte, 0, 512)
	return sha256.Sum256(appendCanonical(buf, v))
}

func appendCanonical(b []byte, v jval) []byte {
	b = append(b, byte(v.kind))
	switch v.kind {
	case jBool, jNumber, jString:
		b = binary.LittleEndian.AppendUint32(b, uint32(len(v.str)))
		b = append(b, v.str...)
	case jArray:
		b = binary.LittleEndian.AppendUint32(b, uint32(len(v.arr)))
		for _, e := range v.arr {
			b = appendCanonical(b, e)
		}
	case jObject:
		fields := v.obj
		byKey := func(a, b jfield) int { return strings.Compare(a.key, b.key) }
		if !slices.IsSortedFunc(fields, byKey) {
			var local [8]jfield
			fields = append(local[:0], v.obj...)
			slices.SortFunc(fields, byKey)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(len(fields)))
		for _, f := range fields {
			b = binary.LittleEndian.AppendUint32(b, uint32(len(f.key)))
			b = append(b, f.key...)
			b = appendCanonical(b, f.val)
		}
	}
	return b
}
