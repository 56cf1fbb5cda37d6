// The "import contacts" job (SPEC §1.3, §2): Halo users, customers and the placement sites read
// once per run, HubSpot contacts streamed with their company associations, each contact placed
// (mapping row's site, else its customer's main site, else the default site), matched (link, then
// e-mail at the target customer, else create), converted, and written in Halo array POSTs guarded
// by the intent journal so that no user is ever created twice. A dry run is the same pipeline
// without writes. Lives on the engine thread; everything is asynchronous.
#pragma once

#include "ImportJob.h"

namespace halospot::core {
class Store;
}

namespace halospot::engine {

class ContactImport final : public ImportJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactImport)

public:
    // store must be usable from this thread and outlive the job.
    ContactImport(JobSpec spec, core::Store *store, QObject *parent = nullptr);
    ~ContactImport() override;

    void start() override;
    void cancel() override;
    bool isFinished() const override { return m_finished; }
    Progress progress() const override;
    QList<core::RunItem> takeResults() override;

private:
    JobSpec m_spec;
    core::Store *m_store;
    bool m_finished = false;
};

} // namespace halospot::engine
