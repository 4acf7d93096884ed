package api

import (
	"encoding"
	"encoding/json"
	"maps"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
)

// OpenAPI returns the OpenAPI 3.1 document of the route table, with schemas
// derived from the Go types the handlers actually decode and encode (how: see
// docs/api-contract.md). The API tests validate every response against it.
func (a *API) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	schemas := &schemaSet{defs: map[string]any{}, types: map[string]reflect.Type{}}
	for _, rt := range a.routes {
		op := map[string]any{
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"operationId": operationID(rt),
		}
		var params []any
		for _, name := range pathParams.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": name[1], "in": "path", "required": true,
				"schema": pathParamSchema(name[1])})
		}
		for _, q := range rt.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "required": q.Required,
				"description": q.Description, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		content := map[string]any{}
		if rt.In != nil {
			content["application/json"] = map[string]any{"schema": schemaOf(reflect.TypeOf(rt.In), schemas)}
		}
		for _, mt := range rt.Consumes {
			content[mt] = map[string]any{"schema": rawSchema(mt, rt.FormFields)}
		}
		if len(content) > 0 {
			op["requestBody"] = map[string]any{"required": true, "content": content}
		}
		op["responses"] = responses(rt, schemas)
		if rt.Access != public {
			op["security"] = []any{map[string]any{"session": []string{}}, map[string]any{"bearer": []string{}}}
		} else {
			op["security"] = []any{} // anyone, signed in or not
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	schemas.defs["Error"] = structSchema(reflect.TypeOf(errorBody{}), schemas)
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Tongban 通办 API", "version": a.Version,
			"description": "一网通办平台接口。错误统一为 {\"error\": {\"code\", \"message\", \"field\"}}。"},
		"servers": []any{map[string]any{"url": "/", "description": "本服务"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": schemas.defs,
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "tongban_session"},
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
			},
		},
	}
}

// Response documents an answer of a route besides its success status and
// body: another success status (an idempotent replay's 200), a success body
// of several media types, or an error status whose body is not the common
// Error. An entry for the success status or an error status replaces the
// derived one.
type Response struct {
	Status      int
	Description string
	Out         any      // a JSON body
	Produces    []string // non-JSON bodies by media type
}

// responses derives a route's answers: its success, the error statuses every
// route of its kind can give (400 for bad input — any query string or path
// can be malformed —, 401 and 403 behind sign-in, 404 where the path names
// something), anything else as default, then the route's own Responses.
func responses(rt Route, schemas *schemaSet) map[string]any {
	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	out := map[string]any{}
	ok := map[string]any{"description": http.StatusText(status)}
	switch {
	case rt.Produces != "":
		ok["content"] = map[string]any{rt.Produces: map[string]any{"schema": rawSchema(rt.Produces, nil)}}
	case rt.Out != nil:
		ok["content"] = jsonContent(rt.Out, schemas)
	}
	out[itoa(status)] = ok
	errs := []int{http.StatusBadRequest}
	if rt.Access != public {
		errs = append(errs, http.StatusUnauthorized, http.StatusForbidden)
	}
	if pathParams.MatchString(rt.Path) {
		errs = append(errs, http.StatusNotFound)
	}
	errSchema := map[string]any{"$ref": "#/components/schemas/Error"}
	if rt.ErrorOut != nil {
		errSchema = schemaOf(reflect.TypeOf(rt.ErrorOut), schemas)
	}
	for _, code := range errs {
		out[itoa(code)] = errorResponse(http.StatusText(code), errSchema)
	}
	out["default"] = errorResponse("错误", errSchema)
	for _, r := range rt.Responses {
		desc := r.Description
		if desc == "" {
			desc = http.StatusText(r.Status)
		}
		resp := map[string]any{"description": desc}
		content := map[string]any{}
		if r.Out != nil {
			content = jsonContent(r.Out, schemas)
		}
		for _, mt := range r.Produces {
			content[mt] = map[string]any{"schema": rawSchema(mt, nil)}
		}
		if len(content) > 0 {
			resp["content"] = content
		}
		out[itoa(r.Status)] = resp
	}
	return out
}

func jsonContent(v any, schemas *schemaSet) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(v), schemas)}}
}

func errorResponse(desc string, schema map[string]any) map[string]any {
	return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": schema}}}
}

// pathParamSchema: IDs and years are integers, everything else (codes,
// numbers, hashes) is text.
func pathParamSchema(name string) map[string]any {
	switch name {
	case "id", "year":
		return map[string]any{"type": "integer", "format": "int64"}
	}
	return map[string]any{"type": "string"}
}

var pathParams = regexp.MustCompile(`\{([a-z_]+)\}`)

func operationID(rt Route) string {
	id := strings.ToLower(rt.Method)
	for _, part := range strings.Split(strings.TrimPrefix(rt.Path, "/api/v1/"), "/") {
		part = strings.Trim(part, "{}")
		part = strings.TrimSuffix(part, path.Ext(part)) // openapi.json, qr.png
		if part != "" {
			id += strings.ToUpper(part[:1]) + part[1:]
		}
	}
	return id
}

