# In a checkout of the provider's repository: apply examples/demo against the
# mock, all in one (builds the provider and the mock, needs no credentials).
make demo

# Or run the mock yourself and point any configuration at it.
go run ./internal/smartagmock/cmd/smartag-mock --listen 127.0.0.1:0 &
# smartag-mock listening on http://127.0.0.1:41827
export SMARTAG_ENDPOINT="http://127.0.0.1:41827"
export ALIBABA_CLOUD_ACCESS_KEY_ID="LTAIMockSampleKeyId01"
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="MockSampleSecret0000000000000001"
export ALIBABA_CLOUD_REGION="cn-shanghai"
terraform plan
kill %1
