package main

import (
	"reflect"
	"testing"
)

func TestQuietLogsUnlessRequested(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want map[string]string
	}{
		"nothing set: all off": {
			env:  map[string]string{},
			want: map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_SMARTAG": "OFF"},
		},
		"TF_LOG set: untouched": {
			env:  map[string]string{"TF_LOG": "DEBUG"},
			want: map[string]string{"TF_LOG": "DEBUG"},
		},
		"TF_LOG_PROVIDER set: untouched": {
			env:  map[string]string{"TF_LOG_PROVIDER": "TRACE"},
			want: map[string]string{"TF_LOG_PROVIDER": "TRACE"},
		},
		"an explicit level is kept": {
			env:  map[string]string{"TF_LOG_PROVIDER_SMARTAG": "DEBUG"},
			want: map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_SMARTAG": "DEBUG"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			err := quietLogsUnlessRequested(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(env, tc.want) {
				t.Errorf("got %v, want %v", env, tc.want)
			}
		})
	}
}
