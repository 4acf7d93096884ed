package api

import (
	"encoding/json"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// OpenAPI returns the OpenAPI 3.1 document of the route table, with schemas
// derived from the Go types the handlers actually decode and encode.
func (a *API) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	schemas := map[string]any{}
	for _, rt := range a.routes {
		op := map[string]any{
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"operationId": operationID(rt),
		}
		var params []any
		for _, name := range pathParams.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": name[1], "in": "path", "required": true,
				"schema": map[string]any{"type": "string"}})
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
			content[mt] = map[string]any{"schema": rawSchema(mt)}
		}
		if len(content) > 0 {
			op["requestBody"] = map[string]any{"required": true, "content": content}
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		switch {
		case rt.Produces != "":
			ok["content"] = map[string]any{rt.Produces: map[string]any{"schema": rawSchema(rt.Produces)}}
		case rt.Out != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Out), schemas)}}
		}
		op["responses"] = map[string]any{
			itoa(status): ok,
			"default": map[string]any{"description": "错误", "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
		}
		if rt.Access != public {
			op["security"] = []any{map[string]any{"session": []string{}}, map[string]any{"bearer": []string{}}}
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	schemas["Error"] = schemaOf(reflect.TypeOf(errorBody{}), schemas)
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Tongban 通办 API", "version": a.Version,
			"description": "一网通办平台接口。错误统一为 {\"error\": {\"code\", \"message\", \"field\"}}。"},
		"paths": paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "tongban_session"},
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
			},
		},
	}
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
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

// rawSchema describes a non-JSON body: a file field for multipart uploads,
// the bytes themselves otherwise.
func rawSchema(mediaType string) map[string]any {
	if mediaType == "multipart/form-data" {
		return map[string]any{"type": "object", "required": []string{"file"}, "properties": map[string]any{
			"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}
	}
	return map[string]any{"type": "string", "contentMediaType": mediaType}
}

// schemaOf describes t as JSON Schema, following json tags. Named structs
// become shared components.
func schemaOf(t reflect.Type, defs map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case rawType: // any JSON value, such as an application form
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), defs)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), defs)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := t.Name()
		if name != "" {
			if _, done := defs[name]; !done {
				defs[name] = map[string]any{} // break recursion
				defs[name] = structSchema(t, defs)
			}
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		return structSchema(t, defs)
	}
	return map[string]any{}
}

func structSchema(t reflect.Type, defs map[string]any) map[string]any {
	props := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			// An embedded struct's fields are the outer object's in JSON.
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for k, v := range structSchema(et, defs)["properties"].(map[string]any) {
					if _, shadowed := props[k]; !shadowed {
						props[k] = v
					}
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
		props[name] = schemaOf(f.Type, defs)
	}
	return map[string]any{"type": "object", "properties": props}
}

func (a *API) serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, a.OpenAPI())
}
