// Small helpers shared by the fake HubSpot OAuth server's two source files (internal header).
#pragma once

#include "HttpService.h"
#include "HubSpotOAuthPages.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QStringList>
#include <QUrlQuery>

namespace halospot::sandbox::oauth_detail {

inline QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::system()->bounded(256));
    return bytes;
}

// A version-4 UUID string from the system RNG (HubSpot's codes and refresh tokens look like this).
inline QString randomUuid()
{
    QByteArray b = randomBytes(16);
    b[6] = char((b[6] & 0x0f) | 0x40);
    b[8] = char((b[8] & 0x3f) | 0x80);
    const QString hex = QString::fromLatin1(b.toHex());
    return hex.mid(0, 8) + QLatin1Char('-') + hex.mid(8, 4) + QLatin1Char('-') + hex.mid(12, 4) +
           QLatin1Char('-') + hex.mid(16, 4) + QLatin1Char('-') + hex.mid(20);
}

inline QString base64Url(const QByteArray &bytes)
{
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

inline QString value(const QUrlQuery &query, const QString &key)
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

// Scope lists are space separated; a '+' left over from form-style encoding counts as a space.
inline QStringList splitScopes(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s+]+"));
    QStringList out;
    const QStringList parts = text.split(separators, Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        if (!out.contains(p))
            out << p;
    }
    return out;
}

inline bool constantTimeEquals(const QString &a, const QString &b)
{
    const QByteArray x = a.toUtf8();
    const QByteArray y = b.toUtf8();
    if (x.size() != y.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < x.size(); ++i)
        diff |= static_cast<unsigned char>(x[i] ^ y[i]);
    return diff == 0;
}

inline void noStore(Response &r)
{
    r.setHeader("Cache-Control", "no-store");
    r.setHeader("Pragma", "no-cache");
}

// Token-endpoint errors carry both HubSpot's legacy fields and RFC 6749's. Client errors are 400
// (not 401) because credentials travel in the form body, and HubSpot answers BAD_CLIENT_ID with
// 400.
inline Response oauthError(const QString &error, const QString &description, const QString &status,
                           const QString &message)
{
    Response r = Response::json(400, QJsonObject{{QStringLiteral("error"), error},
                                                 {QStringLiteral("error_description"), description},
                                                 {QStringLiteral("status"), status},
                                                 {QStringLiteral("message"), message}});
    noStore(r);
    return r;
}

inline Response badRefreshToken()
{
    return oauthError(QStringLiteral("invalid_grant"),
                      QStringLiteral("refresh token is invalid, expired or revoked"),
                      QStringLiteral("BAD_REFRESH_TOKEN"),
                      QStringLiteral("missing or invalid refresh token"));
}

inline Response badAuthCode(const QString &description)
{
    return oauthError(QStringLiteral("invalid_grant"), description, QStringLiteral("BAD_AUTH_CODE"),
                      QStringLiteral("missing or unknown auth code"));
}

inline Response notFound(const QString &message)
{
    return Response::json(
        404, QJsonObject{{QStringLiteral("status"), QStringLiteral("error")},
                         {QStringLiteral("message"), message},
                         {QStringLiteral("category"), QStringLiteral("OBJECT_NOT_FOUND")}});
}

inline Response methodNotAllowed(const QByteArray &allow)
{
    Response r = Response::json(
        405, QJsonObject{{QStringLiteral("status"), QStringLiteral("error")},
                         {QStringLiteral("message"), QStringLiteral("Method not allowed")}});
    r.setHeader("Allow", allow);
    return r;
}

// Problems that must not be sent to the redirect URL are shown to the user as a page.
inline Response errorPage(int status, const QString &title, const QString &message)
{
    Response r = Response::html(status, oauthpages::error(title, message));
    noStore(r);
    return r;
}

inline QString s256(const QString &verifier)
{
    return base64Url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256));
}

inline QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

} // namespace halospot::sandbox::oauth_detail
