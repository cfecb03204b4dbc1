package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace bounds how long a shutdown waits for in-flight requests.
const ShutdownGrace = 30 * time.Second

// Serve answers HTTP on ln until ctx ends, then shuts down gracefully:
// it stops accepting connections, lets in-flight requests (mutations
// included) finish, and closes websockets with 1001 so clients reconnect -
// to another replica - and resume from their last seq.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	// No ReadTimeout or WriteTimeout: they would cut event streams and
	// websockets. Bodies get their own deadline (api's bodyDeadline);
	// headers must arrive in 10 s, within 64 KiB.
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down: finishing requests, closing websockets with 1001")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	// Websockets are hijacked connections that http.Server.Shutdown does
	// not track; they are closed here while requests drain.
	done := make(chan struct{})
	go func() {
		a.Server.CloseWebsockets()
		close(done)
	}()
	err := srv.Shutdown(shutdownCtx)
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
