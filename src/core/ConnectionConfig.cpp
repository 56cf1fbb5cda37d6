// Loading and saving the connection settings, and the checks every service URL goes through.
#include "ConnectionConfig.h"

#include "Store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace halospot::core {

namespace {

// Setting keys; one place so that a rename cannot miss a reader.
const QString kHubSpotAuth = QStringLiteral("hubspot.auth");
const QString kHubSpotClientId = QStringLiteral("hubspot.client_id");
const QString kHubSpotRedirectPort = QStringLiteral("hubspot.redirect_port");
const QString kHubSpotApiBase = QStringLiteral("hubspot.api_base");
const QString kHubSpotAuthBase = QStringLiteral("hubspot.auth_base");
const QString kHubSpotApiVersion = QStringLiteral("hubspot.api_version");
const QString kHubSpotAccount = QStringLiteral("hubspot.account");
const QString kHaloUrl = QStringLiteral("halo.url");
const QString kHaloAuthUrl = QStringLiteral("halo.auth_url");
const QString kHaloTenant = QStringLiteral("halo.tenant");
const QString kHaloClientId = QStringLiteral("halo.client_id");
const QString kHaloScope = QStringLiteral("halo.scope");
const QString kProfileId = QStringLiteral("profile.id");

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    // core has no QtNetwork: the loopback forms by hand (127.0.0.0/8 and ::1).
    if (host == QLatin1String("::1") || host == QLatin1String("[::1]"))
        return true;
    const QStringList parts = host.split(QLatin1Char('.'));
    if (parts.size() != 4 || parts.first() != QLatin1String("127"))
        return false;
    for (const QString &part : parts) {
        bool ok = false;
        const int n = part.toInt(&ok);
        if (!ok || n < 0 || n > 255)
            return false;
    }
    return true;
}

} // namespace

QString hubSpotAuthModeName(HubSpotAuthMode mode)
{
    return mode == HubSpotAuthMode::StaticToken ? QStringLiteral("static-token")
                                                : QStringLiteral("oauth");
}

QJsonObject HubSpotAccountSnapshot::toJson() const
{
    return QJsonObject{{QStringLiteral("portal_id"), portalId},
                       {QStringLiteral("domain"), domain},
                       {QStringLiteral("user"), user},
                       {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)},
                       {QStringLiteral("checked_at"), checkedAt.toString(Qt::ISODate)}};
}

HubSpotAccountSnapshot HubSpotAccountSnapshot::fromJson(const QJsonObject &json)
{
    HubSpotAccountSnapshot s;
    s.portalId = json.value(QStringLiteral("portal_id")).toInteger();
    s.domain = json.value(QStringLiteral("domain")).toString();
    s.user = json.value(QStringLiteral("user")).toString();
    for (const QJsonValue &v : json.value(QStringLiteral("scopes")).toArray())
        s.scopes.append(v.toString());
    s.checkedAt =
        QDateTime::fromString(json.value(QStringLiteral("checked_at")).toString(), Qt::ISODate);
    return s;
}

Result<ConnectionConfig> ConnectionConfig::load(const Store &store)
{
    ConnectionConfig c;
    QString failure;
    const auto get = [&](const QString &key, const QString &fallback) {
        const Result<QString> r = store.setting(key, fallback);
        if (!r.ok()) {
            failure = r.error();
            return fallback;
        }
        return r.value();
    };
    c.hubspot.auth = get(kHubSpotAuth, QString()) == QLatin1String("static-token")
                         ? HubSpotAuthMode::StaticToken
                         : HubSpotAuthMode::OAuth;
    c.hubspot.clientId = get(kHubSpotClientId, {});
    bool portOk = false;
    const uint port = get(kHubSpotRedirectPort, QStringLiteral("8765")).toUInt(&portOk);
    c.hubspot.redirectPort = portOk && port > 0 && port <= 65535 ? quint16(port) : quint16(8765);
    c.hubspot.apiBase = QUrl(get(kHubSpotApiBase, c.hubspot.apiBase.toString()));
    c.hubspot.authBase = QUrl(get(kHubSpotAuthBase, c.hubspot.authBase.toString()));
    c.hubspot.apiVersion = get(kHubSpotApiVersion, c.hubspot.apiVersion);
    c.halo.url = QUrl(get(kHaloUrl, {}));
    c.halo.authUrl = QUrl(get(kHaloAuthUrl, {}));
    c.halo.tenant = get(kHaloTenant, {});
    c.halo.clientId = get(kHaloClientId, {});
    c.halo.scope = get(kHaloScope, c.halo.scope);
    if (!failure.isEmpty())
        return Result<ConnectionConfig>::failure(failure);
    return c;
}

QList<std::pair<QString, QString>> ConnectionConfig::settings() const
{
    return {
        {kHubSpotAuth, hubSpotAuthModeName(hubspot.auth)},
        {kHubSpotClientId, hubspot.clientId},
        {kHubSpotRedirectPort, QString::number(hubspot.redirectPort)},
        {kHubSpotApiBase, hubspot.apiBase.toString()},
        {kHubSpotAuthBase, hubspot.authBase.toString()},
        {kHubSpotApiVersion, hubspot.apiVersion},
        {kHaloUrl, halo.url.toString()},
        {kHaloAuthUrl, halo.authUrl.toString()},
        {kHaloTenant, halo.tenant},
        {kHaloClientId, halo.clientId},
        {kHaloScope, halo.scope},
    };
}

Status ConnectionConfig::save(Store &store) const
{
    return store.setSettings(settings());
}

Result<HubSpotAccountSnapshot> loadHubSpotAccount(const Store &store)
{
    const Result<QString> raw = store.setting(kHubSpotAccount);
    if (!raw.ok())
        return Result<HubSpotAccountSnapshot>::failure(raw.error());
    return HubSpotAccountSnapshot::fromJson(QJsonDocument::fromJson(raw.value().toUtf8()).object());
}

Status saveHubSpotAccount(Store &store, const HubSpotAccountSnapshot &account)
{
    return store.setSetting(
        kHubSpotAccount,
        account.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(account.toJson()).toJson(QJsonDocument::Compact)));
}

Result<QString> profileId(Store &store)
{
    const Result<QString> existing = store.setting(kProfileId);
    if (!existing.ok())
        return existing;
    if (!existing.value().isEmpty())
        return existing;
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (Status s = store.setSetting(kProfileId, id); !s.ok())
        return Result<QString>::failure(s.error());
    return id;
}

Status checkServiceUrl(const QUrl &url, const QString &what)
{
    if (url.isEmpty())
        return Status::failure(ConnectionConfig::tr("%1 is empty.").arg(what));
    if (!url.isValid() || url.host().isEmpty()) {
        return Status::failure(ConnectionConfig::tr("%1 is not a valid address; it should look "
                                                    "like https://example.halopsa.com.")
                                   .arg(what));
    }
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http")) {
        if (isLoopbackHost(url.host()))
            return {};
        return Status::failure(
            ConnectionConfig::tr("%1 uses plain http://. HaloSpot only sends credentials over "
                                 "TLS: use https:// (http:// is allowed only for this computer, "
                                 "localhost or 127.0.0.1).")
                .arg(what));
    }
    return Status::failure(ConnectionConfig::tr("%1 must start with https://.").arg(what));
}

} // namespace halospot::core
