// ContactImport: the job's place in the engine, before its pipeline exists: it finishes at once
// as failed and says so.
#include "ContactImport.h"

#include <QTimer>

namespace halospot::engine {

ContactImport::ContactImport(JobSpec spec, core::Store *store, QObject *parent)
    : ImportJob(parent)
    , m_spec(std::move(spec))
    , m_store(store)
{}

ContactImport::~ContactImport() = default;

void ContactImport::start()
{
    QTimer::singleShot(0, this, [this] { cancel(); });
}

void ContactImport::cancel()
{
    if (m_finished)
        return;
    m_finished = true;
    RunReport report;
    report.kind = m_spec.kind;
    report.dryRun = m_spec.dryRun;
    report.status = QStringLiteral("failed");
    report.error = tr("The contact import is not available yet.");
    Q_EMIT finished(report);
}

Progress ContactImport::progress() const
{
    Progress p;
    p.kind = m_spec.kind;
    p.dryRun = m_spec.dryRun;
    return p;
}

QList<core::RunItem> ContactImport::takeResults()
{
    return {};
}

} // namespace halospot::engine
