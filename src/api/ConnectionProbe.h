// Why a service could not be reached (internal to the connection checks): one bare connection made
// only after a failure, to tell a name that does not resolve, a refused connection, a TLS failure
// and silence apart, and the sentence a user can act on for each.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace halospot::api {

enum class ReachProblem
{
    None,         // the server answered (with any HTTP status)
    HostNotFound, // the host name does not resolve
    Refused,      // nothing listens at host:port
    Tls,          // the TLS handshake failed or the certificate was not accepted
    Timeout,      // no answer in time
    Other,        // another transport failure (detail says which)
};

struct Reachability
{
    ReachProblem problem = ReachProblem::None;
    QString detail; // Qt's or the TLS library's words, for the sentence
};

// Opens a connection to the host and port of `url` (a TLS handshake for https; no request is
// sent, so no secret travels) and reports what happened. done runs on context's thread, only
// while context lives.
void probeReachability(const QUrl &url, QObject *context, int timeoutMs,
                       std::function<void(const Reachability &)> done);

// The sentence for a problem the probe found; `fallback` when it found none it can explain.
// service: "Halo" or "HubSpot".
QString reachabilitySentence(const QString &service, const QUrl &url, const Reachability &reach,
                             int timeoutMs, const QString &fallback);

// The text with every non-empty secret replaced by "…", for sentences built from replies that
// might echo a token.
QString scrubSecrets(QString text, const QStringList &secrets);

} // namespace halospot::api
