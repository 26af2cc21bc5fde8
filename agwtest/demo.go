package agwtest

import "strconv"

// DemoPassword is the password of every Demo agent.
const DemoPassword = "demo-Passw0rd"

// DemoGroup is the agent group Demo creates.
const DemoGroup = "demo"

// DemoAgents returns the agents Demo adds: 20001-20005 on phones
// 88001-88005, all in DemoGroup with the pickup permission.
func DemoAgents() []Agent {
	agents := make([]Agent, 5)
	for i := range agents {
		agents[i] = Agent{
			ID:        20001 + i,
			Password:  DemoPassword,
			Phone:     strconv.Itoa(88001 + i),
			Group:     DemoGroup,
			CanPickUp: true,
		}
	}
	return agents
}

// Demo seeds g with DemoGroup and DemoAgents.
func Demo(g *Gateway) error {
	if err := g.AddGroup(DemoGroup); err != nil {
		return err
	}
	for _, a := range DemoAgents() {
		if err := g.AddAgent(a); err != nil {
			return err
		}
	}
	return nil
}
