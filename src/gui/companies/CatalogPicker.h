// A type-ahead picker over the picker caches: a line edit whose completer asks the catalog on each
// keystroke (at most 50 rows, index-backed, so it stays quick with 100 000 records). Picks a
// HubSpot company, a Halo customer, or a site (optionally of one customer); also small in-memory
// lists (HubSpot properties, Halo fields) matched by label or internal name.
#pragma once

#include "Catalog.h"

#include <QAbstractListModel>
#include <QLineEdit>
#include <QVariant>

class QCompleter;

namespace halospot::gui {

class CatalogSearchModel;

class CatalogPicker final : public QLineEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogPicker)

public:
    enum class Kind
    {
        Company,  // value: QString HubSpot ID
        Customer, // value: qint64 customer ID
        Site,     // value: qint64 site ID
        Property, // value: QString property name (from setProperties)
        Field,    // value: int field ID (from setFields)
    };

    CatalogPicker(const core::Catalog &catalog, Kind kind, QWidget *parent = nullptr);

    void setSiteCustomer(qint64 clientId); // Site: only this customer's sites (0 = all)
    void setProperties(const QList<core::PropertyDef> &properties);
    void setFields(const QList<core::HaloFieldDef> &fields);

    // The picked value; invalid while the text does not name a picked row.
    QVariant value() const { return m_value; }
    // Shows the row of `value` (looked up in the catalog) or clears the picker.
    void setValue(const QVariant &value);
    // The completer's model, for tests.
    CatalogSearchModel *searchModel() const { return m_model; }

Q_SIGNALS:
    void picked(const QVariant &value); // a row was chosen (mouse, Enter, or exact text match)

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onTextEdited(const QString &text);
    void showRows(const QString &text);
    void pickExactMatch();
    void choose(const QString &text, const QVariant &value);

    const core::Catalog &m_catalog;
    Kind m_kind;
    CatalogSearchModel *m_model;
    QCompleter *m_completer;
    QVariant m_value;
};

// The completer's rows: display text, Qt::UserRole = value, Qt::ToolTipRole = details.
class CatalogSearchModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogSearchModel)

public:
    CatalogSearchModel(const core::Catalog &catalog, CatalogPicker::Kind kind,
                       QObject *parent = nullptr);
    void setSiteCustomer(qint64 clientId);
    void setProperties(const QList<core::PropertyDef> &properties);
    void setFields(const QList<core::HaloFieldDef> &fields);
    static constexpr int kLimit = 50;
    // Runs the search (resets the model); limit 50.
    void search(const QString &text);
    // The row text for a value (as the search would show it), or "Unknown company 123 (not in
    // the last refresh)" when the catalog does not know it.
    QString textFor(const QVariant &value) const;
    // Why the last search found nothing because the catalog could not be read; else empty.
    QString lastError() const { return m_error; }
    // The text of the last search().
    QString searchedText() const { return m_text; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString text;
        QString tip;
        QVariant value;
    };
    QList<Row> findRows(const QString &text) const;

    const core::Catalog &m_catalog;
    CatalogPicker::Kind m_kind;
    qint64 m_clientId = 0;
    QList<core::PropertyDef> m_properties;
    QList<core::HaloFieldDef> m_fields;
    QString m_text;
    QList<Row> m_rows;
    mutable QString m_error;
};

} // namespace halospot::gui
