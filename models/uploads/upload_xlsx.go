package uploads

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbooks are read with excelize's streaming row iterator. It returns a
// formula cell's cached value as if it were typed, so formulas are found
// first, by a scan of the first worksheet's XML.

const maxWorkbookPartXML = 4 << 20 // workbook.xml and its relationships

var errNotWorkbook = &UploadFileError{Message: "This file is not a valid .xlsx workbook. " +
	"Save it again as an Excel Workbook (.xlsx) or as CSV UTF-8 and upload it."}

// checkWorkbook opens the zip, finds the first worksheet and refuses it if
// it holds a formula. It also counts the sheet's row elements: an upper
// bound on its data rows (plus the header), known before any is read.
func checkWorkbook(content []byte) (int, error) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return 0, errNotWorkbook
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	sheet, err := firstSheetPath(files)
	if err != nil {
		return 0, err
	}
	f := files[strings.ToLower(sheet)]
	if f == nil {
		return 0, errNotWorkbook
	}
	if f.UncompressedSize64 > maxXLSXUnzipped {
		return 0, fileErrorf("The workbook is too large once unpacked. Keep to the template's one sheet and columns.")
	}
	found, rows, err := scanSheet(f)
	if err != nil {
		return 0, errNotWorkbook
	}
	if found {
		cell := formulaCell(f)
		if cell == "" {
			return 0, fileErrorf("The first sheet holds formulas. Uploads take values only: copy the cells and paste " +
				"them as values, then upload again.")
		}
		return 0, fileErrorf("Cell %s holds a formula. Uploads take values only: copy the cells and paste them as "+
			"values, then upload again.", clip(cell, 12))
	}
	return rows, nil
}

// firstSheetPath follows the package relationships to the workbook and
// from it to its first sheet, as a spreadsheet program would.
func firstSheetPath(files map[string]*zip.File) (string, error) {
	workbook := "xl/workbook.xml"
	if f := files["_rels/.rels"]; f != nil {
		rels, err := readRelationships(f)
		if err != nil {
			return "", err
		}
		for _, r := range rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = strings.TrimPrefix(r.Target, "/")
				break
			}
		}
	}
	wf := files[strings.ToLower(workbook)]
	if wf == nil {
		return "", errNotWorkbook
	}
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(wf, &wb); err != nil || len(wb.Sheets) == 0 {
		return "", fileErrorf("The workbook has no sheet. Download the template and fill in its first sheet.")
	}
	relsPath := path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels")
	rf := files[strings.ToLower(relsPath)]
	if rf == nil {
		return "", errNotWorkbook
	}
	rels, err := readRelationships(rf)
	if err != nil {
		return "", err
	}
	for _, r := range rels {
		if r.ID == wb.Sheets[0].ID {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join(path.Dir(workbook), r.Target), nil
		}
	}
	return "", errNotWorkbook
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func readRelationships(f *zip.File) ([]relationship, error) {
	var rels struct {
		List []relationship `xml:"Relationship"`
	}
	if err := decodePart(f, &rels); err != nil {
		return nil, errNotWorkbook
	}
	return rels.List, nil
}

func decodePart(f *zip.File, v any) error {
	if f.UncompressedSize64 > maxWorkbookPartXML {
		return errNotWorkbook
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxWorkbookPartXML)).Decode(v)
}

// scanSheet looks for an <f> element (any namespace prefix) in a sheet's
// XML and counts its <row> elements. In XML a literal '<' only starts
// markup, so a byte scan is exact enough and many times faster than
// decoding every token.
func scanSheet(f *zip.File) (formula bool, rows int, err error) {
	rc, err := f.Open()
	if err != nil {
		return false, 0, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(io.LimitReader(rc, maxXLSXUnzipped), 64<<10)
	var name [32]byte
	for {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return false, rows, nil
		}
		if err != nil {
			return false, rows, err
		}
		if b != '<' {
			continue
		}
		n := 0
		for {
			b, err = br.ReadByte()
			if errors.Is(err, io.EOF) {
				return false, rows, nil
			}
			if err != nil {
				return false, rows, err
			}
			if !isXMLNameByte(b) || n == len(name) {
				break
			}
			name[n] = b
			n++
		}
		local := name[:n]
		if i := bytes.LastIndexByte(local, ':'); i >= 0 {
			local = local[i+1:]
		}
		if b == '>' || b == '/' || b == ' ' || b == '\t' || b == '\n' || b == '\r' {
			switch string(local) {
			case "f":
				return true, rows, nil
			case "row":
				rows++
			}
		}
		if b == '<' {
			_ = br.UnreadByte()
		}
	}
}

func isXMLNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == ':' || b == '_' || b == '-' || b == '.'
}

// formulaCell names the first cell with a formula, for the message; it
// decodes the sheet properly, which is only worth it once a formula is
// known to be there.
func formulaCell(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxXLSXUnzipped))
	cell := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "c":
				cell = ""
				for _, a := range se.Attr {
					if a.Name.Local == "r" {
						cell = a.Value
					}
				}
			case "f":
				return cell
			}
		}
	}
}

// xlsxSource streams the first worksheet with excelize's row iterator.
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	line int
}

func openXLSX(content []byte) (src *xlsxSource, rowTags int, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, errNotWorkbook
		}
	}()
	rowTags, err = checkWorkbook(content)
	if err != nil {
		return nil, 0, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(content), excelize.Options{
		UnzipSizeLimit: maxXLSXUnzipped, UnzipXMLSizeLimit: maxXLSXSheetInRAM, RawCellValue: true,
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if strings.Contains(err.Error(), "size exceeds") {
			return nil, 0, fileErrorf("The workbook is too large once unpacked. Keep to the template's one sheet and columns.")
		}
		return nil, 0, errNotWorkbook
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, 0, fileErrorf("The workbook has no sheet. Download the template and fill in its first sheet.")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		_ = f.Close()
		return nil, 0, fileErrorf("The first sheet of the workbook could not be read. Save it again as .xlsx and upload it.")
	}
	return &xlsxSource{f: f, rows: rows}, rowTags, nil
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, fileErrorf("The sheet could not be read past row %d. Save the file again as .xlsx and upload it.", s.line)
		}
		return nil, 0, io.EOF
	}
	s.line++
	cells, err := s.rows.Columns()
	if err != nil {
		return nil, 0, fileErrorf("Row %d of the sheet could not be read. Save the file again as .xlsx and upload it.", s.line)
	}
	return cells, s.line, nil
}

func (s *xlsxSource) close() {
	_ = s.rows.Close()
	_ = s.f.Close()
}
