package uploads_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"campaignportal/models"
	"campaignportal/models/uploads"
)

// header is the template's header row as a CSV line.
var header = strings.Join(uploads.UploadColumns[:], ",")

// csvFile builds a CSV upload: the template header and the given lines.
func csvFile(lines ...string) []byte {
	return []byte(header + "\n" + strings.Join(lines, "\n") + "\n")
}

// templateLine is a template row with the seller's four cells.
func templateLine(pid, sku, price, stock, tier, discount string) string {
	return strings.Join([]string{pid, sku, "Title", "Red", "20.00", "19.99", "16.99", "19.99", "10", price, stock, tier, discount}, ",")
}

// xlsxFile builds a workbook whose first sheet holds rows; edit may add
// formulas or odd cells.
func xlsxFile(t testing.TB, rows [][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func headerRow() []any {
	out := make([]any, len(uploads.UploadColumns))
	for i, c := range uploads.UploadColumns {
		out[i] = c
	}
	return out
}

func TestParseUploadReadsGoodFiles(t *testing.T) {
	t.Parallel()
	want := []uploads.UploadRow{
		{Line: 2, PID: "5000000001", SKUCode: "T-1-1", Price: "15.50", Stock: "12", Tier: "Featured", ExtraDiscount: "10"},
		{Line: 4, PID: "5000000001", SKUCode: "T-1-2"}, // left as in the template: kept, skipped later
	}
	cases := map[string][]byte{
		"csv": csvFile(templateLine("5000000001", "T-1-1", "15.50", "12", "Featured", "10"), ",,,,,,,,,,,,",
			templateLine("5000000001", "T-1-2", "", "", "", "")),
		"csv with BOM, CRLF and spaces": []byte("\xEF\xBB\xBF" + header + "\r\n" +
			templateLine(" 5000000001 ", "T-1-1", " 15.50", "12 ", "Featured", "10") + "\r\n\r\n" +
			templateLine("5000000001", "T-1-2", "", "", "", "") + "\r\n"),
		"semicolon csv": []byte(strings.ReplaceAll(string(csvFile(templateLine("5000000001", "T-1-1", "15.50", "12", "Featured", "10"),
			"", templateLine("5000000001", "T-1-2", "", "", "", ""))), ",", ";")),
		"xlsx": xlsxFile(t, [][]any{headerRow(),
			{"5000000001", "T-1-1", "Title", "Red", 20.0, 19.99, 16.99, 19.99, 10, 15.5, 12, "Featured", 10},
			{},
			{"5000000001", "T-1-2", "Title", "Red", 20.0, 19.99, 16.99, 19.99, 10}}, nil),
	}
	for name, file := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := uploads.ParseUpload(file)
			if err != nil {
				t.Fatalf("ParseUpload: %v", err)
			}
			if name == "xlsx" {
				want := append([]uploads.UploadRow(nil), want...)
				want[0].Price = "15.5" // a number cell has no trailing zeros
				assertRows(t, got.Rows, want)
				return
			}
			assertRows(t, got.Rows, want)
		})
	}
}

func assertRows(t *testing.T, got, want []uploads.UploadRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("rows = %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParseUploadHeaderIsLenientAboutCaseAndOptionalColumns(t *testing.T) {
	t.Parallel()
	file := []byte("pid, Sku Id ,CAMPAIGN PRICE,campaign stock,Extra Discount (%)\n5000000001,T-1-1,10,5,\n")
	got, err := uploads.ParseUpload(file)
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, got.Rows, []uploads.UploadRow{{Line: 2, PID: "5000000001", SKUCode: "T-1-1", Price: "10", Stock: "5"}})
}

func TestParseUploadUndoesWorkbookFloatNoiseAndCSVEscapes(t *testing.T) {
	t.Parallel()
	file := xlsxFile(t, [][]any{{"PID", "SKU ID", "Campaign price", "Campaign stock", "Extra discount %"},
		{"5000000001", "'-dash", 0.1 + 0.2, 3, 12.5}}, nil)
	got, err := uploads.ParseUpload(file)
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, got.Rows, []uploads.UploadRow{{Line: 2, PID: "5000000001", SKUCode: "-dash", Price: "0.3", Stock: "3", ExtraDiscount: "12.5"}})
}

