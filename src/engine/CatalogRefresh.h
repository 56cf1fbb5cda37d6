// The "refresh pickers" job (JobKind::RefreshCatalog): reads what the mapping pickers offer from
// both services - HubSpot companies (id, name, domain, lifecycle stage), the company and contact
// properties with the lifecycle stage options, Halo customers (active and inactive), sites and the
// customer and user custom fields - and writes it into core::Catalog page by page, so that memory
// stays flat and the old copy stays readable until each list is complete. Runs on the engine
// thread like CompanyImport; reports progress the same way (counts.read = rows fetched).
#pragma once

#include "Catalog.h"
#include "EngineTypes.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace halospot::core {
class Store;
}

namespace halospot::api {
class HaloClient;
class HubSpotClient;
class HubSpotTokens;
} // namespace halospot::api

namespace halospot::engine {

class CatalogRefresh final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogRefresh)

public:
    // spec.kind is RefreshCatalog; store must be usable from this thread and outlive the job.
    CatalogRefresh(JobSpec spec, core::Store *store, QObject *parent = nullptr);
    ~CatalogRefresh() override;

    void start();
    void cancel();
    bool isFinished() const { return m_finished; }
    Progress progress() const;

Q_SIGNALS:
    // status completed (every list refreshed), failed (error says which list and why; lists
    // finished before stay refreshed) or cancelled.
    void finished(const halospot::engine::RunReport &report);
    void hubspotRefreshTokenChanged(const QString &refreshToken);

private:
    JobSpec m_spec;
    core::Store *m_store;
    RunReport m_report;
    QString m_phase;
    QElapsedTimer m_clock;
    bool m_finished = false;

    // CatalogRefresh.cpp: the HubSpot lists, and the job's start, progress and end.
    void loadCompanyProperties();
    void loadContactProperties();
    void countContacts();
    void countCompanies();
    void loadCompanies();
    // CatalogRefreshHalo.cpp: the Halo lists.
    void loadCustomers();
    void loadSites();
    void loadFields(core::Entity entity);

    // Starts the next list: what progress shows and what a failure names.
    void enterList(core::CatalogList list, const QString &phase, qint64 total = -1);
    // A failed store write fails the job; returns whether the status was ok.
    bool check(const Status &status);
    void fail(const QString &reason); // names the current list
    void finish(const QString &status, const QString &error = {});

    api::HubSpotTokens *m_tokens = nullptr;
    api::HubSpotClient *m_hubspot = nullptr;
    api::HaloClient *m_halo = nullptr;
    std::unique_ptr<core::Catalog> m_catalog;
    core::CatalogList m_list = core::CatalogList::CompanyProperties;
    qint64 m_listBase = 0;      // rows read before the current list
    qint64 m_listTotal = -1;    // rows of the current list; -1 when unknown
    qint64 m_companyTotal = -1; // from a one-row search; -1 when the count failed
};

} // namespace halospot::engine
