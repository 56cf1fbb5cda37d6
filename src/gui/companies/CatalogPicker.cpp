// The type-ahead picker: a line edit, a completer popup and a model that asks the catalog again
// on every keystroke instead of filtering a list held in memory.
#include "CatalogPicker.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>

namespace halospot::gui {

namespace {

QString labelled(const QString &label, const QString &name)
{
    if (label.isEmpty() || label == name)
        return name;
    return QStringLiteral("%1 (%2)").arg(label, name);
}

} // namespace

// --- CatalogSearchModel ---

CatalogSearchModel::CatalogSearchModel(const core::Catalog &catalog, CatalogPicker::Kind kind,
                                       QObject *parent)
    : QAbstractListModel(parent)
    , m_catalog(catalog)
    , m_kind(kind)
{}

void CatalogSearchModel::setSiteCustomer(qint64 clientId)
{
    m_clientId = clientId;
}

void CatalogSearchModel::setProperties(const QList<core::PropertyDef> &properties)
{
    m_properties = properties;
}

void CatalogSearchModel::setFields(const QList<core::HaloFieldDef> &fields)
{
    m_fields = fields;
}

QList<CatalogSearchModel::Row> CatalogSearchModel::findRows(const QString &text) const
{
    QList<Row> rows;
    m_error.clear();
    switch (m_kind) {
    case CatalogPicker::Kind::Company: {
        const auto found = m_catalog.searchCompanies(text, kLimit);
        if (!found) {
            m_error = found.error();
            break;
        }
        for (const core::CatalogCompany &c : found.value())
            rows.append(Row{c.display(), tr("HubSpot company ID %1").arg(c.id), c.id});
        break;
    }
    case CatalogPicker::Kind::Customer: {
        const auto found = m_catalog.searchCustomers(text, kLimit);
        if (!found) {
            m_error = found.error();
            break;
        }
        for (const core::CatalogCustomer &c : found.value())
            rows.append(Row{c.display(), tr("Halo customer ID %1").arg(c.id), c.id});
        break;
    }
    case CatalogPicker::Kind::Site: {
        const auto found = m_catalog.searchSites(text, m_clientId, kLimit);
        if (!found) {
            m_error = found.error();
            break;
        }
        for (const core::CatalogSite &s : found.value())
            rows.append(Row{s.display(), tr("Halo site ID %1").arg(s.id), s.id});
        break;
    }
    case CatalogPicker::Kind::Property: {
        // A few hundred definitions at most: matched here, prefix matches first.
        const QString needle = text.trimmed();
        QList<Row> later;
        for (const core::PropertyDef &p : m_properties) {
            if (p.hidden)
                continue;
            const bool prefix = p.label.startsWith(needle, Qt::CaseInsensitive) ||
                                p.name.startsWith(needle, Qt::CaseInsensitive);
            const bool contains = prefix || p.label.contains(needle, Qt::CaseInsensitive) ||
                                  p.name.contains(needle, Qt::CaseInsensitive);
            if (!contains)
                continue;
            QString tip = tr("Type %1 / %2").arg(p.type, p.fieldType);
            if (p.readOnly || p.calculated)
                tip += QLatin1Char('\n') + tr("Read-only in HubSpot: import only.");
            (prefix ? rows : later).append(Row{labelled(p.label, p.name), tip, p.name});
        }
        rows += later;
        break;
    }
    case CatalogPicker::Kind::Field: {
        const QString needle = text.trimmed();
        QList<Row> later;
        for (const core::HaloFieldDef &f : m_fields) {
            const bool prefix = f.label.startsWith(needle, Qt::CaseInsensitive) ||
                                f.name.startsWith(needle, Qt::CaseInsensitive);
            const bool contains = prefix || f.label.contains(needle, Qt::CaseInsensitive) ||
                                  f.name.contains(needle, Qt::CaseInsensitive);
            if (!contains)
                continue;
            const QString tip =
                tr("Halo field ID %1, type %2").arg(f.id).arg(core::haloFieldTypeName(f.type));
            (prefix ? rows : later).append(Row{labelled(f.label, f.name), tip, f.id});
        }
        rows += later;
        break;
    }
    }
    if (rows.size() > kLimit)
        rows.resize(kLimit);
    return rows;
}

void CatalogSearchModel::search(const QString &text)
{
    QList<Row> rows = findRows(text);
    beginResetModel();
    m_text = text;
    m_rows = std::move(rows);
    endResetModel();
}

QString CatalogSearchModel::textFor(const QVariant &value) const
{
    if (!value.isValid() || value.isNull())
        return {};
    switch (m_kind) {
    case CatalogPicker::Kind::Company: {
        const auto found = m_catalog.company(value.toString());
        if (found.ok() && found.value())
            return found.value()->display();
        return tr("Unknown company %1 (not in the last refresh)").arg(value.toString());
    }
    case CatalogPicker::Kind::Customer: {
        const auto found = m_catalog.customer(value.toLongLong());
        if (found.ok() && found.value())
            return found.value()->display();
        return tr("Unknown customer %1 (not in the last refresh)").arg(value.toLongLong());
    }
    case CatalogPicker::Kind::Site: {
        const auto found = m_catalog.site(value.toLongLong());
        if (found.ok() && found.value())
            return found.value()->display();
        return tr("Unknown site %1 (not in the last refresh)").arg(value.toLongLong());
    }
    case CatalogPicker::Kind::Property:
        for (const core::PropertyDef &p : m_properties) {
            if (p.name == value.toString())
                return labelled(p.label, p.name);
        }
        return tr("Unknown property %1 (not in the last refresh)").arg(value.toString());
    case CatalogPicker::Kind::Field:
        for (const core::HaloFieldDef &f : m_fields) {
            if (f.id == value.toInt())
                return labelled(f.label, f.name);
        }
        return tr("Unknown field %1 (not in the last refresh)").arg(value.toInt());
    }
    return {};
}

int CatalogSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant CatalogSearchModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return row.text;
    case Qt::ToolTipRole:
        return row.tip;
    case Qt::UserRole:
        return row.value;
    default:
        return {};
    }
}