// TestParseUploadRefusesMalformedFiles: each hostile or broken file is
// refused whole with a message that says what to do.
func TestParseUploadRefusesMalformedFiles(t *testing.T) {
	t.Parallel()
	tooMany := make([]string, uploads.MaxUploadRows+1)
	for i := range tooMany {
		tooMany[i] = templateLine("5000000001", fmt.Sprintf("S-%d", i), "1", "1", "", "")
	}
	notWorkbookZip := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("hello.txt")
		_, _ = w.Write([]byte("hello"))
		_ = zw.Close()
		return buf.Bytes()
	}()
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"only spaces", []byte(" \n\n \r\n"), "empty"},
		{"header only", []byte(header + "\n"), "no products"},
		{"blank rows only", xlsxFile(t, [][]any{{}, {}}, nil), "empty"},
		{"unknown column", []byte("PID,SKU ID,Campaign price,Campaign stock,Colour\n1,2,3,4,5\n"), `"Colour"`},
		{"missing column", []byte("PID,Campaign price,Campaign stock\n1,2,3\n"), "lacks the column SKU ID"},
		{"column twice", []byte("PID,SKU ID,Campaign price,Campaign stock,pid\n1,2,3,4,5\n"), "appears twice"},
		{"no header (data first)", []byte("5000000001,T-1-1,10,5\n"), "not one of the template's"},
		{"csv formula", csvFile(templateLine("5000000001", "T-1-1", "=1+1", "5", "", "")), "Row 2, column J holds a formula"},
		{"csv formula in a guide column", csvFile(`5000000001,T-1-1,"=HYPERLINK(""http://x"")",,,,,,,1,1,,`), "formula"},
		{"xlsx formula", xlsxFile(t, [][]any{headerRow(), {"5000000001", "T-1-1"}}, func(f *excelize.File) {
			_ = f.SetCellFormula("Sheet1", "J2", "SUM(1,2)")
		}), "Cell J2 holds a formula"},
		{"huge cell", csvFile(templateLine("5000000001", strings.Repeat("x", uploads.MaxUploadCellLen+1), "1", "1", "", "")), "more than 1000 characters"},
		{"too many rows", csvFile(tooMany...), "more than 10000 product rows"},
		{"too large", append(csvFile(), bytes.Repeat([]byte(" "), uploads.MaxUploadBytes)...), "larger than"},
		{"value outside the header", csvFile(templateLine("5000000001", "T-1-1", "1", "1", "", "") + ",surprise"), "column N, which has no heading"},
		{"unclosed quote", csvFile(`5000000001,"T-1-1,1,1`), "not valid CSV"},
		{"not utf-8", csvFile(templateLine("5000000001", "T-1-1", "1", "1", "", "") + ",caf\xe9"), "UTF-8"},
		{"binary", []byte{0x89, 'P', 'N', 'G', 0, 0, 0, 13}, "not a spreadsheet"},
		{"old excel", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), ".xls"},
		{"broken zip", []byte("PK\x03\x04 this is not really a zip"), "not a valid .xlsx"},
		{"zip without a workbook", notWorkbookZip, "not a valid .xlsx"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := uploads.ParseUpload(tc.file)
			var fe *uploads.UploadFileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T), want an UploadFileError", err, err)
			}
			if !strings.Contains(fe.Message, tc.want) {
				t.Errorf("message = %q, want it to contain %q", fe.Message, tc.want)
			}
		})
	}
}

// TestParseUploadRefusesAZipBomb: a sheet that unpacks to more than the
// limit is refused before it is inflated.
func TestParseUploadRefusesAZipBomb(t *testing.T) {
	t.Parallel()
	good := xlsxFile(t, [][]any{headerRow(), {"5000000001", "T-1-1"}}, nil)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		rc, _ := f.Open()
		var content bytes.Buffer
		_, _ = content.ReadFrom(rc)
		rc.Close()
		_, _ = w.Write(content.Bytes())
		if f.Name == "xl/worksheets/sheet1.xml" {
			// 80 MB of spaces compress to a few kilobytes.
			chunk := bytes.Repeat([]byte(" "), 1<<20)
			for range 80 {
				_, _ = w.Write(chunk)
			}
		}
	}
	_ = zw.Close()
	if buf.Len() > uploads.MaxUploadBytes {
		t.Fatalf("bomb is %d bytes, over the upload limit; the test would not reach the unzip check", buf.Len())
	}
	_, err = uploads.ParseUpload(buf.Bytes())
	var fe *uploads.UploadFileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "too large once unpacked") {
		t.Fatalf("err = %v, want too large once unpacked", err)
	}
}

// checkTerms is a campaign like the fixtures': Featured at most 85% of
// the low with 10 in stock, Regular 100% with 3, extra discount from 5%.
func checkTerms() uploads.UploadTerms {
	c := models.Campaign{ExtraDiscountAllowed: true, ExtraDiscountMinPct: decimal.NewNullDecimal(decimal.NewFromInt(5)),
		Tiers: []models.CampaignTier{
			{Tier: models.TierFeatured, MaxPricePct: decimal.NewFromInt(85), RecommendedPct: decimal.NewFromInt(80), MinStock: 10},
			{Tier: models.TierRegular, MaxPricePct: decimal.NewFromInt(100), RecommendedPct: decimal.NewFromInt(95), MinStock: 3},
		}}
	return uploads.UploadTerms{Campaign: c, DraftTiers: map[int64]models.Tier{2: models.TierFeatured}, Submitted: map[int64]bool{3: true}}
}