var (
	timeType      = reflect.TypeOf(time.Time{})
	rawType       = reflect.TypeOf(json.RawMessage{})
	enumType      = reflect.TypeOf((*interface{ Enum() []string })(nil)).Elem()
	textType      = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	jsonMarshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

// schemaSet holds the named schemas (components) and the Go type each name
// stands for.
type schemaSet struct {
	defs  map[string]any
	types map[string]reflect.Type
}

// name is t's component name: its Go name, qualified by its package when
// another package's type took that name first (tongban.Result and
// catalog.Result). done reports whether t is already described.
func (s *schemaSet) name(t reflect.Type) (name string, done bool) {
	name = t.Name()
	if other, taken := s.types[name]; taken && other != t {
		name = path.Base(t.PkgPath()) + "." + t.Name()
	}
	if _, done = s.types[name]; done {
		return name, true
	}
	s.types[name] = t
	return name, false
}

// rawSchema describes a non-JSON body: a multipart form with its file field
// (and any other fields), the bytes themselves otherwise.
func rawSchema(mediaType string, fields []string) map[string]any {
	if mediaType == "multipart/form-data" {
		props := map[string]any{"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}
		for _, f := range fields {
			props[f] = map[string]any{"type": "string"}
		}
		return map[string]any{"type": "object", "required": []string{"file"}, "properties": props}
	}
	return map[string]any{"type": "string", "contentMediaType": mediaType}
}

// schemaOf describes t as JSON Schema as encoding/json writes it, following
// json tags. Named structs become shared components; string types with an
// Enum method state their values; integers say their width.
func schemaOf(t reflect.Type, defs *schemaSet) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType: // any JSON value, such as an application form
		return map[string]any{}
	case t.Implements(enumType):
		values := reflect.Zero(t).Interface().(interface{ Enum() []string }).Enum()
		return map[string]any{"type": "string", "enum": values}
	case t.Kind() != reflect.String && !t.Implements(jsonMarshaler) &&
		(t.Implements(textType) || reflect.PointerTo(t).Implements(textType)):
		return map[string]any{"type": "string"} // such as calendar.Date
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer", "format": "int32", "minimum": 0}
	case reflect.Uint, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64", "minimum": 0}
	case reflect.Float32:
		return map[string]any{"type": "number", "format": "float"}
	case reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), defs)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), defs)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		if t.Name() == "" {
			return structSchema(t, defs)
		}
		name, done := defs.name(t)
		if !done {
			defs.defs[name] = map[string]any{} // break recursion
			defs.defs[name] = structSchema(t, defs)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// structSchema lists t's JSON properties. A property is required unless its
// tag lets encoding/json leave it out (omitzero, or omitempty on a kind that
// can be empty); a pointer that is never left out may be null. Slices and
// maps are never null: handlers answer [] and {} for none. Nothing outside
// the properties is allowed, so an undocumented field fails validation.
func structSchema(t reflect.Type, defs *schemaSet) map[string]any {
	props := map[string]any{}
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			// An embedded struct's fields are the outer object's in JSON.
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				inner := structSchema(et, defs)
				for k, v := range inner["properties"].(map[string]any) {
					if _, shadowed := props[k]; !shadowed {
						props[k] = v
					}
				}
				if r, ok := inner["required"].([]string); ok && f.Type.Kind() != reflect.Pointer {
					required = append(required, r...)
				}
				continue
			}
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := schemaOf(f.Type, defs)
		omittable := omittable(f.Type, opts)
		if f.Type.Kind() == reflect.Pointer && !omittable {
			s = nullable(s)
		}
		props[name] = s
		if !omittable {
			required = append(required, name)
		}
	}
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		slices.Sort(required)
		out["required"] = slices.Compact(required)
	}
	return out
}

// omittable reports whether encoding/json may leave a field of type t out
// under the tag options opts.
func omittable(t reflect.Type, opts string) bool {
	for _, o := range strings.Split(opts, ",") {
		switch o {
		case "omitzero":
			return true
		case "omitempty":
			switch t.Kind() {
			case reflect.Struct:
				return false // encoding/json never omits a struct for omitempty
			case reflect.Array:
				return t.Len() == 0
			}
			return true
		}
	}
	return false
}

// nullable lets s also be null.
func nullable(s map[string]any) map[string]any {
	if typ, ok := s["type"].(string); ok {
		out := maps.Clone(s)
		out["type"] = []string{typ, "null"}
		if enum, ok := s["enum"].([]string); ok {
			out["enum"] = enumWithNull(enum) // an enum must list null too
		}
		return out
	}
	return map[string]any{"oneOf": []any{s, map[string]any{"type": "null"}}}
}

func enumWithNull(values []string) []any {
	out := make([]any, 0, len(values)+1)
	for _, v := range values {
		out = append(out, v)
	}
	return append(out, nil)
}

func (a *API) serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, a.OpenAPI())
}
