package orders_test

import (
	"context"
	"database/sql"
	"math/rand"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"

	"campaignportal/models/modeltest"
	"campaignportal/models/orders"
)

// The binary COPY of an amount, a time and a day must store exactly what
// the text COPY the importer wrote before stored: the amount's digits with
// its own decimals (decimal's coefficient and exponent), the time to the
// microsecond, the day as written. Compared by PostgreSQL itself, column
// by column, into an unconstrained numeric and a numeric(30,2) (which
// rounds as the orders' columns do).
func TestBinaryCopyStoresWhatTextDid(t *testing.T) {
	t.Parallel()
	db := modeltest.NewDB(t)
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	dec := decimal.RequireFromString
	amounts := []decimal.Decimal{decimal.Zero, dec("0.00"), dec("0.05"), dec("-0.05"), dec("0.0001"), dec("0.00001"),
		dec("12.5"), dec("12.50"), dec("-1234.07"), dec("0.0150"), dec("9999.9999"), dec("10000"), dec("10000.0001"),
		dec("9999999999.99"), dec("0.005"), dec("2.675"), dec("-2.675"), dec("123456789012345678"), dec("1234567890123456789"),
		dec("12345678901234567890.12"), decimal.New(5, 2), decimal.New(-7, 9), decimal.New(7, -20), dec("-0.00")}
	rng := rand.New(rand.NewSource(7))
	for range 3000 {
		c := rng.Int63n(1 << uint(rng.Intn(62)+1))
		if rng.Intn(3) == 0 {
			c = -c
		}
		amounts = append(amounts, decimal.New(c, int32(rng.Intn(13)-9)))
	}
	base := time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	var times []time.Time
	var days []string
	for i := range amounts {
		at := base.Add(time.Duration(rng.Int63n(int64(50*365*24*time.Hour))) + time.Duration(rng.Intn(1000)))
		if i%5 == 0 {
			at = base.Add(-time.Duration(rng.Int63n(int64(30 * 365 * 24 * time.Hour))))
		}
		times, days = append(times, at), append(days, at.In(time.FixedZone("", -11*3600)).Format(time.DateOnly))
	}
	times[1] = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
	days[1] = "9999-12-31"

	ctx := context.Background()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE got (i int, x numeric, m numeric(30,2), at timestamptz, day date);
		CREATE TEMP TABLE want (i int, x numeric, m numeric(30,2), at timestamptz, day date)`); err != nil {
		t.Fatal(err)
	}
	stream, err := orders.CopyBinaryForTest(amounts, times, days)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Raw(func(c any) error {
		_, err := c.(*stdlib.Conn).Conn().PgConn().CopyFrom(ctx, stream, `COPY got FROM STDIN (FORMAT binary)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The text the importer used to write: the coefficient with as many
	// decimals as the exponent says, the time to six decimals in UTC.
	texts, stamps := make([]string, len(amounts)), make([]string, len(amounts))
	for i, d := range amounts {
		texts[i] = d.StringFixed(max(0, -d.Exponent()))
		stamps[i] = times[i].UTC().Format("2006-01-02 15:04:05.999999Z07:00")
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO want SELECT u.i - 1, u.x::numeric, u.x::numeric(30,2), u.at::timestamptz, u.day::date
		FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(x, at, day, i)`, texts, stamps, days); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT w.i, w.x::text, coalesce(g.x::text, 'missing'), w.m::text, coalesce(g.m::text, ''),
			w.at::text, coalesce(g.at::text, ''), w.day::text, coalesce(g.day::text, '')
		FROM want w LEFT JOIN got g ON g.i = w.i
		WHERE g.i IS NULL OR g.x::text <> w.x::text OR g.m <> w.m OR g.at <> w.at OR g.day <> w.day ORDER BY w.i LIMIT 10`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var r [8]sql.NullString
		if err := rows.Scan(&i, &r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7]); err != nil {
			t.Fatal(err)
		}
		t.Errorf("row %d (%s): text stored %v, binary stored %v", i, amounts[i], []string{r[0].String, r[2].String, r[4].String, r[6].String},
			[]string{r[1].String, r[3].String, r[5].String, r[7].String})
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM got`).Scan(&n); err != nil || n != len(amounts) {
		t.Fatalf("%d rows copied (%v), want %d", n, err, len(amounts))
	}
}
