package views

import "strings"

// APIDocs is the seller API's reference page, rendered from the OpenAPI
// document.
type APIDocs struct {
	Title, Version, Intro string
	SpecURL               string
	Base                  string // this portal's address, for the curl examples
	Groups                []APIDocsGroup
	Schemas               []APIDocsSchema
	Problems              []APIDocsProblem
	RuleCodes             []APIDocsProblem
}

// APIDocsGroup is the operations of one scope.
type APIDocsGroup struct {
	Name, Description string
	Operations        []APIDocsOperation
}

// APIDocsOperation is one endpoint.
type APIDocsOperation struct {
	ID, Method, Path, Summary, Description, Scope string
	Params                                        []APIDocsParam
	Responses                                     []APIDocsResponse
	Curl                                          string
}

// Anchor is the operation's id on the page.
func (o APIDocsOperation) Anchor() string { return "op-" + o.ID }

// MethodClass styles the method badge.
func (o APIDocsOperation) MethodClass() string { return "method method-" + strings.ToLower(o.Method) }

// APIDocsParam is one parameter.
type APIDocsParam struct {
	Name, In, Type, Description, Values string
	Required                            bool
}

// APIDocsResponse is one status of an endpoint.
type APIDocsResponse struct {
	Status, Description, Schema string
}

// SchemaAnchor links a response to its resource.
func (r APIDocsResponse) SchemaAnchor() string { return schemaAnchor(r.Schema) }

func schemaAnchor(name string) string {
	if name == "" || strings.ContainsAny(name, " ()") {
		return ""
	}
	return "schema-" + name
}

// APIDocsSchema is one resource.
type APIDocsSchema struct {
	Name, Description string
	Fields            []APIDocsField
}

// Anchor is the resource's id on the page.
func (s APIDocsSchema) Anchor() string { return "schema-" + s.Name }

// APIDocsField is one field of a resource.
type APIDocsField struct {
	Name, Type, Description, Values, Link string
}

// APIDocsProblem is a problem or rule code.
type APIDocsProblem struct {
	Code, Title string
	Status      int
}

// Anchor is the code's id on the page (a problem's type points at it).
func (p APIDocsProblem) Anchor() string { return "problem-" + p.Code }
