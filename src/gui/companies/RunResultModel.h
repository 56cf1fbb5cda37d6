// The result list of a run: a table over the run's items in the store, read in pages as the view
// scrolls (a run of 100 000 records never sits in memory), optionally limited to one action.
// Grows while the run is going (call refresh() when the engine hands out results).
#pragma once

#include "Catalog.h"
#include "StoreTypes.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QHash>
#include <QString>
#include <QStringList>

namespace halospot::core {
class Store;
}

namespace halospot::gui {

class RunResultModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunResultModel)

public:
    enum Column
    {
        CompanyColumn, // the HubSpot record: a company's name from the catalog, else the ID
        ActionColumn,  // "Created", "Updated", … (icon per action)
        HaloColumn,    // the Halo customer ID, empty for none
        DetailColumn,  // the reason, or the changes "CFindustry: Retail → Software; …"
        ColumnCount
    };
    static constexpr int kPageSize = 200;

    RunResultModel(const core::Store &store, const core::Catalog &catalog,
                   QObject *parent = nullptr);

    // What the run imports: Company (the default) or Contact; names the first column and the
    // Halo ID's tooltip ("Halo customer 12" / "Halo user 12").
    void setEntity(core::Entity entity);
    core::Entity entity() const { return m_entity; }
    // Shows run `runId` (0 = none); resets the model.
    void setRun(qint64 runId);
    qint64 runId() const { return m_runId; }
    // "" = every action, else one of
    // created|updated|unchanged|skipped|ambiguous|failed|filtered_out, or "!" and one of them for
    // every item but those (the tab's default, "!filtered_out").
    void setActionFilter(const QString &action);
    QString actionFilter() const { return m_action; }
    // Counts the items recorded since the last look (only those: cheap however long the run)
    // and appends the new rows (rowsInserted); pages already read stay.
    void refresh();
    // Items of the run per action ("" = all, "!x" = all but x), whatever the filter; kept up to
    // date by refresh().
    qint64 actionCount(const QString &action) const;
    core::RunItem item(int row) const; // reads the page if needed

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString actionLabel(const QString &action); // "created" -> "Created"
    static QString changesText(const QJsonObject &changes);

    // The last read failure (a sentence), empty when the last read worked.
    QString lastError() const { return m_error; }
    // How many pages are held right now (at most 25), for tests.
    int cachedPages() const { return int(m_pages.count()); }

private:
    // One page of rows and the company names the catalog gave for them when it was read.
    struct Page
    {
        QList<core::RunItem> items;
        QStringList names;
    };
    static constexpr int kCachedPages = 25; // 5 000 rows at most in memory
    const Page *page(qint64 number) const;
    void recount();
    bool tallyNewItems(); // adds the items recorded after m_maxId to the counts

    const core::Store &m_store;
    const core::Catalog &m_catalog;
    core::Entity m_entity = core::Entity::Company;
    qint64 m_runId = 0;
    QString m_action;
    qint64 m_count = 0;
    QHash<QString, qint64> m_perAction; // every item of the run counted so far
    qint64 m_total = 0;
    qint64 m_maxId = 0;                   // the newest item counted
    mutable QCache<qint64, Page> m_pages; // page number -> rows
    mutable QString m_error;
};

} // namespace halospot::gui
