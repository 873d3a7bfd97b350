# Temporary credentials, for example from `aliyun sts AssumeRole`.
export ALIBABA_CLOUD_ACCESS_KEY_ID="STS.NT..."
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="..."
export ALIBABA_CLOUD_SECURITY_TOKEN="CAIS..."
export ALIBABA_CLOUD_REGION="cn-shanghai"

terraform plan
