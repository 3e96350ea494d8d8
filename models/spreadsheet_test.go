package models

import (
	"strings"
	"testing"
)

func TestCSVWriterNeutralisesEveryTextCell(t *testing.T) {
	var b strings.Builder
	w := NewCSVWriter(&b)
	if err := w.Write([]string{"=HYPERLINK(\"http://evil.example\")", "+1555", "-5.00", "12", "@SUM(A1)", "\tx", "Mug", "-cmd", "2026-12-01T10:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	want := `"'=HYPERLINK(""http://evil.example"")",'+1555,-5.00,12,'@SUM(A1),'	x,Mug,'-cmd,2026-12-01T10:00:00Z` + "\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}
