// The picker caches in the store: generation-wise page writes, whole-list replacement of the small
// lists, and the index-backed type-ahead searches the pickers run on every keystroke.
#include "Catalog.h"
#include "Names.h"
#include "Store.h"
#include "StoreSql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <functional>

namespace halospot::core {

using detail::exec;

namespace {

// The catalog_lists key of each list; constants, never user data, so they may be pasted into SQL.
QString listKey(CatalogList list)
{
    switch (list) {
    case CatalogList::Companies:
        return QStringLiteral("companies");
    case CatalogList::Customers:
        return QStringLiteral("customers");
    case CatalogList::Sites:
        return QStringLiteral("sites");
    case CatalogList::CompanyProperties:
        return QStringLiteral("company_properties");
    case CatalogList::ContactProperties:
        return QStringLiteral("contact_properties");
    case CatalogList::CustomerFields:
        return QStringLiteral("customer_fields");
    case CatalogList::UserFields:
        return QStringLiteral("user_fields");
    case CatalogList::LifecycleStages:
        return QStringLiteral("lifecycle_stages");
    }
    return {};
}

// The table of a list written page by page; empty for the small lists.
QString rowTable(CatalogList list)
{
    switch (list) {
    case CatalogList::Companies:
        return QStringLiteral("hubspot_companies_cache");
    case CatalogList::Customers:
        return QStringLiteral("halo_customers_cache");
    case CatalogList::Sites:
        return QStringLiteral("halo_sites_cache");
    default:
        return {};
    }
}

// The generation readers see, as a scalar subquery: one statement reads one consistent copy.
QString current(CatalogList list)
{
    return QStringLiteral("(SELECT generation FROM catalog_lists WHERE list = '%1')")
        .arg(listKey(list));
}

// Appended to a prefix, the upper bound of a range scan: nothing sorts above U+10FFFF.
const QString kPrefixEnd = QStringLiteral(" || char(1114111)");

// "Contains" cannot use an index; the name index covers the test, so the scan reads the index
// only and fetches just the matching rows. instr() rather than LIKE: nothing in the text (% _ \)
// is a wildcard, and the names are case-folded already.
const QString kNameContains = QStringLiteral(" AND instr(normalized_name, ?) > 0");

QString domainKey(const QString &text)
{
    QString d = text.trimmed().toLower();
    for (const QLatin1String scheme : {QLatin1String("https://"), QLatin1String("http://")}) {
        if (d.startsWith(scheme))
            d = d.mid(scheme.size());
    }
    return d;
}

// BEGIN IMMEDIATE ... COMMIT on the calling thread's connection, as Store does for its writes.
Status writeTransaction(const Store &store, const QString &doing,
                        const std::function<Status(QSqlDatabase &)> &body)
{
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return Status::failure(
            Catalog::tr("HaloSpot could not %1: its database is not open.").arg(doing));
    {
        QSqlQuery begin(db);
        if (!exec(begin, QStringLiteral("BEGIN IMMEDIATE")))
            return Status::failure(Store::describeFailure(store.path(), begin.lastError(), doing));
    }
    Status status = body(db);
    if (status) {
        QSqlQuery commit(db);
        if (exec(commit, QStringLiteral("COMMIT")))
            return status;
        status = Status::failure(Store::describeFailure(store.path(), commit.lastError(), doing));
    }
    QSqlQuery rollback(db);
    exec(rollback, QStringLiteral("ROLLBACK"));
    return status;
}

// The generation a refresh is writing; failure when begin() was not called.
Status pendingGeneration(const Store &store, QSqlDatabase &db, CatalogList list,
                         const QString &doing, qint64 *generation)
{
    QSqlQuery q(db);
    if (!exec(q, QStringLiteral("SELECT pending_generation FROM catalog_lists WHERE list = ?"),
              {listKey(list)}))
        return Status::failure(Store::describeFailure(store.path(), q.lastError(), doing));
    if (!q.next() || q.value(0).isNull())
        return Status::failure(
            Catalog::tr("HaloSpot could not %1: the refresh of the %2 was not started.")
                .arg(doing, catalogListName(list)));
    *generation = q.value(0).toLongLong();
    return {};
}

// Runs search steps in order and keeps the first `limit` distinct rows.
template<typename Row, typename Key>
Result<QList<Row>> runSteps(const Store &store,
                            const QList<std::pair<QString, QVariantList>> &steps, int limit,
                            const std::function<Row(const QSqlQuery &)> &toRow,
                            const std::function<Key(const Row &)> &keyOf)
{
    using R = Result<QList<Row>>;
    QList<Row> rows;
    if (limit <= 0)
        return rows;
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return R::failure(Catalog::tr("HaloSpot could not search its picker lists: its database "
                                      "is not open."));
    QSet<Key> seen;
    for (const auto &[sql, values] : steps) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        QVariantList bound = values;
        bound.append(limit - int(rows.size()));
        if (!exec(q, sql + QStringLiteral(" LIMIT ?"), bound))
            return R::failure(Store::describeFailure(store.path(), q.lastError(),
                                                     Catalog::tr("search its picker lists")));
        while (q.next()) {
            Row row = toRow(q);
            const Key key = keyOf(row);
            if (seen.contains(key))
                continue;
            seen.insert(key);
            rows.append(std::move(row));
        }
        if (rows.size() >= limit)
            break;
    }
    return rows;
}

const QString kCompanySelect =
    QStringLiteral("SELECT hubspot_id, name, domain, lifecycle_stage FROM hubspot_companies_cache"
                   " WHERE generation = %1")
        .arg(current(CatalogList::Companies));

CatalogCompany companyFromRow(const QSqlQuery &q)
{
    return CatalogCompany{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                          q.value(3).toString()};
}

const QString kCustomerSelect = QStringLiteral("SELECT halo_id, name, inactive FROM"
                                               " halo_customers_cache WHERE generation = %1")
                                    .arg(current(CatalogList::Customers));

CatalogCustomer customerFromRow(const QSqlQuery &q)
{
    return CatalogCustomer{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toInt() != 0};
}

// LEFT JOIN: a site whose customer is not in the cache (yet) is still offered.
const QString kSiteSelect =
    QStringLiteral("SELECT s.halo_id, s.client_id, s.name, COALESCE(c.name, '') FROM"
                   " halo_sites_cache s LEFT JOIN halo_customers_cache c"
                   " ON c.generation = %1 AND c.halo_id = s.client_id WHERE s.generation = %2")
        .arg(current(CatalogList::Customers), current(CatalogList::Sites));

CatalogSite siteFromRow(const QSqlQuery &q)
{
    return CatalogSite{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                       q.value(3).toString()};
}

QJsonArray itemsOf(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).array();
}

} // namespace

