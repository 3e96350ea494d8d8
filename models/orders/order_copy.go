package orders

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// pgcopy builds the rows of a COPY ... (FORMAT binary): a tuple is its
// field count, then each field as its length and PostgreSQL's binary form
// (https://www.postgresql.org/docs/15/sql-copy.html, "Binary Format").
// The importer writes orders, their lines and their campaigns this way:
// PostgreSQL then reads each value as it stores it (no numeric_in or
// timestamptz_in on a million orders), and amounts are written from
// decimal's int64 coefficient in base-10000 digits. Each method must match
// the column's type exactly; a numeric still passes through the column's
// typmod on the server (numeric(12,2) rounds and checks as it does text).
type pgcopy struct {
	b      bytes.Buffer
	tuples int
	start  int // where the current tuple's field count is
	fields int
}

// pgCopySignature is the binary COPY header: signature, flags, extension length.
var pgCopySignature = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// pgEpochMicros is 2000-01-01 00:00:00 UTC in Unix microseconds.
const pgEpochMicros = 946684800 * 1000000

func (c *pgcopy) begin() *pgcopy {
	if c.b.Len() == 0 {
		c.b.Write(pgCopySignature)
	}
	c.start = c.b.Len()
	c.b.Write([]byte{0, 0})
	c.fields = 0
	return c
}

func (c *pgcopy) end() {
	binary.BigEndian.PutUint16(c.b.Bytes()[c.start:], uint16(c.fields))
	c.tuples++
}

// data is the whole COPY stream: the header, the tuples and the trailer.
func (c *pgcopy) data() *bytes.Buffer {
	c.b.Write([]byte{0xff, 0xff})
	return &c.b
}

func (c *pgcopy) field(n int) {
	c.fields++
	c.b.Write(binary.BigEndian.AppendUint32(c.b.AvailableBuffer(), uint32(n)))
}

func (c *pgcopy) null() *pgcopy {
	c.fields++
	c.b.Write([]byte{0xff, 0xff, 0xff, 0xff})
	return c
}

func (c *pgcopy) int8(n int64) *pgcopy {
	c.field(8)
	c.b.Write(binary.BigEndian.AppendUint64(c.b.AvailableBuffer(), uint64(n)))
	return c
}

func (c *pgcopy) int4(n int) (*pgcopy, error) {
	if n < math.MinInt32 || n > math.MaxInt32 {
		return c, fmt.Errorf("%d does not fit an integer column", n)
	}
	c.field(4)
	c.b.Write(binary.BigEndian.AppendUint32(c.b.AvailableBuffer(), uint32(int32(n))))
	return c, nil
}

func (c *pgcopy) int2(n int) (*pgcopy, error) {
	if n < math.MinInt16 || n > math.MaxInt16 {
		return c, fmt.Errorf("%d does not fit a smallint column", n)
	}
	c.field(2)
	c.b.Write(binary.BigEndian.AppendUint16(c.b.AvailableBuffer(), uint16(int16(n))))
	return c, nil
}

// text is a text column: the string's bytes, as the server's encoding
// (UTF-8) has them.
func (c *pgcopy) text(s string) *pgcopy {
	c.field(len(s))
	c.b.WriteString(s)
	return c
}

func (c *pgcopy) bytea(b []byte) *pgcopy {
	c.field(len(b))
	c.b.Write(b)
	return c
}

// jsonb is a jsonb column: format version 1, then the JSON text.
func (c *pgcopy) jsonb(js string) *pgcopy {
	c.field(1 + len(js))
	c.b.WriteByte(1)
	c.b.WriteString(js)
	return c
}

// timestamptz is microseconds since 2000-01-01 UTC, the fraction of a
// microsecond dropped (as the text form's six decimals did).
func (c *pgcopy) timestamptz(t time.Time) *pgcopy {
	return c.int8(t.UnixMicro() - pgEpochMicros)
}

// date is days since 2000-01-01, from YYYY-MM-DD.
func (c *pgcopy) date(day string) (*pgcopy, error) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return c, err
	}
	days := (t.Unix()*1000000 - pgEpochMicros) / (86400 * 1000000)
	c.field(4)
	c.b.Write(binary.BigEndian.AppendUint32(c.b.AvailableBuffer(), uint32(int32(days))))
	return c, nil
}

// numeric writes an amount or a rate exactly: its digits in base 10000
// around the decimal point, the display scale its own number of decimals.
func (c *pgcopy) numeric(d decimal.Decimal) *pgcopy {
	var buf [48]byte
	var digits []byte // decimal digits, no sign, no leading zeros needed
	var scale int     // how many of them are decimals
	exp := d.Exponent()
	if exp <= 0 && exp >= -18 && d.NumDigits() <= 18 {
		coef := d.CoefficientInt64()
		if coef < 0 {
			coef = -coef
		}
		digits, scale = strconv.AppendInt(buf[:0], coef, 10), int(-exp)
	} else {
		digits, scale = decimalDigits(d)
	}
	neg := d.Sign() < 0
	// Pad so the decimals fill whole groups of four and the integer part
	// too: the groups then sit on the point.
	intLen := len(digits) - scale
	lead := 0
	if intLen < 0 {
		lead = -intLen // the decimals start with zeros the digits lack
		intLen = 0
	}
	padLeft := (4 - intLen%4) % 4
	fracLen := scale
	padRight := (4 - fracLen%4) % 4
	total := padLeft + intLen + fracLen + padRight
	weight := (padLeft+intLen)/4 - 1
	at := func(i int) byte { // the i-th digit of the padded string
		i -= padLeft
		if i < intLen {
			if i < 0 {
				return 0
			}
			return digits[i] - '0'
		}
		i -= intLen // into the decimals
		if i < lead || i >= fracLen {
			return 0
		}
		return digits[intLen+i-lead] - '0'
	}
	var groups [16]int16
	all := groups[:0]
	for g := 0; g < total/4; g++ {
		all = append(all, int16(at(4*g))*1000+int16(at(4*g+1))*100+int16(at(4*g+2))*10+int16(at(4*g+3)))
	}
	for len(all) > 0 && all[0] == 0 { // leading zero groups
		all = all[1:]
		weight--
	}
	for len(all) > 0 && all[len(all)-1] == 0 { // trailing zero groups
		all = all[:len(all)-1]
	}
	sign := uint16(0)
	if neg && len(all) > 0 {
		sign = 0x4000
	}
	if len(all) == 0 {
		weight = 0
	}
	c.field(8 + 2*len(all))
	b := c.b.AvailableBuffer()
	b = binary.BigEndian.AppendUint16(b, uint16(len(all)))
	b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
	b = binary.BigEndian.AppendUint16(b, sign)
	b = binary.BigEndian.AppendUint16(b, uint16(scale))
	for _, g := range all {
		b = binary.BigEndian.AppendUint16(b, uint16(g))
	}
	c.b.Write(b)
	return c
}

// decimalDigits is the digits of |d| and how many of them are decimals
// (its own: -exponent), for a value whose coefficient is past an int64 or
// whose exponent is positive.
func decimalDigits(d decimal.Decimal) ([]byte, int) {
	digits := []byte(d.Coefficient().Abs(d.Coefficient()).String())
	if exp := int(d.Exponent()); exp < 0 {
		return digits, -exp
	}
	return append(digits, bytes.Repeat([]byte{'0'}, int(d.Exponent()))...), 0
}
