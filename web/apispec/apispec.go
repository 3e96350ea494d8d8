// Package apispec holds the seller API's contract: the OpenAPI 3.1
// document (openapi.json, embedded), served as it is at
// /api/v1/openapi.json and read here for the reference page. The contract
// test in web validates every request and response against it.
package apispec

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// JSON is the document, byte for byte as in the repository.
//
//go:embed openapi.json
var JSON []byte

// Document is the part of the OpenAPI document the reference page shows.
type Document struct {
	Info struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Description string `json:"description"`
	} `json:"info"`
	Tags       []Tag                           `json:"tags"`
	Paths      map[string]map[string]Operation `json:"paths"`
	Components struct {
		Schemas map[string]Schema `json:"schemas"`
	} `json:"components"`
}

// Tag is a group of operations (a scope).
type Tag struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Operation is one method on one path.
type Operation struct {
	ID          string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Description string                `json:"description"`
	Tags        []string              `json:"tags"`
	Security    []map[string][]string `json:"security"`
	Parameters  []Parameter           `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema  Schema `json:"schema"`
			Example any    `json:"example"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]Response `json:"responses"`

	Method string `json:"-"`
	Path   string `json:"-"`
}

// Parameter is a path, query or header parameter.
type Parameter struct {
	Name        string `json:"name"`
	In          string `json:"in"`
	Description string `json:"description"`
	Required    bool   `json:"required"`
	Schema      Schema `json:"schema"`
	Example     any    `json:"example"`
}

// Response is one status of an operation.
type Response struct {
	Ref         string `json:"$ref"`
	Description string `json:"description"`
	Content     map[string]struct {
		Schema Schema `json:"schema"`
	} `json:"content"`
}

// Schema is the part of a JSON Schema the page shows.
type Schema struct {
	Ref         string            `json:"$ref"`
	Type        any               `json:"type"` // a name, or [name, "null"]
	Format      string            `json:"format"`
	Description string            `json:"description"`
	Enum        []any             `json:"enum"`
	Items       *Schema           `json:"items"`
	OneOf       []Schema          `json:"oneOf"`
	Properties  map[string]Schema `json:"properties"`
	Required    []string          `json:"required"`
	Minimum     *float64          `json:"minimum"`
	Maximum     *float64          `json:"maximum"`
}

// Parse reads the embedded document.
func Parse() (Document, error) {
	var d Document
	if err := json.Unmarshal(JSON, &d); err != nil {
		return d, fmt.Errorf("apispec: %w", err)
	}
	return d, nil
}

// Operations lists every operation in path order, GET before the others.
func (d Document) Operations() []Operation {
	var out []Operation
	for path, ops := range d.Paths {
		for method, op := range ops {
			op.Method, op.Path = strings.ToUpper(method), path
			out = append(out, op)
		}
	}
	rank := map[string]int{"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return rank[out[i].Method] < rank[out[j].Method]
	})
	return out
}

// Scope is the scope an operation needs ("" when it needs no key).
func (o Operation) Scope() string {
	for _, req := range o.Security {
		for _, scopes := range req {
			if len(scopes) > 0 {
				return scopes[0]
			}
		}
	}
	return ""
}

// RefName is the schema name a $ref points at ("" for none).
func RefName(ref string) string {
	return strings.TrimPrefix(ref, "#/components/schemas/")
}

// TypeName says a schema's type in a few words: "string (date-time)",
// "Campaign", "array of Coupon", "string or null".
func (s Schema) TypeName() string {
	if s.Ref != "" {
		return RefName(s.Ref)
	}
	if len(s.OneOf) > 0 {
		parts := make([]string, len(s.OneOf))
		for i, o := range s.OneOf {
			parts[i] = o.TypeName()
		}
		return strings.Join(parts, " or ")
	}
	var t string
	switch v := s.Type.(type) {
	case string:
		t = v
	case []any:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = fmt.Sprint(p)
		}
		t = strings.Join(parts, " or ")
	}
	if t == "array" && s.Items != nil {
		return "array of " + s.Items.TypeName()
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	return t
}
