// The Activity view's rows: what happened, when, where — connections, runs and notifications.
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QString>

namespace halospot::gui {

class ActivityModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivityModel)

public:
    enum Column
    {
        TimeColumn,
        SourceColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role
    {
        IsErrorRole = Qt::UserRole + 1,
        RawValueRole, // the time as QDateTime, the text otherwise (sorting)
    };

    struct Entry
    {
        QDateTime time; // local time
        QString source;
        QString message;
        bool isError = false;
    };

    explicit ActivityModel(QObject *parent = nullptr);

    // The view keeps the newest entries; older ones fall off past this many.
    static constexpr int maxEntries = 5000;

    void add(const QString &source, const QString &message, bool isError = false);
    const QList<Entry> &entries() const { return m_entries; }
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Entry> m_entries; // oldest first
};

} // namespace halospot::gui
