package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// kind is the type of a generated flag's value.
type kind int

const (
	kindString kind = iota
	kindInt
	kindNumber
	kindBool
	kindJSON // a structured parameter, given as JSON
)

func (k kind) String() string {
	return [...]string{"string", "int", "number", "bool", "json"}[k]
}

// flagSpec is one flag of an operation: a parameter, or a top-level scalar
// field of its body, named as in the spec.
type flagSpec struct {
	Name     string
	Kind     kind
	In       string // path, query, header or body
	Help     string
	Enum     []string
	Required bool
	Secret   bool // read from @file only: a flag's value shows in the process list
}

// runFunc sends an operation: on s for session operations, on c for the
// others. A nil result means the operation has none.
type runFunc func(ctx context.Context, s *wrapper.Session, c *wrapper.Client) (any, error)

// operation is one `agw call` subcommand (operations.gen.go lists them).
type operation struct {
	Name, Summary string
	Session       bool   // needs a signed-in session
	Manual        string // the hand-written wrapper method that covers it (x-session-effect: starts)
	BodyJSON      bool   // the body has nested or opaque content: -body
	Flags         []flagSpec
	// Build reads the flags into the method's arguments, sending nothing.
	Build func(*input) (runFunc, error)
}

// maxInput bounds -body and a secret @file.
const maxInput = 64 << 10

// input holds the values of an operation's flags that were set, each as
// JSON, and the fields of -body.
type input struct {
	specs []flagSpec
	vals  map[string]json.RawMessage
	body  map[string]json.RawMessage
	errs  []string // refused secrets: reported without their value
	// bodyFlag: the operation takes -body, which may hold required fields.
	bodyFlag bool
}

func newInput(specs []flagSpec) *input {
	return &input{specs: specs, vals: map[string]json.RawMessage{}}
}

// value decodes the flag name, if set, into dst.
func (in *input) value(name string, dst any) error {
	raw, ok := in.vals[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("-%s: %w", name, err)
	}
	return nil
}

// object fills dst, a generated struct, with the flags of the given
// places (and -body's fields for "body"), through its JSON form: every
// name is the spec's, and a field the struct lacks is refused.
func (in *input) object(dst any, places ...string) error {
	m := map[string]json.RawMessage{}
	if slices.Contains(places, "body") {
		for k, v := range in.body {
			m[k] = v
		}
	}
	for _, f := range in.specs {
		if !slices.Contains(places, f.In) {
			continue
		}
		if raw, ok := in.vals[f.Name]; ok {
			m[f.Name] = raw
		} else if _, inBody := m[f.Name]; f.Required && !inBody {
			if in.bodyFlag {
				return fmt.Errorf("missing -%s (or its field in -body)", f.Name)
			}
			return fmt.Errorf("missing -%s", f.Name)
		}
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("-body: %w", err)
	}
	return nil
}

// missing lists the required path, query and header flags not set.
func (in *input) missing() []string {
	var out []string
	for _, f := range in.specs {
		if _, ok := in.vals[f.Name]; f.Required && f.In != "body" && !ok {
			out = append(out, "-"+f.Name)
		}
	}
	return out
}

// specValue is a generated flag as a flag.Value.
type specValue struct {
	in   *input
	spec flagSpec
	text string
}

func (v *specValue) String() string {
	if v == nil || v.spec.Secret {
		return ""
	}
	return v.text
}

func (v *specValue) IsBoolFlag() bool { return v.spec.Kind == kindBool }

// Set checks s against the flag's kind. A secret is read from its @file;
// a secret given inline is refused later, without echoing it.
func (v *specValue) Set(s string) error {
	if v.spec.Secret {
		name, ok := strings.CutPrefix(s, "@")
		if !ok {
			v.in.errs = append(v.in.errs, "-"+v.spec.Name+" is a secret: give it as @file, not on the command line")
			return nil
		}
		b, err := readBounded(name)
		if err != nil {
			v.in.errs = append(v.in.errs, "-"+v.spec.Name+": "+err.Error())
			return nil
		}
		s = strings.TrimRight(string(b), "\r\n")
	}
	raw, err := encode(v.spec.Kind, s)
	if err != nil {
		if v.spec.Secret {
			v.in.errs = append(v.in.errs, "-"+v.spec.Name+": the file's content is not a "+v.spec.Kind.String())
			return nil
		}
		return err
	}
	v.text = s
	v.in.vals[v.spec.Name] = raw
	return nil
}

// encode turns a flag's text into the JSON value of its kind.
func encode(k kind, s string) (json.RawMessage, error) {
	switch k {
	case kindInt:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, errors.New("not an integer")
		}
		return json.RawMessage(strconv.FormatInt(n, 10)), nil
	case kindNumber:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, errors.New("not a number")
		}
		return json.Marshal(f)
	case kindBool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, errors.New("not true or false")
		}
		return json.Marshal(b)
	case kindJSON:
		if len(s) > maxInput || !json.Valid([]byte(s)) {
			return nil, errors.New("not a JSON value")
		}
		return json.RawMessage(s), nil
	}
	return json.Marshal(s)
}

// bodyValue is -body: a JSON object, inline or @file.
type bodyValue struct{ in *input }

func (b *bodyValue) String() string { return "" }

func (b *bodyValue) Set(s string) error {
	raw := []byte(s)
	if name, ok := strings.CutPrefix(s, "@"); ok {
		var err error
		if raw, err = readBounded(name); err != nil {
			return err
		}
	}
	if len(raw) > maxInput {
		return fmt.Errorf("longer than %d bytes", maxInput)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return errors.New("not a JSON object")
	}
	b.in.body = m
	return nil
}

// readBounded reads a file of at most maxInput bytes.
func readBounded(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("%s: longer than %d bytes", name, maxInput)
	}
	return b, nil
}