QString catalogListName(CatalogList list)
{
    switch (list) {
    case CatalogList::Companies:
        return Catalog::tr("HubSpot companies");
    case CatalogList::Customers:
        return Catalog::tr("Halo customers");
    case CatalogList::Sites:
        return Catalog::tr("Halo sites");
    case CatalogList::CompanyProperties:
        return Catalog::tr("HubSpot company properties");
    case CatalogList::ContactProperties:
        return Catalog::tr("HubSpot contact properties");
    case CatalogList::CustomerFields:
        return Catalog::tr("Halo customer fields");
    case CatalogList::UserFields:
        return Catalog::tr("Halo user fields");
    case CatalogList::LifecycleStages:
        return Catalog::tr("HubSpot lifecycle stages");
    }
    return {};
}

QString CatalogCompany::display() const
{
    QString text = name.trimmed().isEmpty() ? Catalog::tr("(no name) · %1").arg(id) : name;
    if (!domain.isEmpty())
        text = Catalog::tr("%1 (%2)").arg(text, domain);
    return text;
}

QString CatalogCustomer::display() const
{
    const QString text = name.trimmed().isEmpty() ? Catalog::tr("(no name) · %1").arg(id) : name;
    return inactive ? Catalog::tr("%1 (inactive)").arg(text) : text;
}

QString CatalogSite::display() const
{
    const QString text = name.trimmed().isEmpty() ? Catalog::tr("(no name) · %1").arg(id) : name;
    if (!clientName.isEmpty())
        return Catalog::tr("%1 — %2").arg(text, clientName);
    return Catalog::tr("%1 — customer %2").arg(text).arg(clientId);
}

