// Internal to the fake HubSpot OAuth server: the HTML of the sandbox's consent and error pages
// (self-contained, no external resources, every dynamic value HTML-escaped). Header-only.
#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace halospot::sandbox::oauthpages {

inline QString scopeDescription(const QString &scope)
{
    if (scope == QLatin1String("oauth"))
        return QStringLiteral("Basic OAuth access to the account");
    const QStringList parts = scope.split(QLatin1Char('.'));
    if (parts.size() == 4 && parts.at(0) == QLatin1String("crm") &&
        parts.at(1) == QLatin1String("objects")) {
        const bool write = parts.at(3) == QLatin1String("write");
        return QStringLiteral("%1 your %2")
            .arg(write ? QStringLiteral("Create and change") : QStringLiteral("View"), parts.at(2));
    }
    return QString();
}

// The shared frame: a centred card in a neutral style, readable on small and large screens.
inline QString frame(const QString &title, const QString &body)
{
    static const QLatin1String style(
        "body{margin:0;background:#f5f8fa;color:#33475b;font:15px/1.5 system-ui,-apple-system,"
        "'Segoe UI',Roboto,sans-serif}main{max-width:34rem;margin:3rem auto;padding:2rem 2.25rem;"
        "background:#fff;border:1px solid #cbd6e2;border-radius:8px;box-shadow:0 1px 24px "
        "rgba(45,62,80,.08)}.brand{margin:0 0 1rem;color:#ff7a59;font-weight:700;letter-spacing:"
        ".02em}h1{font-size:1.45rem;margin:0 0 1rem}ul{padding-left:1.2rem}li{margin:.3rem 0}"
        "code{background:#eaf0f6;padding:.05rem .3rem;border-radius:3px;font-size:.9em;word-break:"
        "break-all}.actions{display:flex;gap:.75rem;justify-content:flex-end;margin-top:1.75rem}"
        "button{font:inherit;font-weight:600;padding:.6rem 1.3rem;border-radius:4px;cursor:pointer;"
        "border:1px solid #ff7a59}#grant{background:#ff7a59;color:#fff}#deny{background:#fff;"
        "color:#ff7a59}.note{margin-top:1.5rem;font-size:.8rem;color:#7c98b6}");
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                          "<meta name=\"referrer\" content=\"no-referrer\"><title>%1</title>"
                          "<style>%2</style></head>\n<body><main>"
                          "<p class=\"brand\">HubSpot sandbox</p>\n%3</main></body></html>\n")
        .arg(title.toHtmlEscaped(), style, body);
}

struct ConsentInfo
{
    QString requestId;
    QString appName;
    qint64 portalId = 0;
    QString hubDomain;
    QString userEmail;
    QStringList scopes;
    QString redirectUri;
    QUrl baseUrl;
};

// The buttons carry stable ids (grant, deny) so that browser tests can click them.
inline QString consent(const ConsentInfo &info)
{
    const QString app = info.appName.toHtmlEscaped();
    QString items;
    for (const QString &scope : info.scopes) {
        const QString text = scopeDescription(scope);
        items +=
            QStringLiteral("<li><code>%1</code>%2</li>\n")
                .arg(scope.toHtmlEscaped(),
                     text.isEmpty() ? QString() : QStringLiteral(" – ") + text.toHtmlEscaped());
    }
    const QString body =
        QStringLiteral(
            "<h1>Connect <span id=\"app-name\">%1</span> to HubSpot</h1>\n"
            "<p><strong>%1</strong> is asking for access to account <strong id=\"portal\">%2"
            "</strong> (<span id=\"hub-domain\">%3</span>), signed in as <span id=\"user\">%4"
            "</span>.</p>\n<p>It will be able to:</p>\n<ul id=\"scopes\">\n%5</ul>\n"
            "<p>Afterwards you will be sent back to <code id=\"redirect-uri\">%6</code>.</p>\n"
            "<form method=\"post\" action=\"/oauth/authorize/decision\">"
            "<input type=\"hidden\" name=\"request\" value=\"%7\">\n<div class=\"actions\">"
            "<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>"
            "<button type=\"submit\" id=\"grant\" name=\"decision\" value=\"grant\">Grant access"
            "</button></div></form>\n<p class=\"note\">Local sandbox authorization server at "
            "%8. Nothing leaves this machine.</p>\n")
            .arg(app, QString::number(info.portalId), info.hubDomain.toHtmlEscaped(),
                 info.userEmail.toHtmlEscaped(), items, info.redirectUri.toHtmlEscaped(),
                 info.requestId.toHtmlEscaped(),
                 info.baseUrl.toString(QUrl::RemoveUserInfo).toHtmlEscaped());
    return frame(QStringLiteral("Connect %1 to HubSpot").arg(info.appName), body);
}

inline QString error(const QString &title, const QString &message)
{
    return frame(title, QStringLiteral("<h1 id=\"error-title\">%1</h1>\n<p id=\"error\">%2</p>\n")
                            .arg(title.toHtmlEscaped(), message.toHtmlEscaped()));
}

} // namespace halospot::sandbox::oauthpages
