// JobRunner: one engine job at a time, its signals back on the GUI thread, its end in Activity.
#include "JobRunner.h"

#include "ActivityModel.h"
#include "ConnectionManager.h"
#include "Engine.h"
#include "EngineHost.h"
#include "JobSetup.h"
#include "ProfileStore.h"
#include "Store.h"

#include <QFileInfo>
#include <QLocale>

namespace halospot::gui {

JobRunner::JobRunner(engine::EngineHost &host, core::Store &store, ConnectionManager &connections,
                     ActivityModel &activity, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_store(store)
    , m_connections(connections)
    , m_activity(activity)
    , m_lock(QFileInfo(store.path()).absolutePath()) // the store lives in the data directory
{
    engine::registerEngineMetaTypes();
    engine::Engine *e = m_host.engine();
    // The engine lives on its own thread: these connections are queued onto this (GUI) thread.
    connect(e, &engine::Engine::progress, this, &JobRunner::onProgress);
    connect(e, &engine::Engine::results, this, &JobRunner::onResults);
    connect(e, &engine::Engine::finished, this, &JobRunner::onFinished);
    connect(e, &engine::Engine::hubspotRefreshTokenChanged, &m_connections,
            &ConnectionManager::adoptRefreshToken);
}

JobRunner::~JobRunner() = default;

Status JobRunner::start(engine::JobKind kind, bool dryRun)
{
    if (m_busy) {
        return Status::failure(tr("%1 is still running; wait for it to finish or cancel it.")
                                   .arg(jobTitle(m_kind, m_dryRun)));
    }
    const Result<core::Profile> profile = core::loadProfile(m_store);
    if (!profile.ok())
        return Status::failure(profile.error());
    engine::JobSetupOptions options;
    options.kind = kind;
    options.dryRun = dryRun;
    options.storePath = m_store.path();
    const Result<engine::JobSpec> spec =
        engine::makeJobSpec(profile.value(), m_connections.jobSecrets(), options);
    if (!spec.ok())
        return Status::failure(spec.error());
    // An import from the command line (or the OS scheduler) on the same data must not write at
    // the same time; reading (preview, lists) is harmless.
    if (kind != engine::JobKind::RefreshCatalog && !dryRun) {
        if (const Status locked = m_lock.tryLock(); !locked.ok())
            return locked;
    }

    m_busy = true;
    m_kind = kind;
    m_dryRun = dryRun;
    m_progress = engine::Progress();
    m_progress.kind = kind;
    m_progress.dryRun = dryRun;
    m_progress.phase = tr("Starting");
    m_host.start(spec.value());
    Q_EMIT busyChanged(true);
    Q_EMIT started(kind, dryRun);
    Q_EMIT progress(m_progress);
    return Status();
}

void JobRunner::cancel()
{
    if (m_busy)
        m_host.cancel();
}

void JobRunner::onProgress(const engine::Progress &p)
{
    if (!m_busy)
        return;
    m_progress = p;
    Q_EMIT progress(p);
}

void JobRunner::onResults(const QList<core::RunItem> &items)
{
    if (m_busy)
        Q_EMIT results(items);
}

void JobRunner::onFinished(const engine::RunReport &r)
{
    if (!m_busy)
        return;
    m_busy = false;
    m_lock.unlock();
    report(r);
    Q_EMIT finished(r);
    Q_EMIT busyChanged(false);
}

void JobRunner::report(const engine::RunReport &r)
{
    // Short sources fit the Activity view's column; the message says preview or import.
    const QString source = r.kind == engine::JobKind::RefreshCatalog   ? tr("Lists")
                           : r.kind == engine::JobKind::ImportContacts ? tr("Contacts")
                                                                       : tr("Companies");
    const bool isError =
        r.status == QLatin1String("failed") || r.status == QLatin1String("completed_with_errors");
    QString message;
    if (r.kind == engine::JobKind::RefreshCatalog) {
        if (r.status == QLatin1String("completed"))
            message = tr("The lists from HubSpot and Halo are up to date.");
        else if (r.status == QLatin1String("cancelled"))
            message = tr("Refreshing the lists was cancelled.");
        else
            message = tr("The lists could not be refreshed: %1").arg(r.error);
    } else {
        const QString counts = countsText(r.counts);
        if (r.status == QLatin1String("completed")) {
            message = r.dryRun ? tr("Preview finished: %1.").arg(counts)
                               : tr("Import finished: %1.").arg(counts);
        } else if (r.status == QLatin1String("completed_with_errors")) {
            message = r.dryRun ? tr("Preview finished with problems: %1.").arg(counts)
                               : tr("Import finished with errors: %1.").arg(counts);
        } else if (r.status == QLatin1String("cancelled")) {
            message = tr("Cancelled after %1 records (%2).")
                          .arg(QLocale().toString(r.counts.settled()), counts);
        } else {
            message = tr("Failed: %1").arg(r.error);
        }
    }
    m_activity.add(source, message, isError);
}

QString JobRunner::etaText(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("about %1 s left").arg(std::max<qint64>(seconds, 1));
    const qint64 minutes = (seconds + 30) / 60;
    if (minutes < 60)
        return tr("about %1 min left").arg(minutes);
    return tr("about %1 h %2 min left").arg(minutes / 60).arg(minutes % 60);
}

QString JobRunner::progressText(const engine::Progress &p)
{
    const QLocale locale;
    QStringList parts;
    const qint64 done =
        p.kind == engine::JobKind::RefreshCatalog ? p.counts.read : p.counts.settled();
    if (p.total >= 0)
        parts << tr("%1 / %2").arg(locale.toString(done), locale.toString(p.total));
    else if (done > 0)
        parts << locale.toString(done);
    if (p.perSecond > 0)
        parts << tr("%1/s").arg(locale.toString(qRound64(p.perSecond)));
    if (p.etaSeconds >= 0)
        parts << etaText(p.etaSeconds);
    return parts.join(QStringLiteral(" · "));
}

QString JobRunner::jobTitle(engine::JobKind kind, bool dryRun)
{
    switch (kind) {
    case engine::JobKind::RefreshCatalog:
        return tr("Refresh lists");
    case engine::JobKind::ImportCompanies:
        return dryRun ? tr("Preview companies") : tr("Import companies");
    case engine::JobKind::ImportContacts:
        return dryRun ? tr("Preview contacts") : tr("Import contacts");
    }
    return {};
}

QString JobRunner::countsText(const engine::Counts &c)
{
    const QLocale locale;
    QStringList parts;
    const auto add = [&](qint64 n, const QString &word) {
        if (n > 0)
            parts << QStringLiteral("%1 %2").arg(locale.toString(n), word);
    };
    add(c.created, tr("created"));
    add(c.updated, tr("updated"));
    add(c.unchanged, tr("unchanged"));
    add(c.skipped, tr("skipped"));
    add(c.ambiguous, tr("ambiguous"));
    add(c.failed, tr("failed"));
    add(c.filteredOut, tr("not included"));
    if (parts.isEmpty())
        return tr("nothing to do");
    return parts.join(QStringLiteral(", "));
}

} // namespace halospot::gui
