package redisstore_test

import (
	"context"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// evalshaCalls is how many scripts (EVALSHA) Redis has run.
func evalshaCalls(t *testing.T, rdb *redis.Client) int {
	info, err := rdb.Info(ctxFor(t), "commandstats").Result()
	require.NoError(t, err)
	m := regexp.MustCompile(`cmdstat_evalsha:calls=(\d+)`).FindStringSubmatch(info)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// quick is a client that gives up reading after 100 ms and retries
// thrice, on connections made beforehand (a new one could not say HELLO
// to a stalled server): a stall longer than that sends a script several
// times, and every copy runs when Redis resumes.
func quick(o *redis.Options) {
	o.ReadTimeout = 100 * time.Millisecond
	o.MaxRetries = 3
	o.MinRetryBackoff, o.MaxRetryBackoff = time.Millisecond, 5*time.Millisecond
	o.PoolSize, o.MinIdleConns = 16, 8
}

func warm(t *testing.T, rdb *redis.Client) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { require.NoError(t, rdb.Ping(ctxFor(t)).Err()) })
	}
	wg.Wait()
}

// An append sent several times during a stall longer than the client's
// read timeout (SIGSTOP, then SIGCONT: every copy runs), by go-redis's
// retries and by its caller's, and once more after it, lands once.
func TestAppendOnceThroughAStall(t *testing.T) {
	r := startRedis(t)
	rdb := r.client(t, quick)
	warm(t, rdb)
	s := r.store(t, rdb)
	ageEpoch(t, rdb)
	ctx := ctxFor(t)
	l, err := s.Acquire(ctx, 20001, "me", time.Minute)
	require.NoError(t, err)
	id1, err := s.Append(ctx, l, 1, benchEvent) // the script is loaded
	require.NoError(t, err)
	before := evalshaCalls(t, rdb)

	require.NoError(t, r.Pause())
	for range 3 { // each try writes the script on a connection of the pool
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err = s.Append(actx, l, 2, benchEvent)
		cancel()
		require.Error(t, err, "timed out, maybe carried out")
	}
	require.NoError(t, r.Resume())
	id2, err := s.Append(ctx, l, 2, benchEvent) // the caller's last try
	require.NoError(t, err)

	check := r.client(t)
	require.Eventually(t, func() bool { return evalshaCalls(t, check) >= before+4 }, 5*time.Second, 5*time.Millisecond,
		"every copy ran")
	t.Logf("the append ran %d times", evalshaCalls(t, check)-before)
	all, err := s.Read(ctx, 20001, "", 100)
	require.NoError(t, err)
	require.Len(t, all, 2, "appended once")
	require.Equal(t, []string{id1, id2}, []string{all[0].ID, all[1].ID})
}

// Pollers through a stall longer than their clients' read timeout and
// their lease: they stop polling before their leases may expire, nothing
// is appended twice, no agent is polled by two processes at once, and
// every agent is polled again once Redis resumes.
func TestPollersOutliveAStall(t *testing.T) {
	const ttl = 500 * time.Millisecond
	r := startRedis(t)
	srv := fake(t)
	f := newFront(t, srv)
	a, b := newProcess(t, r, f.URL, ttl, quick), newProcess(t, r, f.URL, ttl, quick)
	warm(t, a.rdb)
	warm(t, b.rdb)
	agents := []int{20001, 20002}
	for i, id := range agents {
		signIn(t, a.client, id, []string{"88001", "88002"}[i])
	}
	ctx, stop := context.WithCancel(ctxFor(t))
	defer stop()
	var done []<-chan error
	for _, p := range []*process{a, b} {
		for _, id := range agents {
			done = append(done, p.run(ctx, id))
		}
	}
	require.Eventually(t, func() bool { return f.polling(20001) && f.polling(20002) }, 5*time.Second, 5*time.Millisecond)
	// Events in flight when Redis stalls: their appends are retried.
	for _, id := range agents {
		c, err := srv.Ring(id, "13800000000")
		require.NoError(t, err)
		require.NoError(t, srv.Hangup(c))
	}

	m := marks(a, b)
	require.NoError(t, r.Pause())
	require.Eventually(t, func() bool { return stopped([]*process{a, b}, m, agents...) }, 5*time.Second, 5*time.Millisecond,
		"no poll once the lease may have expired")
	require.Eventually(t, func() bool { return !f.polling(20001) && !f.polling(20002) }, 5*time.Second, time.Millisecond,
		"the gateway sees the polls end (the split-brain check is the front's overlaps)")
	require.NoError(t, r.Resume())
	back := time.Now()
	require.Eventually(t, func() bool { return f.polledSince(20001, back) && f.polledSince(20002, back) },
		5*time.Second, 5*time.Millisecond, "polled again")
	for _, id := range agents {
		c, err := srv.Ring(id, "13900000000")
		require.NoError(t, err)
		require.NoError(t, srv.Hangup(c))
	}
	for _, id := range agents {
		require.Eventually(t, func() bool {
			got, _ := streamTypes(t, a.store, id)
			return len(got) > 0 && got[len(got)-1] == "AgentOther_PhoneRelease" && len(got) >= 3
		}, 5*time.Second, 5*time.Millisecond)
		got, _ := streamTypes(t, a.store, id)
		seen := map[string]int{}
		for _, typ := range got {
			seen[typ]++
		}
		require.LessOrEqual(t, seen["AgentEvent_Ringing"], 2, "none twice: %v", got)
		require.LessOrEqual(t, seen["AgentOther_PhoneRelease"], 2, "none twice: %v", got)
		require.Equal(t, "AgentEvent_Ringing", got[len(got)-2])
		require.NotEmpty(t, streamGaps(t, a.store, id), "a gap where events may be missing")
	}
	require.Zero(t, f.overlapping(), "no agent polled by two processes at once")
	stop()
	for _, d := range done {
		require.ErrorIs(t, <-d, context.Canceled)
	}
}