Catalog::Catalog(Store &store)
    : m_store(store)
{}

Status Catalog::begin(CatalogList list)
{
    const QString table = rowTable(list);
    const QString doing = tr("start refreshing the %1").arg(catalogListName(list));
    if (table.isEmpty())
        return Status::failure(
            tr("HaloSpot could not %1: that list is replaced whole, not page by page.").arg(doing));
    return writeTransaction(m_store, doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        // Rows of an earlier refresh that never finished are of no use: start clean.
        if (!exec(q, QStringLiteral("DELETE FROM %1 WHERE generation <> %2")
                         .arg(table, current(list))) ||
            !exec(q,
                  QStringLiteral("UPDATE catalog_lists SET pending_generation = generation + 1"
                                 " WHERE list = ?"),
                  {listKey(list)}))
            return Status::failure(Store::describeFailure(m_store.path(), q.lastError(), doing));
        return {};
    });
}

namespace {

// Upserts one page into the generation begin() started, in one transaction. A row seen twice in
// one refresh (paging may repeat one) is written twice, not duplicated.
template<typename Row>
Status addRows(const Store &store, CatalogList list, const QString &sql, const QList<Row> &rows,
               const std::function<void(QSqlQuery &, const Row &)> &bindRow)
{
    const QString doing = Catalog::tr("save the %1 for the pickers").arg(catalogListName(list));
    return writeTransaction(store, doing, [&](QSqlDatabase &db) -> Status {
        qint64 generation = 0;
        if (Status s = pendingGeneration(store, db, list, doing, &generation); !s)
            return s;
        QSqlQuery q(db);
        if (!q.prepare(sql))
            return Status::failure(Store::describeFailure(store.path(), q.lastError(), doing));
        for (const Row &row : rows) {
            detail::bind(q, generation);
            bindRow(q, row);
            if (!q.exec())
                return Status::failure(Store::describeFailure(store.path(), q.lastError(), doing));
        }
        return {};
    });
}

} // namespace

Status Catalog::addCompanies(const QList<CatalogCompany> &rows)
{
    return addRows<CatalogCompany>(
        m_store, CatalogList::Companies,
        QStringLiteral("INSERT INTO hubspot_companies_cache (generation, hubspot_id, name,"
                       " normalized_name, domain, lifecycle_stage) VALUES (?, ?, ?, ?, ?, ?)"
                       " ON CONFLICT (generation, hubspot_id) DO UPDATE SET name = excluded.name,"
                       " normalized_name = excluded.normalized_name, domain = excluded.domain,"
                       " lifecycle_stage = excluded.lifecycle_stage"),
        rows, [](QSqlQuery &q, const CatalogCompany &row) {
            detail::bind(q, row.id);
            detail::bind(q, row.name);
            detail::bind(q, normalizeName(row.name));
            detail::bind(q, domainKey(row.domain));
            detail::bind(q, row.lifecycleStage);
        });
}

Status Catalog::addCustomers(const QList<CatalogCustomer> &rows)
{
    return addRows<CatalogCustomer>(
        m_store, CatalogList::Customers,
        QStringLiteral("INSERT INTO halo_customers_cache (generation, halo_id, name,"
                       " normalized_name, inactive) VALUES (?, ?, ?, ?, ?) ON CONFLICT"
                       " (generation, halo_id) DO UPDATE SET name = excluded.name,"
                       " normalized_name = excluded.normalized_name, inactive = excluded.inactive"),
        rows, [](QSqlQuery &q, const CatalogCustomer &row) {
            detail::bind(q, row.id);
            detail::bind(q, row.name);
            detail::bind(q, normalizeName(row.name));
            detail::bind(q, row.inactive ? 1 : 0);
        });
}

Status Catalog::addSites(const QList<CatalogSite> &rows)
{
    return addRows<CatalogSite>(
        m_store, CatalogList::Sites,
        QStringLiteral("INSERT INTO halo_sites_cache (generation, halo_id, client_id, name,"
                       " normalized_name) VALUES (?, ?, ?, ?, ?) ON CONFLICT (generation, halo_id)"
                       " DO UPDATE SET client_id = excluded.client_id, name = excluded.name,"
                       " normalized_name = excluded.normalized_name"),
        rows, [](QSqlQuery &q, const CatalogSite &row) {
            detail::bind(q, row.id);
            detail::bind(q, row.clientId);
            detail::bind(q, row.name);
            detail::bind(q, normalizeName(row.name));
        });
}

