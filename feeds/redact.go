package feeds

// RedactURL returns the URL with user information and secret-looking query values hidden, for
// logs and errors.
func RedactURL(rawURL string) string { return redactURL(rawURL) }
