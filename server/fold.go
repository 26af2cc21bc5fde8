package server

import (
	"unicode"
	"unicode/utf8"
)

// caseFault refuses a key that is not a property's name but equals one
// under Unicode case folding ("PASSWORD", "paſſword"), naming the property.
// Binding matches names exactly, as the vendor's Jackson does, so such a key
// would be ignored; but encoding/json, and the generated code's fallback
// decoder with it, match names case-insensitively and would bind it, so the
// kit refuses what two parsers could read differently.
func (n *node) caseFault(key []byte) *fault {
	// A character that folds to ASCII takes 3 bytes at most (the Kelvin sign).
	if n.folded == nil || len(key) > 3*n.longest {
		return nil
	}
	var buf [64]byte
	up, ok := foldASCII(key, buf[:0])
	if !ok {
		return nil
	}
	if name, hit := n.folded[string(up)]; hit {
		return &fault{field: name, rule: RuleCase, reason: "another key differs from it only in case"}
	}
	return nil
}

// foldASCII appends to buf the upper-case ASCII form key folds to under
// Unicode simple case folding (the rule of strings.EqualFold, which
// encoding/json follows), or reports false when some character of key folds
// to no ASCII character and so matches no ASCII name.
func foldASCII(key, buf []byte) ([]byte, bool) {
	for len(key) > 0 {
		r, size := utf8.DecodeRune(key)
		key = key[size:]
		if r >= utf8.RuneSelf {
			if r = asciiFold(r); r < 0 {
				return nil, false
			}
		}
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		buf = append(buf, byte(r))
	}
	return buf, true
}

// asciiFold is the ASCII character in r's case-folding orbit ("ſ" -> "s",
// the Kelvin sign -> "k"), or -1.
func asciiFold(r rune) rune {
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return f
		}
	}
	return -1
}
