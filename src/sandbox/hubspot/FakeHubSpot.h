// The sandbox's fake HubSpot API: CRM objects (v3 and 2026-03 paths), search, batch, properties,
// associations, account info and OAuth, with HubSpot's auth errors, rate limits and error shapes.
#pragma once

#include "Clock.h"
#include "Generator.h"
#include "HttpService.h"
#include "HubSpotOAuth.h"
#include "HubSpotProperties.h"
#include "HubSpotStore.h"
#include "RollingWindow.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>

namespace halospot::sandbox {

struct HubSpotConfig
{
    int burstMax = 110;
    qint64 burstWindowMs = 10000; // rolling window for non-search calls
    int searchPerSecond = 5;
    qint64 dailyLimit = 0; // 0 = no daily budget
};

class FakeHubSpot final : public HttpService
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeHubSpot)

public:
    FakeHubSpot(const Generator *generator, HubSpotConfig config, HubSpotAppConfig app,
                Clock *clock, QObject *parent = nullptr);
    ~FakeHubSpot() override;

    HubSpotOAuth &oauth() { return m_oauth; }
    HubSpotConfig &config() { return m_config; }
    QString staticToken() const { return m_staticToken; }
    qint64 companyCount() const { return m_store.liveCount(ObjectKind::Company); }
    qint64 contactCount() const { return m_store.liveCount(ObjectKind::Contact); }

    HubSpotStore &store() { return m_store; }
    // What the inspection endpoint GET /_sandbox/stats reports. Also under /_sandbox/:
    // POST expire-tokens (every OAuth access token expires now) and POST reset-limits.
    QJsonObject stats() const;

protected:
    Response handle(const Request &request) override;
    Response rateLimitedResponse(const Request &request, bool withRetryAfter) override;
    Response serverErrorResponse(const Request &request) override;
    void decorate(const Request &request, Response &response) override;

private:
    // A parsed API path: which endpoint family, for which object type, with which remainder.
    struct Route
    {
        enum Family
        {
            None,
            Objects,
            Properties,
            Associations,
            AccountInfo
        } family = None;
        ObjectKind kind = ObjectKind::Company;
        ObjectKind toKind = ObjectKind::Company;
        QStringList rest; // path segments after the object type
        bool search = false;
    };
    static Route route(const Request &request);
    bool isApiRequest(const Request &request) const;

    // FakeHubSpot.cpp: routing, auth, limits, errors.
    Response api(const Request &request, const Route &route);
    std::optional<Response> checkAuth(const Request &request, const Route &route);
    std::optional<Response> checkLimits(const Route &route);
    Response sandboxEndpoint(const Request &request);
    Response accountInfo();
    Response properties(const Route &route);
    Response tooManyRequests(const QString &policy, const QString &message, bool withRetryAfter);

    // Error bodies in HubSpot's shape, carrying the current request's correlation id.
    Response error(int status, const QString &category, const QString &message,
                   const QJsonArray &errors = {}, const QJsonObject &extra = {});
    Response notFound(ObjectKind kind, const QString &id);
    Response invalidJson(const QString &detail);

    // HubSpotObjects.cpp: single-object endpoints and listing; FakeHubSpotSearch.cpp: search.
    Response objects(const Request &request, const Route &route);
    Response list(const Request &request, const Route &route);
    Response readOne(const Request &request, const Route &route);
    Response createOne(const Request &request, const Route &route);
    Response updateOne(const Request &request, const Route &route);
    Response search(const Request &request, const Route &route);

    // HubSpotBatch.cpp: batch endpoints and v4 association reads.
    Response batch(const Request &request, const Route &route);
    Response batchRead(const QJsonArray &inputs, const QJsonObject &body, const Request &request,
                       ObjectKind kind);
    Response batchCreate(const QJsonArray &inputs, ObjectKind kind);
    Response batchUpdate(const QJsonArray &inputs, ObjectKind kind);
    Response batchUpsert(const QJsonArray &inputs, ObjectKind kind);
    Response batchArchive(const QJsonArray &inputs, ObjectKind kind);
    Response associationsBatchRead(const Request &request, const Route &route);

    // Shared object helpers (HubSpotObjects.cpp).
    struct WriteCheck
    {
        Props changes;
        std::optional<Response> failure;
        QJsonObject failureBody; // the error object, for batch errors[]
    };
    WriteCheck checkProperties(ObjectKind kind, const QJsonValue &properties, const Props &current);
    std::optional<qint64> resolveId(ObjectKind kind, const QString &id,
                                    const QString &idProperty) const;
    QJsonObject objectJson(ObjectKind kind, const StoredObject &object,
                           const QStringList &properties, const QStringList &associations,
                           bool allProperties = false) const;
    QJsonObject batchBody(const QJsonArray &results, const QJsonArray &errors) const;
    QJsonObject errorObject(const QString &category, const QString &message,
                            const QJsonObject &context, const QJsonArray &errors = {}) const;
    // The live contact that already has the e-mail in `changes` (other than selfId), or 0.
    qint64 emailOwner(const Props &changes, qint64 selfId) const;
    Response conflict(qint64 existingId);
    QList<qint64> associatedCompanies(const StoredObject &contact) const;
    // Adds "associations" to company JSON objects (needs one pass over the contacts).
    void addContactAssociations(QJsonArray &companies);
    struct AssociationInput
    {
        qint64 target = 0;
        bool primary = false;
    };
    // Parses a create body's "associations"; an error message when a target does not exist.
    std::optional<QString> parseAssociations(ObjectKind kind, const QJsonValue &value,
                                             QList<AssociationInput> *out) const;
    void applyAssociations(ObjectKind kind, qint64 id, const QList<AssociationInput> &inputs);

    HubSpotConfig m_config;
    HubSpotOAuth m_oauth;
    HubSpotStore m_store;
    QString m_staticToken;
    RollingWindow m_burst;
    RollingWindow m_searchWindow;
    QDate m_day;
    qint64 m_dailyUsed = 0;
    QString m_correlation; // of the request being answered
    int m_serverErrors = 0;
    qint64 m_searches = 0;
    qint64 m_limited[3] = {0, 0, 0}; // TEN_SECONDLY_ROLLING, SECONDLY (search), DAILY
};

} // namespace halospot::sandbox
