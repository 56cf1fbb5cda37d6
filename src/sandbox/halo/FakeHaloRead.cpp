// FakeHalo's read side: list queries with Halo's paging and filters, single GETs, FieldInfo, and
// the JSON of each record (list rows carry fewer fields than single GETs, as in Halo).
#include "FakeHalo.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>

namespace halospot::sandbox {

namespace {

std::optional<bool> boolParam(const QUrlQuery &query, const QString &key)
{
    if (!query.hasQueryItem(key))
        return std::nullopt;
    const QString v = query.queryItemValue(key, QUrl::FullyDecoded).trimmed().toLower();
    if (v == QLatin1String("true") || v == QLatin1String("1") || v.isEmpty())
        return true;
    if (v == QLatin1String("false") || v == QLatin1String("0"))
        return false;
    return std::nullopt;
}

int intParam(const QUrlQuery &query, const QString &key, int fallback)
{
    bool ok = false;
    const int v = query.queryItemValue(key, QUrl::FullyDecoded).trimmed().toInt(&ok);
    return ok ? v : fallback;
}

bool contains(const QString &haystack, const QString &needle)
{
    return haystack.contains(needle, Qt::CaseInsensitive);
}

const char *pluralOf(int kind)
{
    switch (kind) {
    case 0:
        return "clients";
    case 1:
        return "sites";
    default:
        return "users";
    }
}

} // namespace

QString FakeHalo::timestamp(qint64 utcMs)
{
    // Halo writes timestamps in UTC without a zone designator (reference §2).
    return QDateTime::fromMSecsSinceEpoch(utcMs, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"));
}

FakeHalo::ListParams FakeHalo::listParams(const Request &request)
{
    const QUrlQuery &q = request.query;
    ListParams p;
    p.paginate = boolParam(q, QStringLiteral("pageinate")).value_or(false);
    // No page_size: 50 (what SDKs default to; Halo's own default is UNCONFIRMED).
    p.pageSize = qMax(1, intParam(q, QStringLiteral("page_size"), 50));
    p.pageNo = qMax(1, intParam(q, QStringLiteral("page_no"), 1));
    p.count = intParam(q, QStringLiteral("count"), -1);
    p.search = q.queryItemValue(QStringLiteral("search"), QUrl::FullyDecoded).trimmed();
    if (q.hasQueryItem(QStringLiteral("search_name_only"))) {
        // A flag in the swagger, but used as `search_name_only=<name>` in the wild: take both.
        const std::optional<bool> flag = boolParam(q, QStringLiteral("search_name_only"));
        if (flag) {
            p.searchNameOnly = *flag;
        } else {
            p.searchNameOnly = true;
            p.search =
                q.queryItemValue(QStringLiteral("search_name_only"), QUrl::FullyDecoded).trimmed();
        }
    }
    // Default: active records only (reference §3.1, UNCONFIRMED).
    p.active = boolParam(q, QStringLiteral("includeactive")).value_or(true);
    p.inactive = boolParam(q, QStringLiteral("includeinactive")).value_or(false);
    const QStringList both = request.queryList(QStringLiteral("activeinactive"));
    if (both.size() == 2) {
        p.active = both.at(0).compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
        p.inactive = both.at(1).compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    }
    p.order = q.queryItemValue(QStringLiteral("order"), QUrl::FullyDecoded).trimmed().toLower();
    p.desc = boolParam(q, QStringLiteral("orderdesc")).value_or(false);
    p.idOnly = boolParam(q, QStringLiteral("idonly")).value_or(false);
    p.notes = boolParam(q, QStringLiteral("includenotes")).value_or(false);
    if (q.hasQueryItem(QStringLiteral("include_custom_fields"))) {
        // `include_custom_fields=<ids>` (reference §3.1); `true` or `all` gives every field.
        const QStringList ids = request.queryList(QStringLiteral("include_custom_fields"));
        p.customFields = true;
        for (const QString &id : ids) {
            bool ok = false;
            const int n = id.toInt(&ok);
            if (ok)
                p.customFieldIds << n;
        }
        if (p.customFieldIds.isEmpty() && !ids.isEmpty() &&
            ids.constFirst().compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            p.customFields = false;
    }
    p.clientId = intParam(q, QStringLiteral("client_id"), 0);
    p.siteId = intParam(q, QStringLiteral("site_id"), 0);
    p.topLevelId = intParam(q, QStringLiteral("toplevel_id"), 0);
    return p;
}

std::vector<int> FakeHalo::matching(Kind kind, const ListParams &p) const
{
    const bool byName = p.order == QLatin1String("name");
    const auto activeOk = [&p](bool inactive) { return inactive ? p.inactive : p.active; };
    const auto clientOk = [this, &p](int clientId) {
        if (p.topLevelId <= 0)
            return true;
        const HaloClientRec *c = m_store.client(clientId);
        return c && c->topLevelId == p.topLevelId;
    };

    // Candidates in id order: a client's index when filtered by client, else every slot.
    std::vector<int> candidates;
    const auto fromSlots = [&candidates](const auto &slots) {
        candidates.reserve(slots.size());
        for (const auto &rec : slots) {
            if (rec.id != 0)
                candidates.push_back(rec.id);
        }
    };
    int filterClient = p.clientId;
    if (kind == Kind::User && filterClient <= 0 && p.siteId > 0) {
        const HaloSiteRec *s = m_store.site(p.siteId);
        filterClient = s ? s->clientId : -1;
    }
    if (kind != Kind::Client && filterClient != 0) {
        const QList<int> ids = kind == Kind::Site ? m_store.sitesOfClient(filterClient)
                                                  : m_store.usersOfClient(filterClient);
        candidates.assign(ids.cbegin(), ids.cend());
    } else if (byName) {
        // Sorting 500 000 names for every page would be slow: keep one sorted copy per kind.
        const int key = int(kind);
        if (m_byNameVersion.value(key, ~quint64(0)) != m_version) {
            std::vector<int> &sorted = m_byName[key];
            sorted.clear();
            candidates.clear();
            if (kind == Kind::Client)
                fromSlots(m_store.clientSlots());
            else if (kind == Kind::Site)
                fromSlots(m_store.siteSlots());
            else
                fromSlots(m_store.userSlots());
            sorted.swap(candidates);
            // Names are computed once (users store theirs only when it is not derived).
            std::vector<QString> names;
            names.reserve(sorted.size());
            for (int id : sorted) {
                if (kind == Kind::Client)
                    names.push_back(m_store.client(id)->name);
                else if (kind == Kind::Site)
                    names.push_back(m_store.site(id)->name);
                else
                    names.push_back(m_store.user(id)->displayName());
            }
            std::vector<size_t> order(sorted.size());
            for (size_t i = 0; i < order.size(); ++i)
                order[i] = i;
            std::stable_sort(order.begin(), order.end(), [&names](size_t a, size_t b) {
                return names[a].compare(names[b], Qt::CaseInsensitive) < 0;
            });
            std::vector<int> reordered(sorted.size());
            for (size_t i = 0; i < order.size(); ++i)
                reordered[i] = sorted[order[i]];
            sorted.swap(reordered);
            m_byNameVersion.insert(key, m_version);
        }
        candidates = m_byName.value(key);
    } else if (kind == Kind::Client) {
        fromSlots(m_store.clientSlots());
    } else if (kind == Kind::Site) {
        fromSlots(m_store.siteSlots());
    } else {
        fromSlots(m_store.userSlots());
    }

    std::vector<int> out;
    for (int id : candidates) {
        bool keep = false;
        if (kind == Kind::Client) {
            const HaloClientRec &c = *m_store.client(id);
            keep = activeOk(c.inactive) && (p.topLevelId <= 0 || c.topLevelId == p.topLevelId) &&
                   (p.search.isEmpty() || contains(c.name, p.search));
        } else if (kind == Kind::Site) {
            const HaloSiteRec &s = *m_store.site(id);
            keep = activeOk(s.inactive) && clientOk(s.clientId) &&
                   (p.siteId <= 0 || s.id == p.siteId) &&
                   (p.search.isEmpty() || contains(s.name, p.search));
        } else {
            const HaloUserRec &u = *m_store.user(id);
            keep = activeOk(u.inactive) && clientOk(u.clientId) &&
                   (p.siteId <= 0 || u.siteId == p.siteId) &&
                   (p.search.isEmpty() || contains(u.displayName(), p.search) ||
                    (!p.searchNameOnly && contains(u.email, p.search)));
        }
        if (keep)
            out.push_back(id);
    }
    if (byName && filterClient != 0 && kind != Kind::Client) {
        std::stable_sort(out.begin(), out.end(), [this, kind](int a, int b) {
            const QString na =
                kind == Kind::Site ? m_store.site(a)->name : m_store.user(a)->displayName();
            const QString nb =
                kind == Kind::Site ? m_store.site(b)->name : m_store.user(b)->displayName();
            return na.compare(nb, Qt::CaseInsensitive) < 0;
        });
    }
    // Anything but `name` orders by id (Halo's own default order is UNCONFIRMED).
    if (p.desc)
        std::reverse(out.begin(), out.end());
    return out;
}

Response FakeHalo::list(Kind kind, const Request &request)
{
    const ListParams p = listParams(request);
    const QString key = QStringList{p.search,
                                    QString::number(p.searchNameOnly),
                                    QString::number(p.active),
                                    QString::number(p.inactive),
                                    p.order,
                                    QString::number(p.desc),
                                    QString::number(p.clientId),
                                    QString::number(p.siteId),
                                    QString::number(p.topLevelId)}
                            .join(QChar(0x1f));
    MatchCache &cache = m_matchCache[int(kind)];
    if (cache.version != m_version || cache.key != key) {
        cache.ids = matching(kind, p);
        cache.key = key;
        cache.version = m_version;
    }
    const std::vector<int> &ids = cache.ids;

    qsizetype from = 0;
    qsizetype to = qsizetype(ids.size());
    if (p.paginate) {
        from = qMin<qsizetype>(to, qsizetype(p.pageNo - 1) * p.pageSize);
        to = qMin<qsizetype>(to, from + p.pageSize);
    } else if (p.count > 0) {
        to = qMin<qsizetype>(to, p.count);
    }

    // Rows are serialised one at a time: a 500 000-user list never exists as one QJsonArray.
    QByteArray body = "{\"record_count\":" + QByteArray::number(qint64(ids.size()));
    if (p.paginate) {
        body += ",\"page_no\":" + QByteArray::number(p.pageNo) +
                ",\"page_size\":" + QByteArray::number(p.pageSize);
    }
    body += ",\"";
    body += pluralOf(int(kind));
    body += "\":[";
    for (qsizetype i = from; i < to; ++i) {
        const int id = ids[size_t(i)];
        QJsonObject row;
        if (p.idOnly)
            row = QJsonObject{{QStringLiteral("id"), id}};
        else if (kind == Kind::Client)
            row = clientJson(*m_store.client(id), false, &p);
        else if (kind == Kind::Site)
            row = siteJson(*m_store.site(id), false);
        else
            row = userJson(*m_store.user(id), false, &p);
        if (i > from)
            body += ',';
        body += toJsonBytes(row);
    }
    body += "]}";
    return Response::text(200, body, "application/json;charset=utf-8");
}

Response FakeHalo::getOne(Kind kind, int id) const
{
    switch (kind) {
    case Kind::Client:
        if (const HaloClientRec *c = m_store.client(id))
            return Response::json(200, clientJson(*c, true, nullptr));
        return HaloError::notFound(QStringLiteral("Client %1 not found.").arg(id)).toResponse();
    case Kind::Site:
        if (const HaloSiteRec *s = m_store.site(id))
            return Response::json(200, siteJson(*s, true));
        return HaloError::notFound(QStringLiteral("Site %1 not found.").arg(id)).toResponse();
    case Kind::User:
        if (const HaloUserRec *u = m_store.user(id))
            return Response::json(200, userJson(*u, true, nullptr));
        return HaloError::notFound(QStringLiteral("User %1 not found.").arg(id)).toResponse();
    }
    return Response::empty(500);
}

Response FakeHalo::fieldInfo(const Request &request, int id) const
{
    if (id >= 0) {
        const HaloFieldDef *d = m_fields.find(id);
        if (!d)
            return HaloError::notFound(QStringLiteral("Field %1 not found.").arg(id)).toResponse();
        return Response::json(200, HaloFieldCatalog::definitionJson(*d));
    }
    // The list is a bare array (reference §6.1).
    const int typeId = intParam(request.query, QStringLiteral("typeid"), -1);
    const int fieldType = intParam(request.query, QStringLiteral("fieldtype"), -1);
    const int inputType = intParam(request.query, QStringLiteral("inputtype"), -1);
    QJsonArray out;
    for (const HaloFieldDef &d : m_fields.all()) {
        if ((typeId < 0 || d.typeId == typeId) && (fieldType < 0 || int(d.type) == fieldType) &&
            (inputType < 0 || d.inputType == inputType))
            out.append(HaloFieldCatalog::definitionJson(d));
    }
    return Response::json(200, out);
}

QJsonArray FakeHalo::customFieldsJson(int typeId, const HaloCustomValues &values,
                                      const QList<int> &only) const
{
    // Every field of the entity is listed, unset ones with a null value (as Halo lists them all).
    QJsonArray out;
    for (const HaloFieldDef &d : m_fields.all()) {
        if (d.typeId != typeId || (!only.isEmpty() && !only.contains(d.id)))
            continue;
        const QString stored = customValue(values, d.id);
        out.append(QJsonObject{
            {QStringLiteral("id"), d.id},
            {QStringLiteral("name"), d.name},
            {QStringLiteral("label"), d.label},
            {QStringLiteral("type"), int(d.type)},
            {QStringLiteral("inputtype"), d.inputType},
            {QStringLiteral("value"), HaloFieldCatalog::jsonValue(d, stored)},
            {QStringLiteral("display"), HaloFieldCatalog::display(d, stored)},
        });
    }
    return out;
}

QJsonObject FakeHalo::clientJson(const HaloClientRec &c, bool full, const ListParams *row) const
{
    QJsonObject o{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("inactive"), c.inactive},
        {QStringLiteral("toplevel_id"), c.topLevelId},
        {QStringLiteral("toplevel_name"), HaloStore::topLevelName(c.topLevelId)},
        {QStringLiteral("website"), c.website},
        {QStringLiteral("ref"), c.ref},
        {QStringLiteral("main_site_id"), c.mainSiteId},
        {QStringLiteral("hubspot_id"), c.hubspotId},
        {QStringLiteral("alastupdate"), timestamp(c.updatedMs)},
    };
    if (full || (row && row->notes))
        o.insert(QStringLiteral("notes"), c.notes);
    if (full || (row && row->customFields))
        o.insert(QStringLiteral("customfields"),
                 customFieldsJson(kHaloClientFields, c.custom,
                                  row ? row->customFieldIds : QList<int>()));
    if (full) {
        const HaloSiteRec *main = m_store.site(c.mainSiteId);
        o.insert(QStringLiteral("main_site_name"), main ? main->name : QString());
        o.insert(QStringLiteral("main_phonenumber"), main ? main->phonenumber : QString());
        o.insert(QStringLiteral("datecreated"), timestamp(c.createdMs));
        o.insert(QStringLiteral("hubspot_url"), QString());
        o.insert(QStringLiteral("hubspot_dont_sync"), false);
        o.insert(QStringLiteral("colour"), QString());
        o.insert(QStringLiteral("is_vip"), false);
        o.insert(QStringLiteral("customertype"), 0);
    }
    return o;
}

QJsonObject FakeHalo::siteJson(const HaloSiteRec &s, bool full) const
{
    const HaloClientRec *c = m_store.client(s.clientId);
    const QString clientName = c ? c->name : QString();
    QJsonObject o{
        {QStringLiteral("id"), s.id},
        {QStringLiteral("name"), s.name},
        {QStringLiteral("client_id"), s.clientId},
        {QStringLiteral("client_name"), clientName},
        {QStringLiteral("clientsite_name"), clientName + QLatin1String(" / ") + s.name},
        {QStringLiteral("inactive"), s.inactive},
        {QStringLiteral("phonenumber"), s.phonenumber},
    };
    if (full) {
        o.insert(QStringLiteral("notes"), s.notes);
        o.insert(QStringLiteral("hubspot_id"), s.hubspotId);
        o.insert(QStringLiteral("datecreated"), timestamp(s.createdMs));
        o.insert(QStringLiteral("slastupdate"), timestamp(s.updatedMs));
        o.insert(QStringLiteral("toplevel_id"), c ? c->topLevelId : 0);
        o.insert(QStringLiteral("ismainsite"), c && c->mainSiteId == s.id);
        o.insert(QStringLiteral("customfields"), QJsonArray());
    }
    return o;
}

QJsonObject FakeHalo::userJson(const HaloUserRec &u, bool full, const ListParams *row) const
{
    const HaloSiteRec *s = m_store.site(u.siteId);
    const HaloClientRec *c = m_store.client(u.clientId);
    QJsonObject o{
        {QStringLiteral("id"), u.id},
        {QStringLiteral("name"), u.displayName()},
        {QStringLiteral("firstname"), u.firstname},
        {QStringLiteral("surname"), u.surname},
        {QStringLiteral("emailaddress"), u.email},
        {QStringLiteral("phonenumber"), u.phonenumber},
        {QStringLiteral("site_id"), u.siteId},
        {QStringLiteral("site_name"), s ? s->name : QString()},
        {QStringLiteral("client_id"), u.clientId},
        {QStringLiteral("client_name"), c ? c->name : QString()},
        {QStringLiteral("inactive"), u.inactive},
        {QStringLiteral("hubspot_id"), u.hubspotId},
        {QStringLiteral("ulastupdate"), timestamp(u.updatedMs)},
    };
    if (full || (row && row->notes))
        o.insert(QStringLiteral("notes"), u.notes);
    if (full || (row && row->customFields))
        o.insert(
            QStringLiteral("customfields"),
            customFieldsJson(kHaloUserFields, u.custom, row ? row->customFieldIds : QList<int>()));
    if (full) {
        o.insert(QStringLiteral("site_id_int"), u.siteId);
        o.insert(QStringLiteral("mobilenumber"), u.mobilenumber);
        o.insert(QStringLiteral("title"), u.title);
        o.insert(QStringLiteral("datecreated"), timestamp(u.createdMs));
        o.insert(QStringLiteral("hubspot_url"), QString());
        o.insert(QStringLiteral("hubspot_dont_sync"), false);
        o.insert(QStringLiteral("isimportantcontact"), false);
        o.insert(QStringLiteral("ismaincontact"), false);
    }
    return o;
}

} // namespace halospot::sandbox