var (
	skuA1 = &uploads.UploadSKU{SKUID: 11, ProductID: 1, PID: "5000000001", SKUCode: "A-1", Available: 50, Low: decimal.RequireFromString("19.99")}
	skuA2 = &uploads.UploadSKU{SKUID: 12, ProductID: 1, PID: "5000000001", SKUCode: "A-2", Available: 50, Low: decimal.RequireFromString("19.99")}
	skuB1 = &uploads.UploadSKU{SKUID: 21, ProductID: 2, PID: "5000000002", SKUCode: "B-1", Available: 50, Low: decimal.RequireFromString("100")}
	skuC1 = &uploads.UploadSKU{SKUID: 31, ProductID: 3, PID: "5000000003", SKUCode: "C-1", Available: 50, Low: decimal.RequireFromString("100")}
)

func TestUploadCheckerJudgesEachRow(t *testing.T) {
	t.Parallel()
	row := func(pid, sku, price, stock, tier, discount string) uploads.UploadRow {
		return uploads.UploadRow{Line: 2, PID: pid, SKUCode: sku, Price: price, Stock: stock, Tier: tier, ExtraDiscount: discount}
	}
	cases := []struct {
		name     string
		row      uploads.UploadRow
		owned    bool
		sku      *uploads.UploadSKU
		wantTier models.Tier
		reason   string // "" for a valid row
	}{
		{"regular at the maximum", row("5000000001", "A-1", "19.99", "3", "", ""), true, skuA1, models.TierRegular, ""},
		{"regular a cent above", row("5000000001", "A-1", "20.00", "3", "regular", ""), true, skuA1, "", "Above the maximum of $19.99: Regular asks for at most your lowest price"},
		{"featured at 85% rounded down", row("5000000001", "A-1", "$16.99", "10", "FEATURED", "5"), true, skuA1, models.TierFeatured, ""},
		{"featured a cent above", row("5000000001", "A-1", "17.00", "10", "Featured", ""), true, skuA1, "", "Above the maximum of $16.99: Featured asks for at least 15% below your lowest price in the lookback window ($19.99)."},
		{"three decimals", row("5000000001", "A-1", "10.005", "5", "", ""), true, skuA1, "", "at most two decimals"},
		{"not a number", row("5000000001", "A-1", "ten", "5", "", ""), true, skuA1, "", "Campaign price: Enter a price like 12.99."},
		{"zero price", row("5000000001", "A-1", "0", "5", "", ""), true, skuA1, "", "more than $0.00"},
		{"negative price", row("5000000001", "A-1", "-5", "5", "", ""), true, skuA1, "", "Campaign price"},
		{"price missing", row("5000000001", "A-1", "", "5", "", ""), true, skuA1, "", "Enter a campaign price"},
		{"stock missing", row("5000000001", "A-1", "5", "", "", ""), true, skuA1, "", "Enter a campaign stock"},
		{"stock not whole", row("5000000001", "A-1", "5", "2.5", "", ""), true, skuA1, "", "whole number"},
		{"stock below the featured minimum", row("5000000001", "A-1", "5", "9", "Featured", ""), true, skuA1, "", "Campaign stock: At least 10 for Featured."},
		{"stock above available", row("5000000001", "A-1", "5", "51", "", ""), true, skuA1, "", "Campaign stock: Only 50 available."},
		{"unknown tier", row("5000000001", "A-1", "5", "5", "Gold", ""), true, skuA1, "", "Tier must be Featured, Regular or blank"},
		{"blank tier keeps the draft's tier", row("5000000002", "B-1", "85", "10", "", ""), true, skuB1, models.TierFeatured, ""},
		{"blank tier in a featured draft product is held to featured", row("5000000002", "B-1", "86", "10", "", ""), true, skuB1, "", ": Featured asks"},
		{"extra discount below the minimum", row("5000000001", "A-1", "5", "5", "", "4.99"), true, skuA1, "", "must be at least 5%"},
		{"extra discount 100", row("5000000001", "A-1", "5", "5", "", "100"), true, skuA1, "", "below 100%"},
		{"another shop's PID", row("5000000099", "A-1", "5", "5", "", ""), false, skuA1, "", "PID 5000000099 is not one of your shop's products"},
		{"another shop's SKU", row("5000000001", "Z-9", "5", "5", "", ""), true, nil, "", "SKU ID Z-9 is not one of your shop's SKUs"},
		{"SKU of another product", row("5000000002", "A-1", "5", "5", "", ""), true, skuA1, "", "SKU ID A-1 belongs to PID 5000000001, not PID 5000000002"},
		{"PID and SKU missing", row("", "", "5", "5", "", ""), false, nil, "", "Enter the PID. Enter the SKU ID."},
		{"submitted product", row("5000000003", "C-1", "5", "5", "", ""), true, skuC1, "", "already submitted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := uploads.NewUploadChecker(checkTerms()).Check(tc.row, tc.owned, tc.sku)
			if tc.reason == "" {
				if !got.Valid {
					t.Fatalf("invalid: %s", got.Reason)
				}
				if got.Tier != tc.wantTier || got.SKUID != tc.sku.SKUID || got.ProductID != tc.sku.ProductID || !got.Price.Valid || got.Stock == nil {
					t.Fatalf("valid row = %+v", got)
				}
				return
			}
			if got.Valid || !strings.Contains(got.Reason, tc.reason) {
				t.Fatalf("valid = %v, reason = %q, want %q", got.Valid, got.Reason, tc.reason)
			}
			if got.Price.Valid || got.Stock != nil || got.SKUID != 0 {
				t.Fatalf("an invalid row keeps nothing to save: %+v", got)
			}
		})
	}
}

