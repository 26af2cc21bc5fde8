package agwtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// ControlPath is where examples/fakegateway mounts ControlHandler, beside
// the API under /agentgateway/resource.
const ControlPath = "/agwtest/"

// ControlHandler returns the test hooks as a small HTTP API, for driving a
// fake that runs in another process (the standalone server, a load
// generator's child). It has no authentication, so it refuses non-loopback
// clients, a Host other than a loopback address or localhost, and
// cross-site browser POSTs (403); serve it on loopback only. Paths are
// under ControlPath:
//
//	POST /agwtest/signin?agent=N                             {"guid":"..."}
//	POST /agwtest/signout?agent=N                            {}
//	POST /agwtest/ring?agent=N[&caller=NUM][&internal=true]  {"callid":"..."}
//	POST /agwtest/ring?skill=ID[&caller=NUM]                 {"callid":"..."}  (RingSkill)
//	POST /agwtest/hangup?callid=ID                           {}
//	POST /agwtest/answer?callid=ID                           {}  (RemoteAnswer)
//	GET  /agwtest/agents                                     [AgentStatus, ...]
//	GET  /agwtest/stats                                      Stats
//
// A hook that fails answers 409 (400 for a malformed query) with
// {"error":"..."}.
func (g *Gateway) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+ControlPath+"signin", func(w http.ResponseWriter, r *http.Request) {
		id, err := agentParam(r)
		if err != nil {
			writeControl(w, http.StatusBadRequest, err)
			return
		}
		guid, err := g.SignIn(id)
		writeControl(w, 0, err, "guid", guid)
	})
	mux.HandleFunc("POST "+ControlPath+"signout", func(w http.ResponseWriter, r *http.Request) {
		id, err := agentParam(r)
		if err != nil {
			writeControl(w, http.StatusBadRequest, err)
			return
		}
		writeControl(w, 0, g.SignOut(id))
	})
	mux.HandleFunc("POST "+ControlPath+"ring", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("skill") {
			g.ringSkillHook(w, r)
			return
		}
		id, err := agentParam(r)
		var internal bool
		if err == nil && r.URL.Query().Has("internal") {
			internal, err = strconv.ParseBool(r.URL.Query().Get("internal"))
		}
		if err != nil {
			writeControl(w, http.StatusBadRequest, err)
			return
		}
		caller := r.URL.Query().Get("caller")
		if caller == "" {
			caller = "13800000000"
		}
		callID, err := g.ring(id, caller, internal)
		writeControl(w, 0, err, "callid", callID)
	})
	mux.HandleFunc("POST "+ControlPath+"hangup", func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, 0, g.Hangup(r.URL.Query().Get("callid")))
	})
	mux.HandleFunc("POST "+ControlPath+"answer", func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, 0, g.RemoteAnswer(r.URL.Query().Get("callid")))
	})
	mux.HandleFunc("GET "+ControlPath+"agents", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, g.Agents())
	})
	mux.HandleFunc("GET "+ControlPath+"stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, g.Stats())
	})
	mux.HandleFunc(ControlPath, func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusNotFound, errors.New("no control hook "+r.Method+" "+r.URL.Path))
	})
	return localOnly(mux)
}

func agentParam(r *http.Request) (int, error) {
	id, err := strconv.Atoi(r.URL.Query().Get("agent"))
	if err != nil {
		return 0, errors.New("agent: want an agent ID")
	}
	return id, nil
}

// writeControl answers a hook: failStatus (409 when zero) with the error,
// or 200 with the key and value given, if any.
func writeControl(w http.ResponseWriter, failStatus int, err error, kv ...string) {
	if err != nil {
		if failStatus == 0 {
			failStatus = http.StatusConflict
		}
		writeJSON(w, failStatus, map[string]string{"error": err.Error()})
		return
	}
	body := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		body[kv[i]] = kv[i+1]
	}
	writeJSON(w, http.StatusOK, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
