// The fake HubSpot's search endpoint: HubSpotSearch's semantics over the store, with the
// 10 000-result cap and the exact-lookup shortcut that keeps large datasets fast.
#include "FakeHubSpot.h"

#include <algorithm>
#include <vector>

namespace halospot::sandbox {

namespace {

// The default text fields HubSpot searches for `query`.
const QStringList &queryFields(ObjectKind kind)
{
    static const QStringList companies{QStringLiteral("website"), QStringLiteral("phone"),
                                       QStringLiteral("name"), QStringLiteral("domain")};
    static const QStringList contacts{QStringLiteral("firstname"),
                                      QStringLiteral("lastname"),
                                      QStringLiteral("email"),
                                      QStringLiteral("phone"),
                                      QStringLiteral("hs_additional_emails"),
                                      QStringLiteral("fax"),
                                      QStringLiteral("mobilephone"),
                                      QStringLiteral("company")};
    return kind == ObjectKind::Company ? companies : contacts;
}

} // namespace

Response FakeHubSpot::search(const Request &request, const Route &r)
{
    ++m_searches;
    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        bool ok = false;
        QString parseError;
        body = request.json(&ok, &parseError).object();
        if (!ok)
            return invalidJson(parseError);
    }
    const PropertyTypes &types = HubSpotProperties::searchTypes(r.kind);
    const Result<SearchRequest> parsed = HubSpotSearch::parse(body, types);
    if (!parsed)
        return error(400, QStringLiteral("VALIDATION_ERROR"), parsed.error());
    const SearchRequest &req = parsed.value();
    constexpr qint64 Cap = 10000;
    if (req.after >= Cap)
        return error(400, QStringLiteral("VALIDATION_ERROR"),
                     QStringLiteral("The search API returns at most %1 results for a query; "
                                    "`after` %2 is past that limit. Narrow the query instead "
                                    "(e.g. filter on hs_object_id).")
                         .arg(Cap)
                         .arg(req.after));
    const QString associationKey = QStringLiteral("associations.company");
    bool needsAssociations = false;
    for (const auto &group : req.groups) {
        for (const SearchFilter &f : group)
            needsAssociations |= f.propertyName == associationKey;
    }
    const auto withAssociations = [&](StoredObject &o) {
        if (!needsAssociations || r.kind != ObjectKind::Contact)
            return;
        QStringList ids;
        for (qint64 c : associatedCompanies(o))
            ids << QString::number(c);
        o.props.insert(associationKey, ids.join(u';'));
    };

    // Exact lookups (every group pins hs_object_id, or a contact's e-mail, with EQ/IN) only look
    // at those records instead of scanning all of them.
    std::optional<QList<qint64>> narrowed;
    if (!req.groups.isEmpty()) {
        QSet<qint64> ids;
        bool pinned = true;
        for (const auto &group : req.groups) {
            bool groupPinned = false;
            for (const SearchFilter &f : group) {
                if (f.op != QLatin1String("EQ") && f.op != QLatin1String("IN"))
                    continue;
                const QStringList values =
                    f.op == QLatin1String("EQ") ? QStringList{f.value} : f.values;
                if (f.propertyName == QLatin1String("hs_object_id")) {
                    for (const QString &v : values)
                        ids.insert(v.trimmed().toLongLong());
                } else if (r.kind == ObjectKind::Contact &&
                           f.propertyName == QLatin1String("email")) {
                    for (const QString &v : values)
                        ids.insert(m_store.findContactByEmail(v));
                } else {
                    continue;
                }
                groupPinned = true;
                break;
            }
            pinned &= groupPinned;
        }
        if (pinned) {
            QList<qint64> sorted(ids.cbegin(), ids.cend());
            std::sort(sorted.begin(), sorted.end());
            narrowed = sorted;
        }
    }

    QList<qint64> matched;
    std::vector<Props>
        keys; // only what the sort needs, so a search over 500 000 records stays small
    const auto consider = [&](qint64 id) {
        std::optional<StoredObject> o = m_store.get(r.kind, id);
        if (!o || o->archived)
            return;
        withAssociations(*o);
        if (!HubSpotSearch::matches(req, o->props, types, queryFields(r.kind)))
            return;
        if (req.sortProperty.isEmpty()) {
            matched << id; // default order is creation order, which is id order in this store
            return;
        }
        Props key{{QStringLiteral("hs_object_id"), QString::number(id)}};
        if (o->props.contains(req.sortProperty))
            key.insert(req.sortProperty, o->props.value(req.sortProperty));
        if (req.sortProperty != QLatin1String("createdate"))
            key.insert(QStringLiteral("createdate"), o->props.value(QStringLiteral("createdate")));
        keys.push_back(std::move(key));
    };
    if (narrowed) {
        for (qint64 id : std::as_const(*narrowed))
            consider(id);
    } else {
        for (qint64 id = m_store.nextId(r.kind, 0, false); id > 0;
             id = m_store.nextId(r.kind, id + 1, false))
            consider(id);
    }
    if (!req.sortProperty.isEmpty()) {
        std::stable_sort(keys.begin(), keys.end(), [&](const Props &a, const Props &b) {
            return HubSpotSearch::lessThan(req, a, b, types);
        });
        for (const Props &key : keys)
            matched << key.value(QStringLiteral("hs_object_id")).toLongLong();
    }
    const qint64 total = matched.size();
    const qint64 end = qMin(qMin(req.after + req.limit, Cap), total);
    const QList<qint64> page =
        req.after < end ? matched.mid(req.after, end - req.after) : QList<qint64>{};
    QJsonArray results;
    for (qint64 id : std::as_const(page))
        results.append(objectJson(r.kind, *m_store.get(r.kind, id), req.properties, {}));
    QJsonObject out{{QStringLiteral("total"), total}, {QStringLiteral("results"), results}};
    const qint64 next = req.after + results.size();
    if (next < total && req.limit > 0)
        out.insert(QStringLiteral("paging"),
                   QJsonObject{{QStringLiteral("next"),
                                QJsonObject{{QStringLiteral("after"), QString::number(next)}}}});
    return Response::json(200, out);
}

} // namespace halospot::sandbox
