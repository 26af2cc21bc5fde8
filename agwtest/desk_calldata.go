package agwtest

import (
	"context"
	"encoding/base64"
	"slices"

	"github.com/agentgateway-go/agentgateway/generated"
)

// callOf finds a call of agent a: the one named by callID (ringing,
// talking or held), or with no ID the current one. Call with g.mu held.
func callOf(a *agent, callID *string) *call {
	if callID == nil || *callID == "" {
		return a.call
	}
	if a.call != nil && a.call.ID == *callID {
		return a.call
	}
	if i := slices.IndexFunc(a.held, func(c *call) bool { return c.ID == *callID }); i >= 0 {
		return a.held[i]
	}
	return nil
}

// appData answers the data attached to the agent's call, Base64-encoded
// when asked; no call is 100-007.
func (g *Gateway) appData(ctx context.Context, id int, encode *bool, callID *string) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := callOf(a, callID)
		if c == nil {
			return failure(generated.RetCodeOperationFailed, "no call")
		}
		if deref(encode) {
			return successWith(base64.StdEncoding.EncodeToString([]byte(c.data)))
		}
		return successWith(c.data)
	})
}

// setCallData stores data with the agent's call: 400-001 without a call,
// 400-002 without data, 000-002 for Base64 that does not decode.
func (g *Gateway) setCallData(ctx context.Context, id int, body *generated.SetCallDataRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := callOf(a, body.Callid)
		switch {
		case c == nil:
			return failure(generated.RetCodeSetCallDataNoCall, "no call")
		case body.Calldata == nil:
			return failure(generated.RetCodeSetCallDataNoData, "no calldata")
		}
		data := *body.Calldata
		if deref(body.IsDataEncoded) {
			raw, err := base64.StdEncoding.DecodeString(data)
			if err != nil {
				return failure(generated.RetCodeInvalidParameter, "calldata is not Base64")
			}
			data = string(raw)
		}
		c.data = data
		return success()
	})
}

// callInfo describes call c at agent a. Call with g.mu held.
func (g *Gateway) callInfo(a *agent, c *call) generated.CallInfo {
	feature := 0
	if c.Outbound {
		feature = 7
	}
	info := generated.CallInfo{
		Callfeature: &feature, Callid: &c.ID, Caller: &c.Caller, Called: &c.Called,
		Orgicallednum: &c.Called, Calldata: &c.data, Begintime: ptr(c.began.UnixMilli()), Endtime: ptr(int64(0)),
		MediaType: ptr(voiceMedia), UserPriority: ptr(0), TrunkNo: ptr(0),
	}
	if sk := g.desk.skills[c.Skill]; sk != nil {
		info.Callskill, info.Callskillid = &sk.Name, &sk.ID
	}
	if a.sess != nil {
		info.Logontimes = ptr(int(g.cfg.now().Sub(a.sess.loginTime).Seconds()))
	}
	return info
}

// currentCallInfo answers the agent's call, else its last one unless
// noLast; with neither, an empty object.
func (g *Gateway) currentCallInfo(ctx context.Context, id int, noLast *bool) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := a.call
		if c == nil && !deref(noLast) {
			c = a.desk.lastCall
		}
		if c == nil {
			return successWith(generated.CallInfo{})
		}
		return successWith(g.callInfo(a, c))
	})
}

// callInfoByID answers a call the agent rings, talks or holds; 100-007
// for any other.
func (g *Gateway) callInfoByID(ctx context.Context, id int, callID string) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := callOf(a, &callID)
		if c == nil {
			return failure(generated.RetCodeOperationFailed, "the agent has no call with this callid")
		}
		return successWith(g.callInfo(a, c))
	})
}

// callInfoBeforeAnswer answers the call ringing at the agent; 100-007 when
// none rings.
func (g *Gateway) callInfoBeforeAnswer(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		if a.state != StateRinging || a.call == nil {
			return failure(generated.RetCodeOperationFailed, "no call is offered to the agent")
		}
		return successWith(g.callInfo(a, a.call))
	})
}

// callIDsOf answers the call IDs of agent workNo: the current call, then
// the held ones.
func (g *Gateway) callIDsOf(ctx context.Context, id, workNo int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		t := g.agents[workNo]
		if t == nil {
			return failure(generated.RetCodeOperationFailed, "workno is not a known agent")
		}
		ids := []string{}
		if t.call != nil {
			ids = append(ids, t.call.ID)
		}
		for _, c := range t.held {
			ids = append(ids, c.ID)
		}
		return successWith(ids)
	})
}

// waitCallInfo lists the calls waiting in a skill queue, oldest first.
func (g *Gateway) waitCallInfo(ctx context.Context, id, skill int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		if g.desk.skills[skill] == nil {
			return failure(generated.RetCodeOperationFailed, "skillid is not a known skill queue")
		}
		list := []map[string]any{}
		now := g.cfg.now()
		for _, c := range g.desk.queues[skill] {
			list = append(list, map[string]any{
				"callid": c.ID, "caller": c.Caller, "called": c.Called, "waitTime": int(now.Sub(c.began).Seconds()),
			})
		}
		return successWith(list)
	})
}
