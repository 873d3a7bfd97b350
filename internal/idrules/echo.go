package idrules

import (
	"strconv"
	"unicode/utf8"
)

// MaxEcho bounds how much of a value a message or a log line quotes: an
// invalid value may be a megabyte long, and echoing it in full would flood
// stderr and the logs.
const MaxEcho = 80

// Quote is v quoted for a message: in full when short, else its first
// MaxEcho bytes (whole UTF-8 characters) and a marker saying how long it
// was.
func Quote(v string) string {
	if len(v) <= MaxEcho {
		return strconv.Quote(v)
	}
	return strconv.Quote(prefix(v, MaxEcho)) + "… (" + strconv.Itoa(len(v)) + " bytes, cut)"
}

// Cut is text (a message that may quote a value) cut to at most limit
// bytes, with the same marker.
func Cut(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	return prefix(text, limit) + "… (" + strconv.Itoa(len(text)) + " bytes, cut)"
}

// prefix is the first limit bytes of v, without a broken UTF-8 character.
func prefix(v string, limit int) string {
	cut := v[:limit]
	for !utf8.ValidString(cut) && len(cut) > 0 {
		cut = cut[:len(cut)-1]
	}
	return cut
}
