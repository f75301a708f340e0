package harness

import (
	"os"
	"path/filepath"
	"syscall"
)

// OverlaySupported reports whether an overlay filesystem can be mounted in
// a folder under dir, which buildkitd's overlayfs snapshotter needs.
func OverlaySupported(dir string) bool {
	probe, err := os.MkdirTemp(dir, "overlay-probe-")
	if err != nil {
		return false
	}
	defer os.RemoveAll(probe)
	var paths [4]string
	for i, name := range []string{"lower", "upper", "work", "merged"} {
		paths[i] = filepath.Join(probe, name)
		if err := os.Mkdir(paths[i], 0o755); err != nil {
			return false
		}
	}
	opts := "lowerdir=" + paths[0] + ",upperdir=" + paths[1] + ",workdir=" + paths[2]
	if err := syscall.Mount("overlay", paths[3], "overlay", 0, opts); err != nil {
		return false
	}
	return syscall.Unmount(paths[3], 0) == nil
}
