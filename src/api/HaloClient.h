// The HaloPSA/HaloITSM client: authinfo discovery, client-credentials tokens (with ?tenant=) reused
// until shortly before they expire, paged reads of Client/Site/Users/FieldInfo with several pages
// in flight, array POSTs whose reply may be an object or an array, DELETE, and readable errors.
// Asynchronous; one client lives in and is used from one thread. Clients on several threads share
// one RateLimiter so that together they stay inside Halo's window.
#pragma once

#include "ApiResult.h"
#include "RateLimiter.h"
#include "RestClient.h"
#include "RetryPolicy.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace halospot::api {

struct HaloSettings
{
    QUrl url; // the instance, e.g. https://acme.halopsa.com (without /api)
    QString clientId;
    QString clientSecret;
    QString tenant; // empty: taken from /api/authinfo (hosted instances need one)
    QString scope = QStringLiteral("all");
    QUrl authUrl;            // the authorisation server; empty: discovered, else <url>/auth
    int pageSize = 1000;     // rows per list page: Halo limits requests, not rows
    int pageConcurrency = 4; // list pages in flight at once (latency hiding)
    int windowMax = 500;     // Halo's fair-use window: 500 requests per 3 minutes
    qint64 windowMs = 180000;
    int transferTimeoutMs = 30000;
    // Sandbox benchmarks: the server's clock runs this many times faster; windows, token
    // lifetimes and server-given waits shrink by it. 1 in real use.
    double timeScale = 1.0;
};

enum class HaloResource
{
    Client,
    Site,
    Users,
    FieldInfo
};

// "Client", "Site", "Users", "FieldInfo": the path segment after /api/.
QString haloResourcePath(HaloResource resource);
// "clients", "sites", "users": the member of a list reply holding the rows ("" for FieldInfo).
QString haloListKey(HaloResource resource);

class HaloClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HaloClient)

public:
    using Done = std::function<void(const ApiResponse &)>;
    using PageHandler = std::function<void(const QJsonArray &rows)>;
    using ListDone = std::function<void(const ApiResponse &, const QJsonArray &rows)>;
    using PostDone = std::function<void(const ApiResponse &, const QJsonArray &saved)>;

    // limiter: share one between clients of the same Halo instance on different threads; null
    // creates one from settings.windowMax/windowMs (divided by timeScale).
    explicit HaloClient(HaloSettings settings, std::shared_ptr<RateLimiter> limiter = {},
                        QObject *parent = nullptr);
    ~HaloClient() override;

    static std::shared_ptr<RateLimiter> makeLimiter(const HaloSettings &settings);
    static RetryPolicy defaultRetryPolicy(const HaloSettings &settings);

    const HaloSettings &settings() const { return m_settings; }
    RestClient &rest() { return *m_rest; }
    std::shared_ptr<RateLimiter> limiter() const { return m_limiter; }

    // Finds the auth server and gets a token: what "Test connection" runs.
    void connectToHalo(QObject *context, Done done);
    // GET /api/<Resource>/<id>: the bare record in response.json.
    void get(HaloResource resource, qint64 id, const QUrlQuery &query, QObject *context, Done done);
    // Every row of a list, page by page (pageinate=true, page_size, page_no; several pages in
    // flight; pages may arrive out of order). filters are extra query items (e.g. includeinactive).
    // onPage runs once per page; done runs once at the end (ok, or the first error).
    void list(HaloResource resource, const QUrlQuery &filters, QObject *context, PageHandler onPage,
              Done done);
    // A share of a list for parallel readers: pages firstPage, firstPage + stride, … (1-based), so
    // that `stride` clients on different threads, each with firstPage 1..stride, read every page
    // once between them.
    void listPages(HaloResource resource, const QUrlQuery &filters, int firstPage, int stride,
                   QObject *context, PageHandler onPage, Done done);
    // list() collecting every row.
    void listAll(HaloResource resource, const QUrlQuery &filters, QObject *context, ListDone done);
    // POST /api/<Resource> with an array; elements without "id" create records, so such a POST is
    // never re-sent after it may have reached Halo (ApiError::OutcomeUnknown instead). saved is
    // the reply as an array whether Halo answered with one object or an array.
    void post(HaloResource resource, const QJsonArray &records, QObject *context, PostDone done);
    // DELETE /api/<Resource>/<id>. A 404 on a retried DELETE counts as done.
    void remove(HaloResource resource, qint64 id, QObject *context, Done done);

    // An object or array reply as an array.
    static QJsonArray recordsOf(const ApiResponse &response);

    QUrl tokenUrl() const { return m_tokenUrl; }
    QString tenant() const { return m_tenant; }
    bool hasValidToken() const;
    // The scope the last token reply granted (space-separated, e.g. "all" or "read:customers");
    // empty before a token arrived or when Halo did not say.
    QString grantedScope() const { return m_grantedScope; }
    // The reply of the last token request when it failed (status and Halo's error body, e.g.
    // invalid_client), so that "Test connection" can say which part was wrong; empty otherwise.
    const ApiResponse &lastTokenFailure() const { return m_tokenFailure; }
    // Tokens fetched so far (tests: reuse and refresh).
    int tokenFetches() const { return m_tokenFetches; }
    // Forget the token; the next call fetches a new one.
    void invalidateToken();

private:
    using TokenReady = std::function<void(bool ok, QString error, ApiError kind)>;
    struct ListRun;

    QUrl apiUrl(const QString &path, const QUrlQuery &query = {}) const;
    void ensureToken(TokenReady ready);
    void discover();
    void fetchToken();
    void tokenFinished(bool ok, const QString &error, ApiError kind);
    void requestPage(const std::shared_ptr<ListRun> &run, int page);
    void pageArrived(const std::shared_ptr<ListRun> &run, int page, const ApiResponse &response);
    void finishList(const std::shared_ptr<ListRun> &run);

    HaloSettings m_settings;
    std::shared_ptr<RateLimiter> m_limiter;
    RestClient *m_rest;
    QUrl m_tokenUrl;
    QString m_tenant;
    bool m_discovered = false;
    QString m_token;
    QElapsedTimer m_tokenAge;   // since the current token arrived
    qint64 m_tokenUsableMs = 0; // how long (real ms) the current token may be used
    bool m_fetching = false;
    QList<TokenReady> m_waiting;
    int m_tokenFetches = 0;
    QString m_grantedScope;
    ApiResponse m_tokenFailure;
};

} // namespace halospot::api
