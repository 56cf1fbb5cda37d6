// The sandbox's fake Halo (HaloPSA) service: authinfo discovery, client-credentials tokens, Client
// / Site / Users / FieldInfo with Halo's paging and filters, array POSTs with partial updates,
// custom fields of every type, a rolling-window request limit and Halo's several error body shapes.
// Behaviour follows reference/halo-api.md; choices where the reference is UNCONFIRMED are noted in
// the .cpp files next to the code that makes them.
#pragma once

#include "HaloErrors.h"
#include "HaloFields.h"
#include "HaloStore.h"
#include "HttpService.h"
#include "RollingWindow.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace halospot::sandbox {

struct HaloConfig
{
    // Empty id or secret: a random one is generated at construction.
    QString clientId;
    QString clientSecret;
    QString tenant = QStringLiteral("sandbox");
    qint64 tokenLifetimeSec = 3600;
    int windowMax = 500;      // requests per rolling window; <= 0 switches the limit off
    qint64 windowMs = 180000; // on the sandbox clock
};

class FakeHalo final : public HttpService
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeHalo)

public:
    FakeHalo(HaloConfig config, Clock *clock, QObject *parent = nullptr);
    ~FakeHalo() override;

    // Changes take effect with the next request (the window is resized, not reset).
    HaloConfig &config() { return m_config; }

    // Direct seeding, bypassing HTTP, auth and limits. addClient creates the main site as well.
    // addSite / addUser return -1 when the client / site does not exist.
    int addClient(const QString &name, const QString &website = {}, bool inactive = false);
    int addSite(int clientId, const QString &name);
    int addUser(int siteId, const QString &firstname, const QString &surname, const QString &email);

    // Every access token issued so far stops working ("tokens expiring early").
    void expireAllTokens();
    // A valid access token without a token request (for tests of other layers), carrying
    // `scope` (space-separated Halo scopes) like a token reply would.
    QString issueToken(const QString &scope = QStringLiteral("all"));

    // What a token's scope lets it do with customers (Client, Site, Users and FieldInfo):
    // reading needs all, all:standard, admin, read:customers or edit:customers; creating,
    // updating and deleting need all, all:standard, admin or edit:customers. Anything else
    // (read:crm, edit:tickets, …) gets a 403.
    static bool scopeCanReadCustomers(const QStringList &scopes);
    static bool scopeCanEditCustomers(const QStringList &scopes);

    qint64 clientCount() const { return m_store.clientCount(); }
    qint64 siteCount() const { return m_store.siteCount(); }
    qint64 userCount() const { return m_store.userCount(); }

    // Read access for tests that check "the record in Halo" without going through HTTP.
    const HaloStore &store() const { return m_store; }
    HaloFieldCatalog &fields() { return m_fields; }

protected:
    Response handle(const Request &request) override;
    Response rateLimitedResponse(const Request &request, bool withRetryAfter) override;
    Response serverErrorResponse(const Request &request) override;

private:
    enum class Kind
    {
        Client,
        Site,
        User
    };

    struct ListParams
    {
        bool paginate = false;
        int pageSize = 50;
        int pageNo = 1;
        int count = -1;
        QString search;
        bool searchNameOnly = false;
        bool active = true;
        bool inactive = false;
        QString order;
        bool desc = false;
        bool idOnly = false;
        bool notes = false;
        bool customFields = false;
        QList<int> customFieldIds; // empty with customFields = all fields
        int clientId = 0;
        int siteId = 0;
        int topLevelId = 0;
    };

    // FakeHalo.cpp: routing, authentication, the rolling window, /_sandbox/.
    Response route(const Request &request, const QString &path);
    Response authInfo(const Request &request) const;
    Response token(const Request &request);
    Response tokenReply(const QString &scope);
    struct AccessGrant
    {
        qint64 expiresAtMs = 0; // on the sandbox clock
        QStringList scopes;
    };
    // The grant of the request's bearer token; nullptr when it is missing, unknown or expired.
    const AccessGrant *grantFor(const Request &request) const;
    // A 403 when the grant's scope does not allow reading (or, for write, changing) customers.
    static std::optional<Response> scopeRefusal(const AccessGrant &grant, bool write);
    Response windowExceeded(qint64 retryAfterMs, bool withRetryAfter) const;
    Response sandboxEndpoint(const Request &request, const QString &path);
    qint64 tokenLifetimeSec();
    qint64 nowUtcMs() const;
    int createClient(HaloClientRec rec, const QString &siteName, const QString &sitePhone);

    // FakeHaloRead.cpp: lists, single GETs, FieldInfo, JSON rendering.
    static ListParams listParams(const Request &request);
    Response list(Kind kind, const Request &request);
    std::vector<int> matching(Kind kind, const ListParams &params) const;
    Response getOne(Kind kind, int id) const;
    Response fieldInfo(const Request &request, int id) const;
    QJsonObject clientJson(const HaloClientRec &rec, bool full, const ListParams *row) const;
    QJsonObject siteJson(const HaloSiteRec &rec, bool full) const;
    QJsonObject userJson(const HaloUserRec &rec, bool full, const ListParams *row) const;
    QJsonArray customFieldsJson(int typeId, const HaloCustomValues &values,
                                const QList<int> &only) const;
    static QString timestamp(qint64 utcMs);

    // FakeHaloWrite.cpp: array POSTs and DELETE.
    Response post(Kind kind, const Request &request);
    Response remove(Kind kind, int id);
    std::optional<HaloClientRec> buildClient(int index, const QJsonObject &in, HaloError *error,
                                             QString *siteName, QString *sitePhone) const;
    std::optional<HaloSiteRec> buildSite(int index, const QJsonObject &in, HaloError *error) const;
    std::optional<HaloUserRec> buildUser(int index, const QJsonObject &in, HaloError *error) const;
    bool applyCustomFields(int typeId, const QString &record, const QJsonObject &in,
                           HaloCustomValues &values, HaloError *error) const;

    HaloConfig m_config;
    HaloStore m_store;
    HaloFieldCatalog m_fields;
    RollingWindow m_window;
    QHash<QString, AccessGrant> m_accessTokens;
    QHash<QString, QString> m_refreshTokens; // single-use refresh token -> scope
    qint64 m_serverErrors = 0;
    // Caches valid while m_version (bumped by every write) does not change: all ids sorted by name
    // per kind, and the last list query's matches per kind, so that walking the pages of a
    // 500 000-user list does not rescan every user for every page.
    struct MatchCache
    {
        QString key;
        quint64 version = ~quint64(0);
        std::vector<int> ids;
    };
    quint64 m_version = 0;
    mutable MatchCache m_matchCache[3];
    mutable QHash<int, std::vector<int>> m_byName;
    mutable QHash<int, quint64> m_byNameVersion;
};

} // namespace halospot::sandbox
