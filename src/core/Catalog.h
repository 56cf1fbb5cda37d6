// The picker caches: copies of the live HubSpot and Halo data the mapping pickers search
// (companies, customers, sites, properties, custom fields, lifecycle stages), kept in the store so
// that the pickers answer type-ahead over 100 000 records at once and work offline with the last
// copy. Filled by engine::CatalogRefresh; read by the GUI. Never holds secrets.
#pragma once

#include "FieldTypes.h"
#include "Result.h"
#include "StoreTypes.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace halospot::core {

class Store;

struct CatalogCompany
{
    QString id; // HubSpot company ID
    QString name;
    QString domain;
    QString lifecycleStage; // internal value; "" = (no stage)
    // "Acme Corporation (acme.com)"; "(no name) · 123" when the name is empty.
    QString display() const;
};

struct CatalogCustomer
{
    qint64 id = 0;
    QString name;
    bool inactive = false;
    QString display() const; // "ACME Ltd", "ACME Ltd (inactive)"
};

struct CatalogSite
{
    qint64 id = 0;
    qint64 clientId = 0;
    QString name;
    QString clientName;      // filled by the queries from the customer cache
    QString display() const; // "Main Office — ACME Ltd"
};

// One option of HubSpot's lifecycle stage property (default and custom stages).
struct CatalogStage
{
    QString value; // internal value; never empty here ("(no stage)" is the GUI's)
    QString label;
    int displayOrder = 0;
};

// How many contacts the HubSpot portal holds, as the last refresh counted them (the Contacts tab
// shows it before "all contacts" can be chosen).
struct CatalogCount
{
    qint64 count = -1;   // -1: never counted
    QDateTime countedAt; // UTC
};

// Which cached list; used for "refreshed at" and counts.
enum class CatalogList
{
    Companies,
    Customers,
    Sites,
    CompanyProperties,
    ContactProperties,
    CustomerFields,
    UserFields,
    LifecycleStages,
};

// "HubSpot companies", "Halo customers", ...: how sentences name a list.
QString catalogListName(CatalogList list);

// Thread safety: as Store (each thread uses its own connection). Methods are quick; searches are
// index-backed and return at most `limit` rows so that a picker can call them on every keystroke.
class Catalog final
{
    Q_DECLARE_TR_FUNCTIONS(Catalog)

public:
    explicit Catalog(Store &store);

    // --- writing (the refresh job) ---
    // A refresh writes a whole list in pages: begin() starts a generation, add*() upserts rows
    // into it (one transaction per call), finish() removes the rows the refresh did not see and
    // records the time. Until finish(), readers still see every old row.
    Status begin(CatalogList list);
    Status addCompanies(const QList<CatalogCompany> &rows);
    Status addCustomers(const QList<CatalogCustomer> &rows);
    Status addSites(const QList<CatalogSite> &rows);
    Status finish(CatalogList list);
    // Small lists are replaced whole (one transaction).
    Status setStages(const QList<CatalogStage> &stages);
    Status setProperties(Entity entity, const QList<PropertyDef> &properties);
    Status setFields(Entity entity, const QList<HaloFieldDef> &fields); // Company = customer fields
    Status setContactCount(qint64 count);

    // --- reading (pickers, models, reference checks) ---
    // Matches `text` against the normalized name (prefix matches first, then contains), the
    // domain (companies) and the exact ID; empty text lists the first rows by name.
    Result<QList<CatalogCompany>> searchCompanies(const QString &text, int limit = 50) const;
    Result<QList<CatalogCustomer>> searchCustomers(const QString &text, int limit = 50) const;
    // Sites of one customer (clientId > 0) or of all customers, matched by site or customer name.
    Result<QList<CatalogSite>> searchSites(const QString &text, qint64 clientId = 0,
                                           int limit = 50) const;
    Result<std::optional<CatalogCompany>> company(const QString &id) const;
    Result<std::optional<CatalogCustomer>> customer(qint64 id) const;
    Result<std::optional<CatalogSite>> site(qint64 id) const;
    Result<QList<CatalogStage>> stages() const;                 // by display order
    Result<QList<PropertyDef>> properties(Entity entity) const; // by label
    Result<QList<HaloFieldDef>> fields(Entity entity) const;    // by label
    Result<qint64> count(CatalogList list) const;
    Result<CatalogCount> contactCount() const;
    // Invalid when the list was never refreshed.
    Result<QDateTime> refreshedAt(CatalogList list) const;

private:
    Store &m_store;
};

} // namespace halospot::core
