package wrapper

import (
	"testing"
)

// depthSeeds are bodies at the depth limit and one level past it.
var depthSeeds = []string{
	`{"retcode":"0","result":` + nest(maxDepth-1, "1", false) + `}`,
	`{"retcode":"0","result":` + nest(maxDepth, "1", true) + `}`,
	`{"retcode":"0","event":{"eventType":"X","content":` + nest(maxDepth-1, `"\"]"`, false) + `}}`,
	`{"workNo":"1","eventList":[{"eventType":"X","content":` + nest(maxDepth-3, "null", true) + `}]}`,
	`{"workNo":"1","eventList":[{"eventType":"X","content":` + nest(maxDepth-2, "null", false) + `}]}`,
	nest(maxDepth+1, "", false),
}

func BenchmarkDecodeEventReply(b *testing.B) {
	body := []byte(typicalPoll)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := DecodeEventReply(body); err != nil {
			b.Fatal(err)
		}
	}
}

// typicalPoll is a poll reply with one Talking event, as a gateway sends it.
const typicalPoll = `{"message":"","retcode":"0","event":{"eventType":"AgentEvent_Talking","workNo":"20001",` +
	`"content":{"caller":"13800000000","called":"88001","callid":"1700000000-1","feature":"0",` +
	`"mediaAbility":"1","type":"main","partner":"","trunkNo":"","callSkill":"voice","callSkillId":1}}}`
