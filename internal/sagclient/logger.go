package sagclient

import "context"

// Logger is how the client reports what it does. The provider adapts it to
// tflog; fields never hold secrets, signatures or signed URLs.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type discardLogger struct{}

func (discardLogger) Debug(context.Context, string, map[string]any) {}
func (discardLogger) Warn(context.Context, string, map[string]any)  {}
