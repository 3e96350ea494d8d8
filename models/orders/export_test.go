package orders

import (
	"bytes"
	"time"

	"github.com/shopspring/decimal"
)

// CopyBinaryForTest is the binary COPY stream of rows (i int4, x numeric,
// m numeric, at timestamptz, day date), as copyOrders encodes each type.
func CopyBinaryForTest(amounts []decimal.Decimal, times []time.Time, days []string) (*bytes.Buffer, error) {
	var c pgcopy
	for i, d := range amounts {
		if _, err := c.begin().int4(i); err != nil {
			return nil, err
		}
		c.numeric(d).numeric(d).timestamptz(times[i])
		if _, err := c.date(days[i]); err != nil {
			return nil, err
		}
		c.end()
	}
	return c.data(), nil
}
