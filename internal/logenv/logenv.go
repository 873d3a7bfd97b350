// Package logenv decides the plugin logging levels before the plugin server
// starts.
package logenv

import "os"

// levelVariables are the terraform-plugin-go, -framework and provider log
// levels. Unset, each means TRACE: everything is written to stderr for
// Terraform to parse, and Terraform drops it unless TF_LOG or
// TF_LOG_PROVIDER asks for it.
var levelVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_SMARTAG"}

// QuietUnlessRequested turns those logs off when Terraform would discard
// them anyway: about ten thousand lines for a plan of 200 reads, half the
// provider's CPU per read (make bench measures it). Levels the user set
// explicitly are left alone, and with TF_LOG or TF_LOG_PROVIDER set nothing
// changes.
func QuietUnlessRequested(getenv func(string) string, setenv func(string, string) error) error {
	if getenv("TF_LOG") != "" || getenv("TF_LOG_PROVIDER") != "" {
		return nil
	}
	for _, name := range levelVariables {
		if getenv(name) == "" {
			if err := setenv(name, "OFF"); err != nil {
				return err
			}
		}
	}
	return nil
}

// Apply is QuietUnlessRequested on the process environment.
func Apply() error { return QuietUnlessRequested(os.Getenv, os.Setenv) }
