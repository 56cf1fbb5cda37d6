// Helpers shared by the store tests: raw SQLite access that bypasses the Store, and sample records.
#pragma once

#include "Store.h"

#include <QDebug>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace halospot::core::testing {

// Reads one value through a private, short-lived connection that is not the Store's, so that the
// file itself is checked, also after the Store is gone.
inline QVariant rawScalar(const QString &path, const QString &sql, const QVariantList &values = {})
{
    static int counter = 0;
    const QString name = QStringLiteral("tst_store.raw.%1").arg(++counter);
    QVariant result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            bool ok = q.prepare(sql);
            for (const QVariant &value : values)
                q.addBindValue(value);
            if (ok && q.exec() && q.next())
                result = q.value(0);
            else
                qWarning() << "raw query failed:" << sql << q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

inline bool rawExec(const QString &path, const QString &sql)
{
    static int counter = 0;
    const QString name = QStringLiteral("tst_store.rawexec.%1").arg(++counter);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            ok = q.prepare(sql) && q.exec();
            if (!ok)
                qWarning() << "raw exec failed:" << sql << q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

inline qint64 count(const Store &store, const QString &table)
{
    QSqlQuery q(store.connection());
    // Table names cannot be bound; these come from the test itself.
    if (!q.prepare(QStringLiteral("SELECT count(*) FROM ") + table) || !q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

inline bool tableExists(const QString &path, const QString &table)
{
    return rawScalar(path,
                     QStringLiteral(
                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"),
                     {table})
               .toInt() == 1;
}

inline RunItem item(const QString &hubspotId, const QString &action = QStringLiteral("created"))
{
    RunItem i;
    i.entity = Entity::Company;
    i.hubspotId = hubspotId;
    i.haloId = 7;
    i.action = action;
    return i;
}

inline Link link(Entity entity, const QString &hubspotId, qint64 haloId)
{
    Link l;
    l.entity = entity;
    l.hubspotId = hubspotId;
    l.haloId = haloId;
    l.base = QJsonObject{{QStringLiteral("name"), QStringLiteral("Acme")}};
    return l;
}

inline PendingWrite intent(const QString &sourceId, const QString &batch = QStringLiteral("b1"))
{
    PendingWrite w;
    w.batchId = batch;
    w.target = WriteTarget::Halo;
    w.entity = Entity::Company;
    w.sourceId = sourceId;
    w.naturalKey = QStringLiteral("Acme %1").arg(sourceId);
    w.payload = QJsonObject{{QStringLiteral("name"), w.naturalKey}};
    return w;
}

inline const QStringList kAllTables = {
    QStringLiteral("settings"),
    QStringLiteral("links"),
    QStringLiteral("runs"),
    QStringLiteral("run_items"),
    QStringLiteral("lifecycle_stages"),
    QStringLiteral("customer_mappings"),
    QStringLiteral("field_mappings"),
    QStringLiteral("pending_writes"),
    QStringLiteral("cursors"),
    QStringLiteral("hubspot_companies_cache"),
    QStringLiteral("halo_customers_cache"),
    QStringLiteral("halo_sites_cache"),
    QStringLiteral("halo_fields_cache"),
};

} // namespace halospot::core::testing
