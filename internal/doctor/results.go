package doctor

import (
	"context"
	"errors"
	"net"
	"time"
)

func skip(detail string) Result { return Result{Status: Skip, Detail: detail} }

func ok(detail string) Result { return Result{Status: OK, Detail: detail} }

func warn(detail, hint string) Result { return Result{Status: Warn, Detail: detail, Hint: hint} }

func fail(detail, hint string) Result { return Result{Status: Fail, Detail: detail, Hint: hint} }

// ms prints a duration for a human, to a tenth of a millisecond below 1 s.
func ms(d time.Duration) string {
	if d < time.Second {
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

// isTimeout reports whether err is a timeout, of a context or the network.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// need is what a check needs from the earlier ones.
type need int

const (
	needTCP       need = iota // the host resolved and a TCP connection
	needHandshake             // and TLS spoken (plain http counts)
	needTrusted               // and a certificate the library accepts
)

// blocked says why a check needing n cannot run, or "".
func (r *runner) blocked(n need) string {
	switch {
	case !r.dnsOK:
		return "needs the host resolved (dns failed)"
	case !r.tcpOK:
		return "needs a TCP connection (tcp failed)"
	case n >= needHandshake && !r.handshakeOK:
		return "needs a TLS handshake (tls failed)"
	case n >= needTrusted && !r.trustedTLS:
		return r.tlsBroken
	}
	return ""
}
