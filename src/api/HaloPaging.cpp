// HaloClient: paged lists. The first page tells record_count; the remaining pages are then asked
// for with several in flight, because one page at a time is bound by latency, not by Halo's window.
#include "HaloClient.h"

#include <QJsonObject>
#include <QPointer>

namespace halospot::api {

struct HaloClient::ListRun
{
    HaloResource resource = HaloResource::Client;
    QUrlQuery filters;
    QPointer<QObject> context;
    bool hasContext = false;
    PageHandler onPage;
    Done done;
    int pageSize = 1000;
    int lastPage = -1; // known after the first page; -1 = not yet, 0 = unknown (walk)
    int nextPage = 2;  // the next page number to ask for
    int firstPage = 1;
    int stride = 1;
    int inFlight = 0;
    qint64 rows = 0;
    int requests = 0;
    bool finished = false;
    bool failed = false;
    ApiResponse error; // the first failure

    bool alive() const { return !hasContext || context; }
};

void HaloClient::list(HaloResource resource, const QUrlQuery &filters, QObject *context,
                      PageHandler onPage, Done done)
{
    listPages(resource, filters, 1, 1, context, std::move(onPage), std::move(done));
}

void HaloClient::listPages(HaloResource resource, const QUrlQuery &filters, int firstPage,
                           int stride, QObject *context, PageHandler onPage, Done done)
{
    auto run = std::make_shared<ListRun>();
    run->firstPage = qMax(1, firstPage);
    run->stride = qMax(1, stride);
    run->nextPage = run->firstPage + run->stride;
    run->resource = resource;
    run->filters = filters;
    run->context = context;
    run->hasContext = context != nullptr;
    run->onPage = std::move(onPage);
    run->done = std::move(done);
    run->pageSize = qMax(1, m_settings.pageSize);
    requestPage(run, run->firstPage);
}

void HaloClient::listAll(HaloResource resource, const QUrlQuery &filters, QObject *context,
                         ListDone done)
{
    auto rows = std::make_shared<QJsonArray>();
    list(
        resource, filters, context,
        [rows](const QJsonArray &page) {
            for (const QJsonValue &v : page)
                rows->append(v);
        },
        [rows, done](const ApiResponse &response) { done(response, *rows); });
}

void HaloClient::requestPage(const std::shared_ptr<ListRun> &run, int page)
{
    QUrlQuery query = run->filters;
    const bool paged = !haloListKey(run->resource).isEmpty();
    if (paged) {
        query.removeAllQueryItems(QStringLiteral("pageinate"));
        query.addQueryItem(QStringLiteral("pageinate"), QStringLiteral("true")); // Halo's spelling
        query.addQueryItem(QStringLiteral("page_size"), QString::number(run->pageSize));
        query.addQueryItem(QStringLiteral("page_no"), QString::number(page));
    }
    ApiRequest r;
    r.url = apiUrl(haloResourcePath(run->resource), query);
    r.what = paged ? tr("list Halo %1 (page %2)").arg(haloListKey(run->resource)).arg(page)
                   : tr("list Halo custom field definitions");
    ++run->inFlight;
    ++run->requests;
    QPointer<HaloClient> self(this);
    m_rest->send(r, this, [self, run, page](const ApiResponse &response) {
        if (self)
            self->pageArrived(run, page, response);
    });
}

void HaloClient::pageArrived(const std::shared_ptr<ListRun> &run, int page,
                             const ApiResponse &response)
{
    --run->inFlight;
    if (run->finished)
        return;
    if (!run->alive()) {
        run->finished = true;
        return;
    }
    if (!response.ok() && !run->failed) {
        run->failed = true;
        run->error = response;
    }
    if (run->failed) {
        if (run->inFlight == 0)
            finishList(run);
        return;
    }

    QJsonArray rows;
    qint64 recordCount = -1;
    if (response.json.isArray()) {
        // FieldInfo (and unpaged lists) answer with a bare array: all of it at once.
        rows = response.json.array();
        run->lastPage = page;
    } else {
        const QJsonObject o = response.json.object();
        rows = o.value(haloListKey(run->resource)).toArray();
        if (o.contains(QLatin1String("record_count")))
            recordCount = qint64(o.value(QLatin1String("record_count")).toDouble(-1));
    }
    run->rows += rows.size();
    if (!rows.isEmpty() && run->onPage)
        run->onPage(rows);
    if (!run->alive()) {
        run->finished = true;
        return;
    }

    if (page == run->firstPage && run->lastPage < 0) {
        if (recordCount >= 0) {
            run->lastPage = int((recordCount + run->pageSize - 1) / run->pageSize);
        } else {
            // No count: walk page by page until a short page.
            run->lastPage = 0;
        }
    }
    if (run->lastPage == 0) {
        if (rows.size() >= run->pageSize) {
            requestPage(run, run->nextPage);
            run->nextPage += run->stride;
        }
    } else {
        const int concurrency = qMax(1, m_settings.pageConcurrency);
        while (run->inFlight < concurrency && run->nextPage <= run->lastPage) {
            requestPage(run, run->nextPage);
            run->nextPage += run->stride;
        }
    }
    if (run->inFlight == 0)
        finishList(run);
}

void HaloClient::finishList(const std::shared_ptr<ListRun> &run)
{
    if (run->finished)
        return;
    run->finished = true;
    ApiResponse r;
    if (run->failed) {
        r = run->error;
    } else {
        r.status = 200;
    }
    r.attempts = run->requests;
    if (run->alive() && run->done)
        run->done(r);
}

} // namespace halospot::api
