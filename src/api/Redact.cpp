// Masking of secrets before logging.
#include "Redact.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QUrlQuery>

namespace halospot::api {

namespace {

const QString kMask = QStringLiteral("<redacted>");

QJsonValue redactValue(const QJsonValue &value)
{
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (isSecretName(it.key()))
                it.value() = kMask;
            else
                it.value() = redactValue(it.value());
        }
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            a[i] = redactValue(a.at(i));
        return a;
    }
    return value;
}

} // namespace

bool isSecretName(QStringView name)
{
    static const QLatin1String secrets[] = {
        QLatin1String("client_secret"), QLatin1String("access_token"),
        QLatin1String("refresh_token"), QLatin1String("id_token"),
        QLatin1String("code"),          QLatin1String("code_verifier"),
        QLatin1String("password"),      QLatin1String("token"),
        QLatin1String("hapikey"),       QLatin1String("api_key"),
        QLatin1String("secret"),        QLatin1String("authorization"),
    };
    for (const auto &s : secrets) {
        if (name.compare(s, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString redactUrl(const QUrl &url)
{
    QUrl copy = url;
    copy.setUserInfo(QString());
    // HubSpot's token-info and refresh-token endpoints carry the token in the path.
    QStringList segments = copy.path().split(QLatin1Char('/'));
    bool masked = false;
    for (qsizetype i = 1; i < segments.size(); ++i) {
        const QString &before = segments.at(i - 1);
        if ((before == QLatin1String("access-tokens") ||
             before == QLatin1String("refresh-tokens")) &&
            !segments.at(i).isEmpty()) {
            segments[i] = QStringLiteral("__redacted__"); // '<' '>' would be percent-encoded
            masked = true;
        }
    }
    if (masked)
        copy.setPath(segments.join(QLatin1Char('/')));
    if (copy.hasQuery()) {
        QUrlQuery query(copy);
        auto items = query.queryItems(QUrl::FullyEncoded);
        for (auto &item : items) {
            if (isSecretName(item.first))
                item.second = kMask;
        }
        query.setQueryItems(items);
        copy.setQuery(query);
    }
    QString shown = copy.toDisplayString();
    if (masked)
        shown.replace(QLatin1String("__redacted__"), kMask);
    return shown;
}

QByteArray redactHeader(const QByteArray &name, const QByteArray &value)
{
    const QByteArray lower = name.toLower();
    if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
        lower == "set-cookie" || lower.contains("token") || lower.contains("secret")) {
        const int space = value.indexOf(' ');
        // Keep the scheme ("Bearer") so logs still show which kind of credential was sent.
        return (space > 0 ? value.left(space + 1) : QByteArray()) + kMask.toLatin1();
    }
    return value;
}

QByteArray redactBody(const QByteArray &body, int maxBytes)
{
    if (body.isEmpty())
        return body;
    QByteArray out;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError) {
        const QJsonValue v =
            redactValue(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        out = v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                          : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    } else if (body.contains('=') && !body.contains('{') && !body.contains('\n')) {
        // A form body: key=value&key=value.
        QList<QByteArray> parts = body.split('&');
        for (QByteArray &part : parts) {
            const int eq = part.indexOf('=');
            if (eq > 0 && isSecretName(QString::fromLatin1(part.left(eq))))
                part = part.left(eq + 1) + kMask.toLatin1();
        }
        out = parts.join('&');
    } else {
        out = body;
    }
    if (maxBytes > 0 && out.size() > maxBytes)
        out = out.left(maxBytes) + "…(" + QByteArray::number(body.size()) + " bytes)";
    return out;
}

} // namespace halospot::api
