package main

import (
	"fmt"
	"io"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/internal/connflags"
)

// startFake starts the fake gateway from package agwtest in-process with
// its demo agents, signs in agent 20001 as its desk would and rings it, and
// returns the flags for agent 20002 to pick that call up.
func startFake(stdout io.Writer) (*agwtest.Server, flags, error) {
	srv := agwtest.New()
	agents := agwtest.DemoAgents()
	ringing, picker := agents[0], agents[1]
	err := agwtest.Demo(srv.Gateway)
	if err == nil {
		_, err = srv.SignIn(ringing.ID) // a test hook: the Guid it returns is not needed
	}
	callID := ""
	if err == nil {
		callID, err = srv.Ring(ringing.ID, "13800000000")
	}
	if err != nil {
		srv.Close()
		return nil, flags{}, err
	}
	fmt.Fprintf(stdout, "FAKE GATEWAY %s: call %s from 13800000000 is ringing at agent %d\n", srv.URL(), callID, ringing.ID)
	return srv, flags{Conn: connflags.Conn{BaseURL: srv.URL(), Agent: picker.ID, Phone: picker.Phone},
		password: picker.Password, dest: ringing.ID, timeout: 10 * time.Second}, nil
}
