// The value types every api call deals in: a request description, and one result carrying status,
// parsed body and a sentence a user can act on. Plain values, so they cross threads freely.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace halospot::api {

enum class ApiError
{
    None,
    Network,         // the connection failed before a usable reply arrived
    Timeout,         // no bytes moved for the transfer timeout
    Http,            // the service answered with an error status
    RateLimited,     // still throttled after the retries the policy allows
    DailyLimit,      // a daily budget is used up; message names when it resets
    Unauthorized,    // credentials rejected (after one refresh + replay)
    ReconnectNeeded, // the stored grant is no longer valid; the user must connect again
    OutcomeUnknown,  // a create may or may not have happened; reconcile before re-sending
    Malformed,       // the reply body was not the JSON promised
    Cancelled,       // cancelAll() or the client went away
    Refused,         // refused locally: insecure URL, redirect to another host or to plain http
};

// A stable English name for logs ("OutcomeUnknown").
QString apiErrorName(ApiError error);

struct ApiResponse
{
    int status = 0;     // HTTP status; 0 when no reply arrived
    QJsonDocument json; // parsed body (null when empty)
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    ApiError error = ApiError::None;
    QString message; // a sentence a user can act on; empty when ok
    int attempts = 0;
    QByteArray requestId; // the X-Request-ID of the last attempt

    bool ok() const { return error == ApiError::None; }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

struct ApiRequest
{
    QByteArray method = "GET";
    QUrl url;
    QByteArray body;
    QByteArray contentType; // JSON or form; empty for none
    // false for creates: never retried once sent -> OutcomeUnknown on timeout/drop/5xx.
    bool idempotent = true;
    // Which RateLimiter of the client ("general", "search"); empty = not rate limited (token
    // calls).
    QString limiter = QStringLiteral("general");
    QString what;             // for sentences, e.g. "list companies (page after 123)"
    bool authenticate = true; // false for calls that must not carry the API token (token endpoints)
};

} // namespace halospot::api

Q_DECLARE_METATYPE(halospot::api::ApiResponse)