Status Catalog::finish(CatalogList list)
{
    const QString table = rowTable(list);
    const QString doing = tr("finish refreshing the %1").arg(catalogListName(list));
    if (table.isEmpty())
        return Status::failure(
            tr("HaloSpot could not %1: that list is replaced whole, not page by page.").arg(doing));
    return writeTransaction(m_store, doing, [&](QSqlDatabase &db) -> Status {
        qint64 generation = 0;
        if (Status s = pendingGeneration(m_store, db, list, doing, &generation); !s)
            return s;
        QSqlQuery q(db);
        // The switch and the removal of the old copy commit together: readers see one or the
        // other, never a mix.
        if (!exec(q, QStringLiteral("DELETE FROM %1 WHERE generation <> ?").arg(table),
                  {generation}) ||
            !exec(q,
                  QStringLiteral("UPDATE catalog_lists SET generation = ?, pending_generation ="
                                 " NULL, refreshed_at = ? WHERE list = ?"),
                  {generation, detail::nowText(), listKey(list)}))
            return Status::failure(Store::describeFailure(m_store.path(), q.lastError(), doing));
        return {};
    });
}

namespace {

Status replaceItems(const Store &store, CatalogList list, const QJsonArray &items)
{
    const QString doing = Catalog::tr("save the %1 for the pickers").arg(catalogListName(list));
    return writeTransaction(store, doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!exec(q,
                  QStringLiteral("UPDATE catalog_lists SET items = ?, generation = generation + 1,"
                                 " pending_generation = NULL, refreshed_at = ? WHERE list = ?"),
                  {QString::fromUtf8(QJsonDocument(items).toJson(QJsonDocument::Compact)),
                   detail::nowText(), listKey(list)}))
            return Status::failure(Store::describeFailure(store.path(), q.lastError(), doing));
        return {};
    });
}

Result<QJsonArray> readItems(const Store &store, CatalogList list)
{
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return Result<QJsonArray>::failure(
            Catalog::tr("HaloSpot could not read the %1: its database is not open.")
                .arg(catalogListName(list)));
    QSqlQuery q(db);
    if (!exec(q, QStringLiteral("SELECT items FROM catalog_lists WHERE list = ?"), {listKey(list)}))
        return Result<QJsonArray>::failure(Store::describeFailure(
            store.path(), q.lastError(), Catalog::tr("read the %1").arg(catalogListName(list))));
    return q.next() ? itemsOf(q.value(0).toString()) : QJsonArray();
}

} // namespace

Status Catalog::setStages(const QList<CatalogStage> &stages)
{
    QJsonArray items;
    for (const CatalogStage &s : stages)
        items.append(QJsonObject{{QStringLiteral("value"), s.value},
                                 {QStringLiteral("label"), s.label},
                                 {QStringLiteral("displayOrder"), s.displayOrder}});
    return replaceItems(m_store, CatalogList::LifecycleStages, items);
}

Status Catalog::setProperties(Entity entity, const QList<PropertyDef> &properties)
{
    QJsonArray items;
    for (const PropertyDef &p : properties)
        items.append(p.toJson());
    return replaceItems(m_store,
                        entity == Entity::Company ? CatalogList::CompanyProperties
                                                  : CatalogList::ContactProperties,
                        items);
}

