// Command terraform-provider-smartag serves the Smart Access Gateway provider
// to Terraform and OpenTofu.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/opensmartag/terraform-provider-smartag/internal/provider"
)

// Docs are generated from the provider's schema, examples/ and templates/.
//go:generate bash scripts/generate-docs.sh

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if err := quietLogsUnlessRequested(os.Getenv, os.Setenv); err != nil {
		log.Fatal(err.Error())
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/opensmartag/smartag",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// logLevelVariables are the terraform-plugin-go, -framework and provider
// log levels. Unset, each means TRACE: everything is written to stderr for
// Terraform to parse, and Terraform drops it unless TF_LOG or
// TF_LOG_PROVIDER asks for it.
var logLevelVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_SMARTAG"}

// quietLogsUnlessRequested turns those logs off, before the plugin server
// starts, when Terraform would discard them anyway: about ten thousand lines
// for a plan of 200 reads, half the provider's CPU per read (make bench
// measures it). Levels the user set explicitly are left alone, and with
// TF_LOG or TF_LOG_PROVIDER set nothing changes.
func quietLogsUnlessRequested(getenv func(string) string, setenv func(string, string) error) error {
	if getenv("TF_LOG") != "" || getenv("TF_LOG_PROVIDER") != "" {
		return nil
	}
	for _, name := range logLevelVariables {
		if getenv(name) == "" {
			if err := setenv(name, "OFF"); err != nil {
				return err
			}
		}
	}
	return nil
}
