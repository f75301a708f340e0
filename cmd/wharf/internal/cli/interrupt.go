package cli

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/wharf-dev/wharf/internal/atomicfile"
)

// onInterrupt makes an interrupt (SIGINT, SIGTERM) during a run remove the
// temporary files of the writes in progress and end the program at once,
// with the status a shell gives a program the signal ends (130 for
// SIGINT), so that no temporary file is left beside a Dockerfile. stop
// undoes it at the end of the run.
func onInterrupt() (stop func()) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		select {
		case sig := <-c:
			atomicfile.RemoveTemps()
			code := 130 // 128 + SIGINT, as shells report it
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-quit:
		}
	}()
	return func() {
		signal.Stop(c)
		close(quit)
	}
}
