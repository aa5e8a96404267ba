package notify

import (
	"crypto/tls"
	"errors"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// smtpPermanent reports whether an SMTP failure cannot be fixed by retrying:
//
//   - a reply from the server decides: 4xx (e.g. 421, 451, 452, 454) is transient, 5xx (550,
//     552, 554, 535 authentication failed) is permanent — go-mail's SendError.IsTemp for the
//     transaction, the textproto reply for greeting, STARTTLS and AUTH;
//   - configuration problems are permanent: no usable AUTH mechanism, plain-text AUTH on an
//     unencrypted connection, a server without the required STARTTLS, an untrusted certificate;
//   - everything else (refused connections, timeouts, dropped connections) is transient.
func smtpPermanent(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		if se.IsTemp() {
			return false
		}
		return se.ErrorCode() >= 500
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500
	}
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return true
	}
	for _, target := range []error{
		smtp.ErrUnencrypted, smtp.ErrWrongHostname,
		gomail.ErrNoSupportedAuthDiscovered, gomail.ErrPlainAuthNotSupported, gomail.ErrLoginAuthNotSupported,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "does not support STARTTLS") || strings.Contains(msg, "does not support SMTP AUTH")
}
