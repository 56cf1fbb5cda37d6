// Engine: starts jobs, hands out progress and results at a bounded rate, and reports the end.
#include "Engine.h"

#include "CatalogRefresh.h"
#include "CompanyImport.h"
#include "ContactImport.h"
#include "Store.h"

#include <QTimer>

namespace halospot::engine {

namespace {

bool sameProgress(const Progress &a, const Progress &b)
{
    return a.phase == b.phase && a.counts == b.counts && a.total == b.total;
}

} // namespace

Engine::Engine(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    registerEngineMetaTypes();
    m_timer->setInterval(kUpdateIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &Engine::tick);
}

Engine::~Engine()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->cancel();
        delete m_job;
    }
    if (m_refresh) {
        m_refresh->disconnect(this);
        m_refresh->cancel();
        delete m_refresh;
    }
}

void Engine::start(const JobSpec &spec)
{
    if (isBusy()) {
        RunReport refused;
        refused.kind = spec.kind;
        refused.dryRun = spec.dryRun;
        refused.status = QStringLiteral("failed");
        refused.error = tr("Another job is still running; wait for it to finish or cancel it.");
        refused.startedAt = refused.finishedAt = QDateTime::currentDateTimeUtc();
        Q_EMIT finished(refused);
        return;
    }
    // One Store object per data file; reopened when a job names another file.
    if (!m_store || m_store->path() != spec.storePath)
        m_store = std::make_unique<core::Store>(spec.storePath);
    if (spec.kind == JobKind::RefreshCatalog) {
        startRefresh(spec);
        return;
    }
    ImportJob *job = nullptr;
    if (spec.kind == JobKind::ImportContacts)
        job = new ContactImport(spec, m_store.get(), this);
    else
        job = new CompanyImport(spec, m_store.get(), this);
    m_job = job;
    m_progressSent = false;
    connect(job, &ImportJob::finished, this, &Engine::jobFinished);
    connect(job, &ImportJob::hubspotRefreshTokenChanged, this, &Engine::hubspotRefreshTokenChanged);
    m_timer->start();
    job->start();
}

void Engine::startRefresh(const JobSpec &spec)
{
    CatalogRefresh *job = new CatalogRefresh(spec, m_store.get(), this);
    m_refresh = job;
    m_progressSent = false;
    connect(job, &CatalogRefresh::finished, this, &Engine::refreshFinished);
    connect(job, &CatalogRefresh::hubspotRefreshTokenChanged, this,
            &Engine::hubspotRefreshTokenChanged);
    m_timer->start();
    job->start();
}

void Engine::cancel()
{
    if (m_job)
        m_job->cancel();
    if (m_refresh)
        m_refresh->cancel();
}

void Engine::sendProgress(const Progress &p, bool force)
{
    if (force || !m_progressSent || !sameProgress(p, m_lastProgress)) {
        m_lastProgress = p;
        m_progressSent = true;
        Q_EMIT progress(p);
    }
}

void Engine::tick()
{
    if (m_refresh) {
        sendProgress(m_refresh->progress(), false);
        return;
    }
    if (!m_job)
        return;
    const QList<core::RunItem> items = m_job->takeResults();
    if (!items.isEmpty())
        Q_EMIT results(items);
    sendProgress(m_job->progress(), false);
}

void Engine::jobFinished(const RunReport &report)
{
    ImportJob *job = m_job;
    if (!job)
        return;
    // The last results and progress go out before the report.
    const QList<core::RunItem> items = job->takeResults();
    if (!items.isEmpty())
        Q_EMIT results(items);
    sendProgress(job->progress(), true);
    m_timer->stop();
    m_job = nullptr;
    job->disconnect(this);
    job->deleteLater();
    Q_EMIT finished(report);
}

void Engine::refreshFinished(const RunReport &report)
{
    CatalogRefresh *job = m_refresh;
    if (!job)
        return;
    sendProgress(job->progress(), true);
    m_timer->stop();
    m_refresh = nullptr;
    job->disconnect(this);
    job->deleteLater();
    Q_EMIT finished(report);
}

} // namespace halospot::engine
