package server

import (
	"fmt"
	"slices"
	"sync"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/openapi"
	"github.com/getkin/kin-openapi/openapi3"
)

// operation is one operation of the spec, compiled once for serving.
type operation struct {
	id           string
	params       []param
	query        bool  // some parameter is in the query
	body         *node // the application/json request body; nil: none
	bodyRequired bool
	needsGuid    bool // the spec requires the Guid on every way in
	agentID      bool // the path has {agentid}
}

// served is the spec compiled for serving: its operations by ServeMux
// pattern ("PUT /agentgateway/resource/onlineagent/{agentid}"), the pattern
// the generated code registers each one under.
type served struct {
	ops     map[string]*operation
	methods []string // every method some path serves
}

// Handlers share the compiled spec, which holds only read-only data, instead
// of compiling it (milliseconds) for each one: one per option set.
var (
	narrowSpec = sync.OnceValue(func() *served { return newServed(false) })
	wideSpec   = sync.OnceValue(func() *served { return newServed(true) })
)

func specFor(wide bool) *served {
	if wide {
		return wideSpec()
	}
	return narrowSpec()
}

// newServed loads the embedded spec, widens agent IDs when asked, and
// compiles every operation.
func newServed(wide bool) *served {
	spec, err := openapi.Load()
	if err != nil {
		// The spec is compiled into the binary: failing here is a build defect.
		panic("server: " + err.Error())
	}
	if wide {
		widenAgentIDs(spec)
	}
	s := &served{ops: make(map[string]*operation)}
	c := compiler{}
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			o, err := c.compileOperation(spec, item, op)
			if err != nil {
				panic(fmt.Sprintf("server: %s %s: %v", method, path, err))
			}
			s.ops[method+" "+generated.BasePath+path] = o
			if !slices.Contains(s.methods, method) {
				s.methods = append(s.methods, method)
			}
		}
	}
	slices.Sort(s.methods)
	return s
}

func (c compiler) compileOperation(spec *openapi3.T, item *openapi3.PathItem, op *openapi3.Operation) (*operation, error) {
	o := &operation{id: op.OperationID, needsGuid: needsGuid(spec, op)}
	// An operation's parameter replaces the path's of the same name and place.
	all := slices.Concat(item.Parameters, op.Parameters)
	for i, ref := range all {
		p := ref.Value
		if slices.ContainsFunc(all[i+1:], func(r *openapi3.ParameterRef) bool {
			return r.Value.Name == p.Name && r.Value.In == p.In
		}) {
			continue
		}
		cp, err := c.compileParam(p)
		if err != nil {
			return nil, err
		}
		o.params = append(o.params, cp)
		o.query = o.query || p.In == openapi3.ParameterInQuery
		o.agentID = o.agentID || (p.In == openapi3.ParameterInPath && p.Name == "agentid")
	}
	if op.RequestBody == nil {
		return o, nil
	}
	rb := op.RequestBody.Value
	for mt := range rb.Content {
		if mt != jsonMediaType {
			return nil, fmt.Errorf("request body of type %s: only %s is supported", mt, jsonMediaType)
		}
	}
	media := rb.Content.Get(jsonMediaType)
	if media == nil || media.Schema == nil {
		return nil, fmt.Errorf("request body without an %s schema", jsonMediaType)
	}
	body, err := c.compile(media.Schema.Value)
	if err != nil {
		return nil, fmt.Errorf("request body: %w", err)
	}
	o.body, o.bodyRequired = body, rb.Required
	return o, nil
}

const jsonMediaType = "application/json"

// needsGuid reports whether every security requirement of op names the
// Guid scheme: none of SignIn's (security: []), not the all-agent poll's
// ({} or Guid).
func needsGuid(spec *openapi3.T, op *openapi3.Operation) bool {
	reqs := spec.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	for _, req := range reqs {
		if _, ok := req["Guid"]; !ok {
			return false
		}
	}
	return len(reqs) > 0
}

// widenAgentIDs raises the maximum of every parameter marked
// `x-agent-id: true` to generated.MaxAgentIDWide.
func widenAgentIDs(spec *openapi3.T) {
	limit := float64(generated.MaxAgentIDWide)
	widen := func(p *openapi3.ParameterRef) {
		if p == nil || p.Value == nil || p.Value.Extensions["x-agent-id"] != true {
			return
		}
		if s := p.Value.Schema; s != nil && s.Value != nil {
			s.Value.Max = &limit
		}
	}
	if spec.Components != nil {
		for _, p := range spec.Components.Parameters {
			widen(p)
		}
	}
	for _, item := range spec.Paths.Map() {
		for _, p := range item.Parameters {
			widen(p)
		}
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				widen(p)
			}
		}
	}
}
