// Keeps secrets out of logs: Authorization headers, tokens, client secrets and codes in URLs and
// bodies are replaced by a short marker before anything is written.
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace halospot::api {

// The URL with the values of secret query parameters (client_secret, code, token, …) and the
// tokens in HubSpot's /access-tokens/{token} and /refresh-tokens/{token} paths masked.
QString redactUrl(const QUrl &url);
// A header value safe to log (Authorization and cookies masked).
QByteArray redactHeader(const QByteArray &name, const QByteArray &value);
// A request or reply body safe to log: secret form fields and JSON members masked; long bodies cut.
QByteArray redactBody(const QByteArray &body, int maxBytes = 512);
// Whether a parameter or JSON member of this name carries a secret.
bool isSecretName(QStringView name);

} // namespace halospot::api
