// Package reply reads the agent gateway's replies: it checks status, content
// type, size and encoding, decodes the JSON envelope and event lists into
// the generated models, and turns every failure into a typed error that keeps
// the status and at most 512 bytes of body, with secrets withheld. Package
// wrapper reads every reply with it; it serves as well with the bare
// generated client.
package reply
