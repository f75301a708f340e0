package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGreeting(t *testing.T) {
	srv := httptest.NewServer(newMux("Ahoy"))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/?name=wharf")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if got, want := body["message"], "Ahoy, wharf!"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestHealthzAndProbe(t *testing.T) {
	srv := httptest.NewServer(newMux("Hello"))
	defer srv.Close()

	if err := probe(strings.TrimPrefix(srv.URL, "http://")); err != nil {
		t.Fatalf("probe: %v", err)
	}
	resp, err := http.Get(srv.URL + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope = %d, want 404", resp.StatusCode)
	}
}
