package wrapper

import (
	"strconv"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// ValidateAgentID reports whether id is in the client's agent ID range
// (101-59999 unless configured otherwise). agwgen writes every other check
// from the spec (operations.gen.go).
func (c *Client) ValidateAgentID(id int) error { return c.checkAgentID("agentid", id) }

// checkAgentID applies the client's range to an input the spec marks
// x-agent-id, so WithWideAgentIDs widens every such input at once.
func (c *Client) checkAgentID(field string, id int) error {
	if id < c.cfg.minID || id > c.cfg.maxID {
		return &ValidationError{Field: field, Value: strconv.Itoa(id),
			Rule: "an agent ID " + strconv.Itoa(c.cfg.minID) + "-" + strconv.Itoa(c.cfg.maxID)}
	}
	return nil
}

// quote shows a value that broke a bound; a secret's never.
func quote(v string, secret bool) string {
	if secret {
		return Withheld
	}
	return strconv.Quote(redact.Clip(v, 40))
}
