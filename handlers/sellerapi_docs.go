package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
	"campaignportal/views"
	"campaignportal/web/apispec"
)

// APIDocs serves the seller API's contract: the OpenAPI document as it is
// in the repository, and the reference page rendered from it.
type APIDocs struct {
	Kit
	doc apispec.Document
}

// NewAPIDocs parses the embedded document once; a document that does not
// parse stops the portal at start-up, never a request.
func NewAPIDocs(k Kit) (*APIDocs, error) {
	d, err := apispec.Parse()
	if err != nil {
		return nil, err
	}
	return &APIDocs{Kit: k, doc: d}, nil
}

// OpenAPI serves the document. It needs no key: it holds no shop's data.
func (h *APIDocs) OpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, apispec.JSON)
}

// Page renders the reference: every operation with its scope, parameters,
// responses and a curl example against this portal's own address, every
// resource's fields, and every problem code.
func (h *APIDocs) Page(c echo.Context) error {
	base := c.Scheme() + "://" + c.Request().Host
	d := views.APIDocs{Title: h.doc.Info.Title, Version: h.doc.Info.Version, Intro: h.doc.Info.Description,
		SpecURL: "/api/v1/openapi.json", Base: base}
	byTag := map[string]*views.APIDocsGroup{}
	for _, t := range h.doc.Tags {
		d.Groups = append(d.Groups, views.APIDocsGroup{Name: t.Name, Description: t.Description})
	}
	for i := range d.Groups {
		byTag[d.Groups[i].Name] = &d.Groups[i]
	}
	for _, op := range h.doc.Operations() {
		v := views.APIDocsOperation{ID: op.ID, Method: op.Method, Path: op.Path, Summary: op.Summary, Description: op.Description,
			Scope: op.Scope(), Curl: curlExample(base, op)}
		for _, p := range op.Parameters {
			v.Params = append(v.Params, views.APIDocsParam{Name: p.Name, In: p.In, Type: p.Schema.TypeName(), Required: p.Required,
				Description: p.Description, Values: enumText(p.Schema.Enum)})
		}
		codes := make([]string, 0, len(op.Responses))
		for code := range op.Responses {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			r := op.Responses[code]
			rv := views.APIDocsResponse{Status: code, Description: r.Description}
			if r.Ref != "" {
				rv.Description = "Problem document (see below)."
				if name := strings.TrimPrefix(r.Ref, "#/components/responses/"); name != "" {
					rv.Description = problemResponseText[name]
				}
			}
			for _, ct := range r.Content {
				rv.Schema = ct.Schema.TypeName()
			}
			v.Responses = append(v.Responses, rv)
		}
		tag := "contract"
		if len(op.Tags) > 0 {
			tag = op.Tags[0]
		}
		if g := byTag[tag]; g != nil {
			g.Operations = append(g.Operations, v)
		}
	}
	names := make([]string, 0, len(h.doc.Components.Schemas))
	for n := range h.doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := h.doc.Components.Schemas[n]
		sv := views.APIDocsSchema{Name: n, Description: s.Description}
		props := make([]string, 0, len(s.Properties))
		for p := range s.Properties {
			props = append(props, p)
		}
		sort.Strings(props)
		for _, p := range props {
			ps := s.Properties[p]
			sv.Fields = append(sv.Fields, views.APIDocsField{Name: p, Type: ps.TypeName(), Description: ps.Description,
				Values: enumText(ps.Enum), Link: apispec.RefName(refOf(ps))})
		}
		d.Schemas = append(d.Schemas, sv)
	}
	for _, p := range ProblemCodes {
		d.Problems = append(d.Problems, views.APIDocsProblem{Code: p.Code, Status: p.Status, Title: p.Title})
	}
	for _, p := range models.AllProblems {
		d.RuleCodes = append(d.RuleCodes, views.APIDocsProblem{Code: p.Key(), Title: p.Label()})
	}
	return Render(c, http.StatusOK, views.APIDocsPage(h.Kit.Page(c, "API reference", views.NavAPIDocs), d))
}

var problemResponseText = map[string]string{
	"BadRequest": "bad_request: the request is malformed.", "Unauthorized": "unauthorized: no key, or an unknown or revoked one.",
	"Forbidden": "insufficient_scope: the key lacks the scope.", "NotFound": "not_found: nothing here, or another shop's.",
	"Invalid": "invalid: errors[] names every refused field.", "RateLimited": "rate_limited: wait Retry-After seconds.",
}

func refOf(s apispec.Schema) string {
	switch {
	case s.Ref != "":
		return s.Ref
	case s.Items != nil && s.Items.Ref != "":
		return s.Items.Ref
	}
	for _, o := range s.OneOf {
		if o.Ref != "" {
			return o.Ref
		}
	}
	return ""
}

func enumText(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}

// curlExample is a command that runs the operation as documented: the path
// with its parameters' examples, the key from $PORTAL_KEY, and the request
// body's example for writes.
func curlExample(base string, op apispec.Operation) string {
	path := op.Path
	q := url.Values{}
	for _, p := range op.Parameters {
		if p.Example == nil {
			continue
		}
		val := fmt.Sprint(p.Example)
		switch p.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(val))
		case "query":
			q.Set(p.Name, val)
		}
	}
	target := base + path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	var b strings.Builder
	b.WriteString("curl -sS")
	if op.Method != http.MethodGet {
		b.WriteString(" -X " + op.Method)
	}
	if op.Scope() != "" {
		b.WriteString(` -H "Authorization: Bearer $PORTAL_KEY"`)
	}
	if op.RequestBody != nil {
		for ct, body := range op.RequestBody.Content {
			if body.Example == nil {
				continue
			}
			js, err := json.Marshal(body.Example)
			if err == nil {
				b.WriteString(" \\\n  -H 'Content-Type: " + ct + "' -d '" + strings.ReplaceAll(string(js), "'", `'\''`) + "'")
			}
		}
	}
	b.WriteString(" \\\n  '" + target + "'")
	return b.String()
}