// --- CatalogPicker ---

CatalogPicker::CatalogPicker(const core::Catalog &catalog, Kind kind, QWidget *parent)
    : QLineEdit(parent)
    , m_catalog(catalog)
    , m_kind(kind)
    , m_model(new CatalogSearchModel(catalog, kind, this))
    , m_completer(new QCompleter(m_model, this))
{
    // The model is already the search result: the completer must show it as it is.
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setMaxVisibleItems(12);
    // Not QLineEdit::setCompleter(): the picker decides itself when to search and what a pick
    // writes into the line edit (the row's text, and the ID as value()).
    m_completer->setWidget(this);
    setClearButtonEnabled(true);
    switch (kind) {
    case Kind::Company:
        setPlaceholderText(tr("Type a HubSpot company name, domain or ID"));
        break;
    case Kind::Customer:
        setPlaceholderText(tr("Type a Halo customer name or ID"));
        break;
    case Kind::Site:
        setPlaceholderText(tr("Type a Halo site name"));
        break;
    case Kind::Property:
        setPlaceholderText(tr("Type a HubSpot property label or name"));
        break;
    case Kind::Field:
        setPlaceholderText(tr("Type a Halo field label or name"));
        break;
    }

    connect(this, &QLineEdit::textEdited, this, &CatalogPicker::onTextEdited);
    connect(this, &QLineEdit::editingFinished, this, &CatalogPicker::pickExactMatch);
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this,
            [this](const QModelIndex &index) {
                choose(index.data(Qt::DisplayRole).toString(), index.data(Qt::UserRole));
            });
}

void CatalogPicker::setSiteCustomer(qint64 clientId)
{
    m_model->setSiteCustomer(clientId);
    if (m_kind != Kind::Site || clientId <= 0 || !m_value.isValid())
        return;
    // A site picked for another customer no longer fits.
    const auto site = m_catalog.site(m_value.toLongLong());
    if (site.ok() && site.value() && site.value()->clientId != clientId) {
        m_value = {};
        clear();
    }
}

void CatalogPicker::setProperties(const QList<core::PropertyDef> &properties)
{
    m_model->setProperties(properties);
}

void CatalogPicker::setFields(const QList<core::HaloFieldDef> &fields)
{
    m_model->setFields(fields);
}

void CatalogPicker::setValue(const QVariant &value)
{
    if (!value.isValid() || value.isNull()) {
        m_value = {};
        clear();
        return;
    }
    m_value = value;
    setText(m_model->textFor(value));
}

void CatalogPicker::keyPressEvent(QKeyEvent *event)
{
    // Down opens the list without typing (the first rows by name, or the rows for the text).
    if (event->key() == Qt::Key_Down && event->modifiers() == Qt::NoModifier &&
        !m_completer->popup()->isVisible()) {
        showRows(text());
        event->accept();
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void CatalogPicker::onTextEdited(const QString &text)
{
    // The text no longer names the row that was picked.
    m_value = {};
    showRows(text);
}

void CatalogPicker::showRows(const QString &text)
{
    m_model->search(text);
    if (m_model->rowCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(text);
    m_completer->complete();
}

void CatalogPicker::pickExactMatch()
{
    const QString typed = text().trimmed();
    if (m_value.isValid() || typed.isEmpty())
        return;
    // Enter in the popup reaches the line edit first, while the completer still holds an index
    // into the rows: they are searched again only when they are not this text's already.
    if (m_model->searchedText() != text())
        m_model->search(text());
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex at = m_model->index(row, 0);
        const QString rowText = at.data(Qt::DisplayRole).toString();
        const QVariant value = at.data(Qt::UserRole);
        if (rowText.compare(typed, Qt::CaseInsensitive) == 0 || value.toString() == typed) {
            choose(rowText, value);
            return;
        }
    }
}

void CatalogPicker::choose(const QString &text, const QVariant &value)
{
    // Enter on a row whose text was typed exactly picks it twice (text match, then popup).
    const bool again = m_value.isValid() && m_value == value && this->text() == text;
    m_completer->popup()->hide();
    setText(text);
    m_value = value;
    if (!again)
        Q_EMIT picked(value);
}

} // namespace halospot::gui
