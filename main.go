// Command terraform-provider-smartag serves the Smart Access Gateway provider
// to Terraform and OpenTofu.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/opensmartag/terraform-provider-smartag/internal/logenv"
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

	if err := logenv.Apply(); err != nil {
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