func TestUploadCheckerRemembersEarlierRows(t *testing.T) {
	t.Parallel()
	k := uploads.NewUploadChecker(checkTerms())
	r := func(line int, sku, tier, discount string) uploads.UploadRow {
		return uploads.UploadRow{Line: line, PID: "5000000001", SKUCode: sku, Price: "5", Stock: "10", Tier: tier, ExtraDiscount: discount}
	}
	sku := map[string]*uploads.UploadSKU{"A-1": skuA1, "A-2": skuA2}
	steps := []struct {
		row    uploads.UploadRow
		reason string
	}{
		{r(2, "A-1", "Featured", "10"), ""},
		{r(3, "A-1", "Featured", "10"), "SKU ID A-1 is listed twice; row 2 has it already"},
		{r(4, "A-2", "Regular", "10"), "Tier Regular differs from row 2 of the same product (Featured)"},
		{r(5, "A-2", "Featured", ""), "Extra discount differs from row 2"},
	}
	for _, s := range steps {
		got := k.Check(s.row, true, sku[s.row.SKUCode])
		if (s.reason == "") != got.Valid || !strings.Contains(got.Reason, s.reason) {
			t.Errorf("row %d: valid = %v, reason %q, want %q", s.row.Line, got.Valid, got.Reason, s.reason)
		}
	}
	skuA3 := &uploads.UploadSKU{SKUID: 13, ProductID: 1, PID: "5000000001", SKUCode: "A-3", Available: 50, Low: decimal.RequireFromString("19.99")}
	if ok := k.Check(r(6, "A-3", "featured", "10.00"), true, skuA3); !ok.Valid {
		t.Errorf("same tier and discount as row 2: %s", ok.Reason)
	}
}

func TestTemplateRoundTrips(t *testing.T) {
	t.Parallel()
	rows := []uploads.TemplateRow{{PID: "5000000001", SKUCode: "-odd", Title: "=HYPERLINK(\"x\")", Variant: "Red",
		Retail: decimal.RequireFromString("20"), Low: decimal.RequireFromString("19.99"),
		MaxFeatured: decimal.RequireFromString("16.99"), MaxRegular: decimal.RequireFromString("19.99"), Available: 7}}
	var csvBuf bytes.Buffer
	if err := uploads.WriteTemplateCSV(&csvBuf, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvBuf.String(), `'=HYPERLINK`) {
		t.Errorf("a title that looks like a formula is not escaped: %s", csvBuf.String())
	}
	// Untouched, the template parses to a row that will be skipped; the
	// escaped SKU ID comes back as it is in the catalogue.
	for name, file := range map[string][]byte{"csv": csvBuf.Bytes(), "xlsx": templateXLSX(t, rows)} {
		got, err := uploads.ParseUpload(file)
		if name == "csv" {
			// the escaped title no longer starts with "="
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), "formula") {
			// in a workbook the title is a text cell starting with "=": refused
			// like any other formula-looking cell
			t.Fatalf("%s: err = %v, want the formula refusal", name, err)
		} else {
			continue
		}
		if len(got.Rows) != 1 || got.Rows[0].SKUCode != "-odd" || !got.Rows[0].Untouched() {
			t.Errorf("%s rows = %+v", name, got.Rows)
		}
	}
	rows[0].Title = "Plain"
	got, err := uploads.ParseUpload(templateXLSX(t, rows))
	if err != nil || len(got.Rows) != 1 || got.Rows[0].SKUCode != "-odd" {
		t.Fatalf("xlsx template: %+v, %v", got, err)
	}
}

func templateXLSX(t *testing.T, rows []uploads.TemplateRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := uploads.WriteTemplateXLSX(&buf, rows, []string{"How to"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
