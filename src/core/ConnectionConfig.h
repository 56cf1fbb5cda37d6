// Where HubSpot and Halo are and how HaloSpot signs in to them: everything about a connection
// except its secrets, which live only in the OS keychain (SecretStore). Kept in the store's
// settings table; the profile's "hubspot" and "halo" sections hold the same values.
#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <utility>

namespace halospot::core {

class Store;

enum class HubSpotAuthMode
{
    OAuth,       // the administrator's own HubSpot app: browser sign-in, refreshed tokens
    StaticToken, // a private-app token or service key pasted once
};

QString hubSpotAuthModeName(HubSpotAuthMode mode); // "oauth" / "static-token"

struct HubSpotConnectionConfig
{
    HubSpotAuthMode auth = HubSpotAuthMode::OAuth;
    QString clientId;
    quint16 redirectPort = 8765; // must match the redirect URL registered on the HubSpot app
    QUrl apiBase = QUrl(QStringLiteral("https://api.hubapi.com"));
    QUrl authBase = QUrl(QStringLiteral("https://app.hubspot.com"));
    QString apiVersion = QStringLiteral("v3");
};

struct HaloConnectionConfig
{
    QUrl url;       // the instance, e.g. https://acme.halopsa.com
    QUrl authUrl;   // empty: discovered through /api/authinfo
    QString tenant; // empty: discovered
    QString clientId;
    QString scope = QStringLiteral("all");

    bool isConfigured() const { return url.isValid() && !url.isEmpty() && !clientId.isEmpty(); }
};

// What HaloSpot last learned about the connected HubSpot account, shown before it is checked
// again. No secrets.
struct HubSpotAccountSnapshot
{
    qint64 portalId = 0;
    QString domain;
    QString user;
    QStringList scopes; // empty when HubSpot does not list them (static tokens)
    QDateTime checkedAt;

    bool isEmpty() const { return portalId == 0; }
    QJsonObject toJson() const;
    static HubSpotAccountSnapshot fromJson(const QJsonObject &json);
};

struct ConnectionConfig
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionConfig)

public:
    HubSpotConnectionConfig hubspot;
    HaloConnectionConfig halo;

    // Missing settings keep their defaults.
    static Result<ConnectionConfig> load(const Store &store);
    Status save(Store &store) const; // all settings in one transaction
    // The settings save() writes, for callers that write them together with others.
    QList<std::pair<QString, QString>> settings() const;
};

// The account snapshot is kept apart from the configuration: it changes on every check.
Result<HubSpotAccountSnapshot> loadHubSpotAccount(const Store &store);
Status saveHubSpotAccount(Store &store, const HubSpotAccountSnapshot &account); // empty = forget

// This data directory's own random ID, created on first use. Keychain entries are filed under it,
// so two data directories (profiles) never share or overwrite each other's secrets.
Result<QString> profileId(Store &store);

// A service URL the administrator typed: https, or http only to this machine (the sandbox and
// tests). `what` names the field in the sentence ("The Halo URL").
Status checkServiceUrl(const QUrl &url, const QString &what);

} // namespace halospot::core