Status Catalog::setFields(Entity entity, const QList<HaloFieldDef> &fields)
{
    const CatalogList list =
        entity == Entity::Company ? CatalogList::CustomerFields : CatalogList::UserFields;
    const QString doing = tr("save the %1 for the pickers").arg(catalogListName(list));
    return writeTransaction(m_store, doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!exec(q, QStringLiteral("DELETE FROM halo_fields_cache WHERE entity = ?"),
                  {entityName(entity)}))
            return Status::failure(Store::describeFailure(m_store.path(), q.lastError(), doing));
        if (!q.prepare(QStringLiteral("INSERT INTO halo_fields_cache (entity, halo_id, label,"
                                      " definition) VALUES (?, ?, ?, ?) ON CONFLICT (entity,"
                                      " halo_id) DO UPDATE SET label = excluded.label,"
                                      " definition = excluded.definition")))
            return Status::failure(Store::describeFailure(m_store.path(), q.lastError(), doing));
        for (const HaloFieldDef &f : fields) {
            detail::bind(q, entityName(entity));
            detail::bind(q, f.id);
            detail::bind(q, f.label);
            detail::bind(q, detail::jsonText(f.toJson()));
            if (!q.exec())
                return Status::failure(
                    Store::describeFailure(m_store.path(), q.lastError(), doing));
        }
        if (!exec(q,
                  QStringLiteral("UPDATE catalog_lists SET generation = generation + 1,"
                                 " refreshed_at = ? WHERE list = ?"),
                  {detail::nowText(), listKey(list)}))
            return Status::failure(Store::describeFailure(m_store.path(), q.lastError(), doing));
        return {};
    });
}

Result<QList<CatalogCompany>> Catalog::searchCompanies(const QString &text, int limit) const
{
    const QString key = normalizeName(text);
    const QString order = QStringLiteral(" ORDER BY normalized_name, hubspot_id");
    QList<std::pair<QString, QVariantList>> steps;
    if (key.isEmpty()) {
        steps.append({kCompanySelect + order, {}});
    } else {
        const QString domain = domainKey(text);
        steps.append({kCompanySelect + QStringLiteral(" AND hubspot_id = ?"), {text.trimmed()}});
        steps.append({kCompanySelect +
                          QStringLiteral(" AND normalized_name >= ? AND normalized_name < ?") +
                          kPrefixEnd + order,
                      {key, key}});
        // Domains hold no spaces: text with one is no domain.
        const bool domainLike = !domain.isEmpty() && !domain.contains(QLatin1Char(' '));
        if (domainLike)
            steps.append({kCompanySelect + QStringLiteral(" AND domain >= ? AND domain < ?") +
                              kPrefixEnd + QStringLiteral(" ORDER BY domain, hubspot_id"),
                          {domain, domain}});
        steps.append({kCompanySelect + kNameContains + order, {key}});
        if (domainLike)
            steps.append({kCompanySelect + QStringLiteral(" AND instr(domain, ?) > 0") +
                              QStringLiteral(" ORDER BY domain, hubspot_id"),
                          {domain}});
    }
    return runSteps<CatalogCompany, QString>(m_store, steps, limit, companyFromRow,
                                             [](const CatalogCompany &c) { return c.id; });
}

Result<QList<CatalogCustomer>> Catalog::searchCustomers(const QString &text, int limit) const
{
    const QString key = normalizeName(text);
    const QString order = QStringLiteral(" ORDER BY normalized_name, halo_id");
    QList<std::pair<QString, QVariantList>> steps;
    if (key.isEmpty()) {
        steps.append({kCustomerSelect + order, {}});
    } else {
        bool numeric = false;
        const qint64 id = text.trimmed().toLongLong(&numeric);
        if (numeric)
            steps.append({kCustomerSelect + QStringLiteral(" AND halo_id = ?"), {id}});
        steps.append({kCustomerSelect +
                          QStringLiteral(" AND normalized_name >= ? AND normalized_name < ?") +
                          kPrefixEnd + order,
                      {key, key}});
        steps.append({kCustomerSelect + kNameContains + order, {key}});
    }
    return runSteps<CatalogCustomer, qint64>(m_store, steps, limit, customerFromRow,
                                             [](const CatalogCustomer &c) { return c.id; });
}

