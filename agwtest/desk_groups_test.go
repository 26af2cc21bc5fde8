package agwtest_test

import (
	"encoding/json"
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestGroupQueries asks the agent-group queries about the demo agents and
// a second group, unknown agents and groups included.
func TestGroupQueries(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	if err := d.srv.AddGroup("other"); err != nil {
		t.Fatal(err)
	}
	if err := d.srv.AddAgent(agwtest.Agent{ID: 30001, Password: agwtest.DemoPassword, Phone: "89001", Group: "other", Name: "Olga"}); err != nil {
		t.Fatal(err)
	}
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	d.signIn(inspector, generated.SignInRequest{})
	expect(t, "0")(d.api.SayBusyWithResponse(ctx, agentB, nil, d.as(agentB)))
	as := d.as(agentA)

	pickup, err := d.api.IsPickupWithResponse(ctx, agentA, as)
	want(t, pickup, err, "0")
	if *pickup.JSON200.Result != generated.PickUpPermissionTrue {
		t.Fatalf("ispickup: %s", pickup.Body)
	}
	pickup, err = d.api.IsPickupWithResponse(ctx, inspector, d.as(inspector))
	want(t, pickup, err, "0")
	if *pickup.JSON200.Result != generated.PickUpPermissionFalse {
		t.Fatalf("ispickup of the inspector: %s", pickup.Body)
	}
	censor, err := d.api.IsCensorWithResponse(ctx, inspector, d.as(inspector))
	if env := want(t, censor, err, "0"); string(env.Result) != `"true"` {
		t.Fatalf("iscensor: %s", env.Result)
	}

	group, err := d.api.GetGroupByAgentWithResponse(ctx, agentA, 30001, as)
	want(t, group, err, "0")
	if g := group.JSON200.Result; *g.Name != "other" || *g.Id != 2 {
		t.Fatalf("groupbyagent: %s", group.Body)
	}
	expect(t, "100-007")(d.api.GetGroupByAgentWithResponse(ctx, agentA, 30000, as))

	all, err := d.api.GetAllAgentStatusWithResponse(ctx, agentA, as)
	want(t, all, err, "0")
	list := *all.JSON200.Result
	if len(list) != 7 || *list[0].Workno != "20001" || *list[0].Status != 4 || *list[1].Status != 3 ||
		*list[2].Status != 2 || *list[6].Name != "Olga" || *list[6].GroupName != "other" {
		t.Fatalf("allagentstatus: %s", all.Body)
	}
	idle, err := d.api.GetIdleAgentsWithResponse(ctx, agentA, as)
	want(t, idle, err, "0")
	if l := *idle.JSON200.Result; len(l) != 2 || *l[0].Workno != "20001" || *l[1].Workno != "20900" {
		t.Fatalf("idleagent: %s", idle.Body)
	}

	one, err := d.api.GetAgentByWorkNoWithResponse(ctx, agentA, agentB, as)
	env := want(t, one, err, "0")
	if info := one.JSON200.Result; string(*info.Workno) != "20002" || *info.Status != 3 || *info.Groupname != "demo" || string(info.Callids) != "[]" {
		t.Fatalf("agentbyworkno: %s", one.Body)
	}
	expect(t, "100-007")(d.api.GetAgentByWorkNoWithResponse(ctx, agentA, 30000, as))

	online, err := d.api.GetOnlineAgentsOnVdnWithResponse(ctx, agentA, as)
	env = want(t, online, err, "0")
	var signedIn []generated.AgentStateInfo
	if json.Unmarshal(env.Result, &signedIn) != nil || len(signedIn) != 3 {
		t.Fatalf("onlineagentonvdn: %s", env.Result)
	}
	groups, err := d.api.GetGroupsOnVdnWithResponse(ctx, agentA, as)
	if env := want(t, groups, err, "0"); string(env.Result) != `[{"id":1,"monitorno":0,"name":"demo"},{"id":2,"monitorno":0,"name":"other"}]` {
		t.Fatalf("grouponvdn: %s", env.Result)
	}
	members, err := d.api.GetAgentsOnGroupExWithResponse(ctx, agentA, &generated.GetAgentsOnGroupExParams{Groupid: 2}, as)
	env = want(t, members, err, "0")
	var inOther []generated.AgentStateInfo
	if json.Unmarshal(env.Result, &inOther) != nil || len(inOther) != 1 || *inOther[0].Workno != "30001" {
		t.Fatalf("agentongroupex: %s", env.Result)
	}
	expect(t, "100-007")(d.api.GetAgentsOnGroupExWithResponse(ctx, agentA, &generated.GetAgentsOnGroupExParams{Groupid: 9}, as))
	reasons, err := d.api.GetRestReasonsWithResponse(ctx, agentA, as)
	if env := want(t, reasons, err, "0"); string(env.Result) != `[]` {
		t.Fatalf("restreason: %s", env.Result)
	}

	// Thin: not simulated, a clear refusal.
	acd, err := d.api.QueryAcdStatWithResponse(ctx, agentA, generated.AcdStatRequest{Skills: []int{1}}, as)
	if env := want(t, acd, err, "100-007"); env.Message != "not implemented by the fake" {
		t.Fatalf("queryacdstat: %q", env.Message)
	}
	expect(t, "100-006")(d.api.GetAllAgentStatusWithResponse(ctx, agentC, d.as(agentC)))
}
