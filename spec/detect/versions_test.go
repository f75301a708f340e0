package detect

import (
	"fmt"
	"testing"
)

func TestNodeRange(t *testing.T) {
	for _, tc := range []struct {
		text  string
		allow []int // majors out of 16..26 that the range allows
	}{
		{">=18", []int{18, 19, 20, 21, 22, 23, 24, 25, 26}},
		{">= 20.9.0", []int{20, 21, 22, 23, 24, 25, 26}},
		{"^20", []int{20}},
		{"^18.17.0 || ^20.3.0", []int{18, 20}},
		{"20.x", []int{20}},
		{"22", []int{22}},
		{"~22.1", []int{22}},
		{">=18 <23", []int{18, 19, 20, 21, 22}},
		{">18", []int{19, 20, 21, 22, 23, 24, 25, 26}},
		{">18.0.0", []int{18, 19, 20, 21, 22, 23, 24, 25, 26}},
		{"<=20", []int{16, 17, 18, 19, 20}},
		{"<20", []int{16, 17, 18, 19}},
		{"18 - 20", []int{18, 19, 20}},
		{"16.0.0 - 20.5.0", []int{16, 17, 18, 19, 20}},
		{"*", []int{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26}},
		{">=24.1.0 <24.2.0", []int{24}},
		{">=24.3.0 <24.2.0", nil},
	} {
		c, ok := ParseNodeRange(tc.text)
		if !ok {
			t.Errorf("parseNodeRange(%q) failed", tc.text)
			continue
		}
		var got []int
		for m := 16; m <= 26; m++ {
			if c.AllowsSeries(Version{m}, 1) {
				got = append(got, m)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.allow) {
			t.Errorf("%q allows majors %v, want %v", tc.text, got, tc.allow)
		}
	}
	if _, ok := ParseNodeRange(">=lts"); ok {
		t.Error(`parseNodeRange(">=lts") succeeded, want failure`)
	}
}

func TestPythonRange(t *testing.T) {
	for _, tc := range []struct {
		text  string
		allow []int // minors out of 3.8..3.14 that the specifier allows
	}{
		{">=3.9", []int{9, 10, 11, 12, 13, 14}},
		{">=3.9,<3.13", []int{9, 10, 11, 12}},
		{">= 3.10, < 4", []int{10, 11, 12, 13, 14}},
		{"~=3.11", []int{11, 12, 13, 14}},
		{"~=3.11.2", []int{11}},
		{"==3.12.*", []int{12}},
		{"==3.12", []int{12}},
		{"==3.12.4", []int{12}},
		{"<=3.10", []int{8, 9, 10}},
		{">3.10", []int{10, 11, 12, 13, 14}},
		{"!=3.9.1,>=3.9", []int{9, 10, 11, 12, 13, 14}},
		{"^3.10", []int{10, 11, 12, 13, 14}},
		{"~3.11", []int{11}},
		{">=3.8,<3.9 || >=3.12", []int{8, 12, 13, 14}},
		{"3.11.*", []int{11}},
		{">=4", nil},
	} {
		c, ok := ParsePythonRange(tc.text)
		if !ok {
			t.Errorf("parsePythonRange(%q) failed", tc.text)
			continue
		}
		var got []int
		for m := 8; m <= 14; m++ {
			if c.AllowsSeries(Version{3, m}, 2) {
				got = append(got, m)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.allow) {
			t.Errorf("%q allows minors %v, want %v", tc.text, got, tc.allow)
		}
	}
}

func TestAllowsFrom(t *testing.T) {
	for _, tc := range []struct {
		spec, from string
		want       bool
	}{
		{">=4.2,<5.0", "5.1.3", false},
		{">=4.2,<5.0", "4.2.8", true},
		{"==4.2.7", "4.2.8", false},
		{"==4.2.8", "4.2.8", true},
		{"==4.2.*", "4.2.8", true},
		{"~=4.2.0", "4.2.8", true},
		{"~=4.2.0", "5.1.3", false},
		{"~=4.2", "4.2.8", true},
		{"<=5.1.3", "5.1.3", true},
		{"<5.1.3", "5.1.3", false},
		{"^4.2", "5.1.3", false},
		{"!=5.1.3", "5.1.3", true},
		{">=1", "9.9.9", true},
		{"<3 || >=5", "5.1.3", true},
	} {
		c, ok := ParsePythonRange(tc.spec)
		v, vok := ParseVersion(tc.from)
		if !ok || !vok {
			t.Fatalf("parse %q / %q failed", tc.spec, tc.from)
		}
		if got := c.AllowsFrom(v); got != tc.want {
			t.Errorf("%q allows a version >= %s: %v, want %v", tc.spec, tc.from, got, tc.want)
		}
	}
}
