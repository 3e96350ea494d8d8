package uploads_test

import (
	"campaignportal/models/uploads"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseUpload feeds the parser mutated spreadsheets. Whatever the
// bytes, it must not panic, must refuse with an UploadFileError rather
// than any other error, and what it accepts must respect every limit.
// CI runs it briefly: go test ./models -run XXX -fuzz FuzzParseUpload -fuzztime 10s
func FuzzParseUpload(f *testing.F) {
	f.Add(csvFile(templateLine("5000000001", "T-1-1", "15.50", "12", "Featured", "10"), templateLine("5000000001", "T-1-2", "", "", "", "")))
	f.Add([]byte("pid;sku id;campaign price;campaign stock\n1;2;3;4\n"))
	f.Add([]byte("PID,SKU ID,Campaign price,Campaign stock\n\"a\"\"b\",\"x\ny\",=1,@2\n"))
	f.Add(xlsxFile(f, [][]any{headerRow(), {"5000000001", "T-1-1", "Title", "Red", 20.0, 19.99, 16.99, 19.99, 10, 15.5, 12, "Featured", 10}}, nil))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0, 1, 2})
	f.Add([]byte("\xEF\xBB\xBF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		type result struct {
			got uploads.ParsedUpload
			err error
		}
		done := make(chan result, 1)
		go func() {
			g, e := uploads.ParseUpload(data)
			done <- result{g, e}
		}()
		var got uploads.ParsedUpload
		var err error
		select {
		case r := <-done:
			got, err = r.got, r.err
		case <-time.After(10 * time.Second):
			t.Fatalf("parsing took over 10s: a hang or a quadratic path")
		}
		if err != nil {
			var fe *uploads.UploadFileError
			if !errors.As(err, &fe) || fe.Message == "" {
				t.Fatalf("error is not a file error with a message: %v (%T)", err, err)
			}
			return
		}
		if len(got.Rows) == 0 || len(got.Rows) > uploads.MaxUploadRows {
			t.Fatalf("accepted %d rows", len(got.Rows))
		}
		for _, r := range got.Rows {
			// (A SKU ID may start with "=" when the template escaped it as "'=".)
			for i, v := range []string{r.SKUCode, r.PID, r.Price, r.Stock, r.Tier, r.ExtraDiscount} {
				if utf8.RuneCountInString(v) > uploads.MaxUploadCellLen || (i > 0 && strings.HasPrefix(v, "=")) {
					t.Fatalf("accepted cell %q", v)
				}
			}
			if r.Line < 2 {
				t.Fatalf("a data row on line %d", r.Line)
			}
		}
	})
}