Result<QList<CatalogSite>> Catalog::searchSites(const QString &text, qint64 clientId,
                                                int limit) const
{
    const QString key = normalizeName(text);
    QString select = kSiteSelect;
    QVariantList base;
    if (clientId > 0) {
        select += QStringLiteral(" AND s.client_id = ?");
        base.append(clientId);
    }
    const QString order = QStringLiteral(" ORDER BY s.normalized_name, s.halo_id");
    auto with = [&](QVariantList values) {
        QVariantList all = base;
        all.append(values);
        return all;
    };
    QList<std::pair<QString, QVariantList>> steps;
    if (key.isEmpty()) {
        steps.append({select + order, base});
    } else {
        bool numeric = false;
        const qint64 id = text.trimmed().toLongLong(&numeric);
        if (numeric)
            steps.append({select + QStringLiteral(" AND s.halo_id = ?"), with({id})});
        steps.append({select +
                          QStringLiteral(" AND s.normalized_name >= ? AND s.normalized_name < ?") +
                          kPrefixEnd + order,
                      with({key, key})});
        steps.append({select +
                          QStringLiteral(" AND c.normalized_name >= ? AND c.normalized_name < ?") +
                          kPrefixEnd +
                          QStringLiteral(" ORDER BY c.normalized_name, s.normalized_name,"
                                         " s.halo_id"),
                      with({key, key})});
        steps.append({select +
                          QStringLiteral(" AND (instr(s.normalized_name, ?) > 0"
                                         " OR instr(c.normalized_name, ?) > 0)") +
                          order,
                      with({key, key})});
    }
    return runSteps<CatalogSite, qint64>(m_store, steps, limit, siteFromRow,
                                         [](const CatalogSite &s) { return s.id; });
}

Result<std::optional<CatalogCompany>> Catalog::company(const QString &id) const
{
    using R = Result<std::optional<CatalogCompany>>;
    const auto rows = runSteps<CatalogCompany, QString>(
        m_store, {{kCompanySelect + QStringLiteral(" AND hubspot_id = ?"), {id}}}, 1,
        companyFromRow, [](const CatalogCompany &c) { return c.id; });
    if (!rows)
        return R::failure(rows.error());
    return rows->isEmpty() ? std::optional<CatalogCompany>() : rows->constFirst();
}

Result<std::optional<CatalogCustomer>> Catalog::customer(qint64 id) const
{
    using R = Result<std::optional<CatalogCustomer>>;
    const auto rows = runSteps<CatalogCustomer, qint64>(
        m_store, {{kCustomerSelect + QStringLiteral(" AND halo_id = ?"), {id}}}, 1, customerFromRow,
        [](const CatalogCustomer &c) { return c.id; });
    if (!rows)
        return R::failure(rows.error());
    return rows->isEmpty() ? std::optional<CatalogCustomer>() : rows->constFirst();
}

Result<std::optional<CatalogSite>> Catalog::site(qint64 id) const
{
    using R = Result<std::optional<CatalogSite>>;
    const auto rows = runSteps<CatalogSite, qint64>(
        m_store, {{kSiteSelect + QStringLiteral(" AND s.halo_id = ?"), {id}}}, 1, siteFromRow,
        [](const CatalogSite &s) { return s.id; });
    if (!rows)
        return R::failure(rows.error());
    return rows->isEmpty() ? std::optional<CatalogSite>() : rows->constFirst();
}

Result<QList<CatalogStage>> Catalog::stages() const
{
    const Result<QJsonArray> items = readItems(m_store, CatalogList::LifecycleStages);
    if (!items)
        return Result<QList<CatalogStage>>::failure(items.error());
    QList<CatalogStage> stages;
    for (const QJsonValue &v : items.value()) {
        const QJsonObject o = v.toObject();
        stages.append(CatalogStage{o.value(QLatin1String("value")).toString(),
                                   o.value(QLatin1String("label")).toString(),
                                   o.value(QLatin1String("displayOrder")).toInt()});
    }
    std::stable_sort(stages.begin(), stages.end(),
                     [](const CatalogStage &a, const CatalogStage &b) {
                         return a.displayOrder < b.displayOrder;
                     });
    return stages;
}

Result<QList<PropertyDef>> Catalog::properties(Entity entity) const
{
    const Result<QJsonArray> items =
        readItems(m_store, entity == Entity::Company ? CatalogList::CompanyProperties
                                                     : CatalogList::ContactProperties);
    if (!items)
        return Result<QList<PropertyDef>>::failure(items.error());
    QList<PropertyDef> properties;
    for (const QJsonValue &v : items.value())
        properties.append(PropertyDef::fromJson(v.toObject()));
    std::stable_sort(properties.begin(), properties.end(),
                     [](const PropertyDef &a, const PropertyDef &b) {
                         const int c = a.label.compare(b.label, Qt::CaseInsensitive);
                         return c != 0 ? c < 0 : a.name < b.name;
                     });
    return properties;
}

