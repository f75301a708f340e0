// Command gocgo is a wharf e2e case: a cgo binary linked against the system
// zlib (libz.so.1), built with zlib1g-dev and run where only zlib1g exists.
package main

/*
#cgo LDFLAGS: -lz
#include <stdlib.h>
#include <zlib.h>

// roundtrip compresses src with zlib and inflates it again; it returns the
// compressed size, or a negative zlib error code.
static long roundtrip(const unsigned char *src, unsigned long n, unsigned char *out) {
	unsigned long clen = compressBound(n);
	unsigned char *tmp = malloc(clen);
	if (tmp == NULL) return Z_MEM_ERROR;
	int rc = compress2(tmp, &clen, src, n, 9);
	if (rc != Z_OK) { free(tmp); return rc; }
	unsigned long olen = n;
	rc = uncompress(out, &olen, tmp, clen);
	free(tmp);
	if (rc != Z_OK) return rc;
	if (olen != n) return Z_DATA_ERROR;
	return (long)clen;
}
*/
import "C"

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"unsafe"
)

func main() {
	input := []byte(strings.Repeat("wharf ", 64))
	out := make([]byte, len(input))

	crc := C.crc32(0, (*C.Bytef)(unsafe.Pointer(&input[0])), C.uInt(len(input)))
	adler := C.adler32(1, (*C.Bytef)(unsafe.Pointer(&input[0])), C.uInt(len(input)))
	clen := C.roundtrip((*C.uchar)(unsafe.Pointer(&input[0])), C.ulong(len(input)),
		(*C.uchar)(unsafe.Pointer(&out[0])))
	if clen < 0 {
		fmt.Fprintf(os.Stderr, "zlib error %d\n", int(clen))
		os.Exit(1)
	}

	fmt.Printf("zlib crc32: %08x\n", uint32(crc))
	fmt.Printf("zlib adler32: %08x\n", uint32(adler))
	fmt.Printf("roundtrip: %d -> %d bytes, ok=%t\n", len(input), int(clen), bytes.Equal(input, out))
	fmt.Printf("uid: %d\n", os.Getuid())
}
