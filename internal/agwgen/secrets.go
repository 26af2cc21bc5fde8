package main

import (
	"bytes"
	"fmt"
	"strings"
)

// secretInput writes the statement that adds the input expr to secrets
// when the spec marks it x-secret (a string); guard, if set, must hold
// first, and a pointer is added when set.
func secretInput(w *bytes.Buffer, guard, expr string, ext map[string]any, pointer bool) {
	if secret, _ := ext["x-secret"].(bool); !secret {
		return
	}
	var cond []string
	if guard != "" {
		cond = append(cond, guard)
	}
	v := expr
	if pointer {
		cond = append(cond, expr+" != nil")
		v = "*" + expr
	}
	add := fmt.Sprintf("secrets = append(secrets, string(%s))\n", v)
	if len(cond) == 0 {
		w.WriteString(add)
		return
	}
	fmt.Fprintf(w, "if %s {\n%s}\n", strings.Join(cond, " && "), add)
}