Result<QList<HaloFieldDef>> Catalog::fields(Entity entity) const
{
    using R = Result<QList<HaloFieldDef>>;
    QSqlDatabase db = m_store.connection();
    if (!db.isOpen())
        return R::failure(tr("HaloSpot could not read the Halo custom fields: its database is "
                             "not open."));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!exec(q,
              QStringLiteral("SELECT definition FROM halo_fields_cache WHERE entity = ?"
                             " ORDER BY label COLLATE NOCASE, halo_id"),
              {entityName(entity)}))
        return R::failure(Store::describeFailure(m_store.path(), q.lastError(),
                                                 tr("read the Halo custom fields")));
    QList<HaloFieldDef> fields;
    while (q.next())
        fields.append(HaloFieldDef::fromJson(detail::jsonFromText(q.value(0).toString())));
    return fields;
}

Result<qint64> Catalog::count(CatalogList list) const
{
    using R = Result<qint64>;
    QString sql;
    QVariantList values;
    if (const QString table = rowTable(list); !table.isEmpty()) {
        sql = QStringLiteral("SELECT count(*) FROM %1 WHERE generation = %2")
                  .arg(table, current(list));
    } else if (list == CatalogList::CustomerFields || list == CatalogList::UserFields) {
        sql = QStringLiteral("SELECT count(*) FROM halo_fields_cache WHERE entity = ?");
        values.append(
            entityName(list == CatalogList::CustomerFields ? Entity::Company : Entity::Contact));
    } else {
        const Result<QJsonArray> items = readItems(m_store, list);
        if (!items)
            return R::failure(items.error());
        return qint64(items->size());
    }
    QSqlDatabase db = m_store.connection();
    if (!db.isOpen())
        return R::failure(tr("HaloSpot could not count the %1: its database is not open.")
                              .arg(catalogListName(list)));
    QSqlQuery q(db);
    if (!exec(q, sql, values) || !q.next())
        return R::failure(Store::describeFailure(m_store.path(), q.lastError(),
                                                 tr("count the %1").arg(catalogListName(list))));
    return q.value(0).toLongLong();
}

namespace {
const QString kContactCountKey = QStringLiteral("catalog/hubspot_contact_count");
const QString kContactCountAtKey = QStringLiteral("catalog/hubspot_contact_count_at");
} // namespace

Status Catalog::setContactCount(qint64 count)
{
    return m_store.setSettings(
        {{kContactCountKey, QString::number(count)},
         {kContactCountAtKey, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
}

Result<CatalogCount> Catalog::contactCount() const
{
    using R = Result<CatalogCount>;
    const Result<QString> count = m_store.setting(kContactCountKey);
    if (!count)
        return R::failure(count.error());
    const Result<QString> at = m_store.setting(kContactCountAtKey);
    if (!at)
        return R::failure(at.error());
    CatalogCount c;
    bool ok = false;
    const qint64 n = count->toLongLong(&ok);
    if (ok && n >= 0) {
        c.count = n;
        c.countedAt = QDateTime::fromString(at.value(), Qt::ISODateWithMs); // written with "Z": UTC
    }
    return c;
}

Result<QDateTime> Catalog::refreshedAt(CatalogList list) const
{
    using R = Result<QDateTime>;
    QSqlDatabase db = m_store.connection();
    if (!db.isOpen())
        return R::failure(tr("HaloSpot could not read when the %1 were refreshed: its database "
                             "is not open.")
                              .arg(catalogListName(list)));
    QSqlQuery q(db);
    if (!exec(q, QStringLiteral("SELECT refreshed_at FROM catalog_lists WHERE list = ?"),
              {listKey(list)}))
        return R::failure(Store::describeFailure(
            m_store.path(), q.lastError(),
            tr("read when the %1 were refreshed").arg(catalogListName(list))));
    return q.next() ? detail::timeFromText(q.value(0).toString()) : QDateTime();
}

} // namespace halospot::core
