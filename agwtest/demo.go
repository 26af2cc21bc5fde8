package agwtest

import "strconv"

// DemoPassword is the password of every Demo agent.
const DemoPassword = "demo-Passw0rd"

// DemoGroup is the agent group Demo creates.
const DemoGroup = "demo"

// DemoSkill is the skill queue Demo creates: ID 1, named "demo", voice.
var DemoSkill = Skill{ID: 1, Name: "demo", MediaType: voiceMedia}

// DemoAgents returns the agents Demo adds: 20001-20005 on phones
// 88001-88005, all in DemoGroup with the pickup permission and DemoSkill.
func DemoAgents() []Agent {
	agents := make([]Agent, 5)
	for i := range agents {
		agents[i] = Agent{
			ID:        20001 + i,
			Password:  DemoPassword,
			Phone:     strconv.Itoa(88001 + i),
			Group:     DemoGroup,
			CanPickUp: true,
			Skills:    []int{DemoSkill.ID},
		}
	}
	return agents
}

// DemoInspector returns the supervisor Demo adds: 20900 on phone 88900, in
// DemoGroup, with the quality-control right and no skill queue.
func DemoInspector() Agent {
	return Agent{ID: 20900, Password: DemoPassword, Phone: "88900", Group: DemoGroup, Name: "demo inspector", Inspector: true}
}

// Demo seeds g with DemoGroup, DemoSkill, DemoAgents and DemoInspector.
func Demo(g *Gateway) error {
	if err := g.AddGroup(DemoGroup); err != nil {
		return err
	}
	if err := g.AddSkill(DemoSkill); err != nil {
		return err
	}
	for _, a := range append(DemoAgents(), DemoInspector()) {
		if err := g.AddAgent(a); err != nil {
			return err
		}
	}
	return nil
}
