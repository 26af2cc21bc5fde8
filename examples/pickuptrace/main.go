// Command pickuptrace picks up a call against the embedded fake gateway
// with OpenTelemetry tracing on, and draws the pickup's trace: its spans on
// a time line, as text on stdout and, with -svg, as a picture. A service
// would hand agwotel.WithTracing its own TracerProvider (an OTLP exporter,
// say) instead of the in-memory recorder used here.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/agentgateway-go/agentgateway/agwotel"
	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func main() {
	svg := flag.String("svg", "", "also draw the trace as SVG into this `file`")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *svg); err != nil {
		fmt.Fprintln(os.Stderr, "pickuptrace:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout io.Writer, svgPath string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	srv := agwtest.New()
	defer srv.Close()
	agents := agwtest.DemoAgents()
	ringing, picker := agents[0], agents[1]
	if err := agwtest.Demo(srv.Gateway); err != nil {
		return err
	}
	if _, err := srv.SignIn(ringing.ID); err != nil { // a test hook: the desk of the ringing agent
		return err
	}
	if _, err := srv.Ring(ringing.ID, "13800000000"); err != nil {
		return err
	}

	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	c, err := wrapper.NewClient(srv.URL(), agwotel.WithTracing(tp))
	if err != nil {
		return err
	}
	s, err := c.SignIn(ctx, picker.ID, wrapper.SignInOptions{Phone: picker.Phone, Password: picker.Password})
	if err != nil {
		return err
	}
	defer func() { _ = s.ForceSignOut(context.Background()) }() // on every way out; it also releases the call
	done, err := s.PollInBackground(ctx, func(wrapper.Event) error { return nil }, wrapper.PollOptions{})
	if err != nil {
		return err
	}
	call, err := s.PickUp(ctx, ringing.ID, wrapper.CheckFirst())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "PICKED UP call %s from %s\n", call.CallID, call.Caller)
	if err := s.ForceSignOut(ctx); err != nil { // ends the poll, releases the call
		return err
	}
	if err := <-done; err != nil {
		return err
	}

	tl, err := pickUpTimeline(spans.Ended())
	if err != nil {
		return err
	}
	tl.text(stdout)
	if svgPath == "" {
		return nil
	}
	f, err := os.Create(svgPath)
	if err != nil {
		return err
	}
	tl.svg(f)
	return f.Close()
}
