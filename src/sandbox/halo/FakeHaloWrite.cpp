// FakeHalo's write side: POST of JSON arrays (an element with an id is a partial update, one
// without is a create) and DELETE. A batch is validated completely before anything is written: one
// invalid element rejects the whole array with a 400 naming the element's index and nothing
// changes, like a database transaction (real Halo's batch behaviour is UNCONFIRMED); a client
// isolates bad records by splitting the batch.
#include "FakeHalo.h"

#include <QStringList>

#include <cmath>

namespace halospot::sandbox {

namespace {

const char *kindName(int kind)
{
    switch (kind) {
    case 0:
        return "Client";
    case 1:
        return "Site";
    default:
        return "Users";
    }
}

// A scalar read as text (null = empty); nullopt for arrays and objects.
std::optional<QString> text(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return std::floor(d) == d ? QString::number(qint64(d)) : QString::number(d, 'g', 15);
    }
    default:
        return std::nullopt;
    }
}

std::optional<int> integer(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::floor(d) == d && std::abs(d) < 2e9)
            return int(d);
        return std::nullopt;
    }
    if (v.isString()) {
        bool ok = false;
        const int n = v.toString().trimmed().toInt(&ok);
        if (ok)
            return n;
    }
    if (v.isNull())
        return 0;
    return std::nullopt;
}

std::optional<bool> boolean(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool();
    if (v.isDouble())
        return v.toDouble() != 0;
    if (v.isNull())
        return false;
    const QString s = v.toString().trimmed().toLower();
    if (s == QLatin1String("true") || s == QLatin1String("1"))
        return true;
    if (s == QLatin1String("false") || s == QLatin1String("0"))
        return false;
    return std::nullopt;
}

QString describe(const char *kind, int index, const QString &name, int id)
{
    QString s = QStringLiteral("%1 [%2]").arg(QLatin1String(kind)).arg(index);
    if (!name.isEmpty())
        s += QStringLiteral(" '%1'").arg(name);
    if (id > 0)
        s += QStringLiteral(" (id %1)").arg(id);
    return s;
}

// Reads the text fields `keys` of `in` into `targets`; false (with a field error) on a non-scalar.
bool readTexts(const QJsonObject &in, int index, const QString &record,
               std::initializer_list<std::pair<const char *, QString *>> fields, HaloError *error)
{
    for (const auto &[key, target] : fields) {
        const QString k = QLatin1String(key);
        if (!in.contains(k))
            continue;
        const std::optional<QString> v = text(in.value(k));
        if (!v) {
            *error = HaloError::field(QStringLiteral("[%1].%2").arg(index).arg(k),
                                      QStringLiteral("%1: %2 must be text.").arg(record, k));
            return false;
        }
        *target = *v;
    }
    return true;
}

bool readInactive(const QJsonObject &in, int index, const QString &record, bool *target,
                  HaloError *error)
{
    if (!in.contains(QLatin1String("inactive")))
        return true;
    const std::optional<bool> v = boolean(in.value(QLatin1String("inactive")));
    if (!v) {
        *error =
            HaloError::field(QStringLiteral("[%1].inactive").arg(index),
                             QStringLiteral("%1: inactive must be true or false.").arg(record));
        return false;
    }
    *target = *v;
    return true;
}

// The id of an element: 0 for a create, -1 when the id is not an integer.
int elementId(const QJsonObject &in)
{
    if (!in.contains(QLatin1String("id")))
        return 0;
    const std::optional<int> id = integer(in.value(QLatin1String("id")));
    if (!id)
        return -1;
    return qMax(0, *id);
}

// What an element starts from: the stored record for an update (an id), a blank one for a create.
// `find` looks a record up by id; `entity` and `noun` name it in errors ("Users [2]: User 7 …").
template<typename Rec, typename Find>
std::optional<Rec> startingRecord(int index, const QJsonObject &in, const char *entity,
                                  const char *noun, Find find, int *id, HaloError *error)
{
    *id = elementId(in);
    if (*id < 0) {
        *error = HaloError::field(
            QStringLiteral("[%1].id").arg(index),
            QStringLiteral("%1 [%2]: id must be a number.").arg(QLatin1String(entity)).arg(index));
        return std::nullopt;
    }
    if (*id == 0)
        return Rec{};
    const Rec *current = find(*id);
    if (!current) {
        *error = HaloError::notFound(QStringLiteral("%1 [%2]: %3 %4 not found.")
                                         .arg(QLatin1String(entity))
                                         .arg(index)
                                         .arg(QLatin1String(noun))
                                         .arg(*id));
        return std::nullopt;
    }
    return *current;
}

} // namespace

bool FakeHalo::applyCustomFields(int typeId, const QString &record, const QJsonObject &in,
                                 HaloCustomValues &values, HaloError *error) const
{
    if (!in.contains(QLatin1String("customfields")))
        return true;
    const QJsonValue cf = in.value(QLatin1String("customfields"));
    if (cf.isNull())
        return true;
    if (!cf.isArray()) {
        *error = HaloError::customField(
            QStringLiteral("%1: customfields must be an array of {id, value}.").arg(record));
        return false;
    }
    const char *entity = typeId == kHaloClientFields ? "Client" : "Users";
    // Only the fields sent change; the others keep their values.
    const QJsonArray items = cf.toArray();
    for (const QJsonValue &item : items) {
        const QJsonObject o = item.toObject();
        const HaloFieldDef *def = nullptr;
        QString ref;
        if (o.contains(QLatin1String("id"))) {
            const std::optional<int> id = integer(o.value(QLatin1String("id")));
            ref =
                QStringLiteral("id %1").arg(text(o.value(QLatin1String("id"))).value_or(QString()));
            def = id ? m_fields.find(*id) : nullptr;
            if (def && def->typeId != typeId)
                def = nullptr;
        } else if (o.contains(QLatin1String("name"))) {
            ref = o.value(QLatin1String("name")).toString();
            def = m_fields.findByName(typeId, ref);
        } else {
            *error = HaloError::customField(
                QStringLiteral("%1: a customfields entry has neither id nor name.").arg(record));
            return false;
        }
        if (!def) {
            *error = HaloError::customField(
                QStringLiteral("%1: custom field %2 does not exist for %3 records.")
                    .arg(record, ref, QLatin1String(entity)));
            return false;
        }
        if (!o.contains(QLatin1String("value"))) {
            *error =
                HaloError::customField(QStringLiteral("%1: custom field %2 (id %3) has no value.")
                                           .arg(record, def->name)
                                           .arg(def->id));
            return false;
        }
        QString why;
        const std::optional<QString> stored =
            HaloFieldCatalog::normalize(*def, o.value(QLatin1String("value")), &why);
        if (!stored) {
            *error = HaloError::customField(QStringLiteral("%1: custom field %2 (id %3): %4.")
                                                .arg(record, def->name)
                                                .arg(def->id)
                                                .arg(why));
            return false;
        }
        setCustomValue(values, def->id, *stored);
    }
    return true;
}

std::optional<HaloClientRec> FakeHalo::buildClient(int index, const QJsonObject &in,
                                                   HaloError *error, QString *siteName,
                                                   QString *sitePhone) const
{
    int id = 0;
    std::optional<HaloClientRec> start = startingRecord<HaloClientRec>(
        index, in, "Client", "Client", [this](int n) { return m_store.client(n); }, &id, error);
    if (!start)
        return std::nullopt;
    HaloClientRec rec = *start;
    const QString before =
        describe("Client", index, in.value(QLatin1String("name")).toString(), id);
    if (!readTexts(in, index, before,
                   {{"name", &rec.name},
                    {"website", &rec.website},
                    {"notes", &rec.notes},
                    {"ref", &rec.ref},
                    {"hubspot_id", &rec.hubspotId},
                    {"newclient_sitename", siteName},
                    {"newclient_phonenumber", sitePhone}},
                   error) ||
        !readInactive(in, index, before, &rec.inactive, error))
        return std::nullopt;
    rec.name = rec.name.trimmed();
    const QString record = describe("Client", index, rec.name, id);
    if (rec.name.isEmpty()) {
        *error = HaloError::field(QStringLiteral("[%1].name").arg(index),
                                  QStringLiteral("%1: the name field is required.").arg(record));
        return std::nullopt;
    }
    if (in.contains(QLatin1String("toplevel_id"))) {
        const std::optional<int> top = integer(in.value(QLatin1String("toplevel_id")));
        if (!top || HaloStore::topLevelName(*top).isEmpty()) {
            *error = HaloError::field(QStringLiteral("[%1].toplevel_id").arg(index),
                                      QStringLiteral("%1: toplevel_id %2 does not exist.")
                                          .arg(record, text(in.value(QLatin1String("toplevel_id")))
                                                           .value_or(QStringLiteral("?"))));
            return std::nullopt;
        }
        rec.topLevelId = *top;
    }
    if (id > 0 && in.contains(QLatin1String("main_site_id"))) {
        const std::optional<int> site = integer(in.value(QLatin1String("main_site_id")));
        const HaloSiteRec *s = site ? m_store.site(*site) : nullptr;
        if (!s || s->clientId != id) {
            *error = HaloError::field(QStringLiteral("[%1].main_site_id").arg(index),
                                      QStringLiteral("%1: main_site_id is not a site of this "
                                                     "client.")
                                          .arg(record));
            return std::nullopt;
        }
        rec.mainSiteId = s->id;
    }
    if (!applyCustomFields(kHaloClientFields, record, in, rec.custom, error))
        return std::nullopt;
    rec.updatedMs = nowUtcMs();
    return rec;
}

std::optional<HaloSiteRec> FakeHalo::buildSite(int index, const QJsonObject &in,
                                               HaloError *error) const
{
    int id = 0;
    std::optional<HaloSiteRec> start = startingRecord<HaloSiteRec>(
        index, in, "Site", "Site", [this](int n) { return m_store.site(n); }, &id, error);
    if (!start)
        return std::nullopt;
    HaloSiteRec rec = *start;
    const QString before = describe("Site", index, in.value(QLatin1String("name")).toString(), id);
    if (!readTexts(in, index, before,
                   {{"name", &rec.name},
                    {"phonenumber", &rec.phonenumber},
                    {"notes", &rec.notes},
                    {"hubspot_id", &rec.hubspotId}},
                   error) ||
        !readInactive(in, index, before, &rec.inactive, error))
        return std::nullopt;
    rec.name = rec.name.trimmed();
    const QString record = describe("Site", index, rec.name, id);
    if (rec.name.isEmpty()) {
        *error = HaloError::field(QStringLiteral("[%1].name").arg(index),
                                  QStringLiteral("%1: the name field is required.").arg(record));
        return std::nullopt;
    }
    if (in.contains(QLatin1String("client_id"))) {
        const std::optional<int> client = integer(in.value(QLatin1String("client_id")));
        rec.clientId = client.value_or(-1);
    }
    if (rec.clientId <= 0 || !m_store.client(rec.clientId)) {
        *error = HaloError::field(
            QStringLiteral("[%1].client_id").arg(index),
            rec.clientId <= 0
                ? QStringLiteral("%1: the client_id field is required.").arg(record)
                : QStringLiteral("%1: client_id %2 does not exist.").arg(record).arg(rec.clientId));
        return std::nullopt;
    }
    rec.updatedMs = nowUtcMs();
    return rec;
}

std::optional<HaloUserRec> FakeHalo::buildUser(int index, const QJsonObject &in,
                                               HaloError *error) const
{
    int id = 0;
    std::optional<HaloUserRec> start = startingRecord<HaloUserRec>(
        index, in, "Users", "User", [this](int n) { return m_store.user(n); }, &id, error);
    if (!start)
        return std::nullopt;
    HaloUserRec rec = *start;
    const bool nameWasDerived = rec.name.isEmpty();
    rec.name = rec.displayName();
    const QString before = describe("Users", index, in.value(QLatin1String("name")).toString(), id);
    if (!readTexts(in, index, before,
                   {{"name", &rec.name},
                    {"firstname", &rec.firstname},
                    {"surname", &rec.surname},
                    {"emailaddress", &rec.email},
                    {"phonenumber", &rec.phonenumber},
                    {"mobilenumber", &rec.mobilenumber},
                    {"title", &rec.title},
                    {"notes", &rec.notes},
                    {"hubspot_id", &rec.hubspotId}},
                   error) ||
        !readInactive(in, index, before, &rec.inactive, error))
        return std::nullopt;
    // No name: Halo builds the display name from first name and surname.
    rec.name = rec.name.trimmed();
    if (rec.name.isEmpty() || (!in.contains(QLatin1String("name")) && nameWasDerived))
        rec.name = rec.derivedName();
    const QString record = describe("Users", index, rec.name, id);
    if (rec.name.isEmpty()) {
        *error = HaloError::field(QStringLiteral("[%1].name").arg(index),
                                  QStringLiteral("%1: the name field is required.").arg(record));
        return std::nullopt;
    }

    if (in.contains(QLatin1String("site_id")))
        rec.siteId = integer(in.value(QLatin1String("site_id"))).value_or(-1);
    const HaloSiteRec *site = m_store.site(rec.siteId);
    if (!site) {
        *error = HaloError::field(
            QStringLiteral("[%1].site_id").arg(index),
            rec.siteId == 0
                ? QStringLiteral("%1: the site_id field is required.").arg(record)
                : QStringLiteral("%1: site_id %2 does not exist.").arg(record).arg(rec.siteId));
        return std::nullopt;
    }
    if (in.contains(QLatin1String("client_id"))) {
        const std::optional<int> client = integer(in.value(QLatin1String("client_id")));
        if (client && *client > 0 && *client != site->clientId) {
            *error = HaloError::field(QStringLiteral("[%1].client_id").arg(index),
                                      QStringLiteral("%1: site_id %2 does not belong to client "
                                                     "%3.")
                                          .arg(record)
                                          .arg(site->id)
                                          .arg(*client));
            return std::nullopt;
        }
    }
    rec.clientId = site->clientId;
    if (!applyCustomFields(kHaloUserFields, record, in, rec.custom, error))
        return std::nullopt;
    rec.setName(rec.name);
    rec.updatedMs = nowUtcMs();
    return rec;
}

Response FakeHalo::post(Kind kind, const Request &request)
{
    bool ok = false;
    QString parseError;
    const QJsonDocument doc = request.json(&ok, &parseError);
    if (!ok)
        return HaloError::badBody(parseError, QStringLiteral("Newtonsoft.Json.JsonReaderException"))
            .toResponse();
    const QString type = QLatin1String(kindName(int(kind)));
    if (!doc.isArray()) {
        return HaloError::badBody(
                   QStringLiteral("Cannot deserialize the current JSON object into type "
                                  "'System.Collections.Generic.List`1[%1]' because the type "
                                  "requires a JSON array (e.g. [1,2,3]) to deserialize correctly.")
                       .arg(type))
            .toResponse();
    }
    const QJsonArray items = doc.array();
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isObject())
            return HaloError::badBody(QStringLiteral("Element [%1] of the array is not a %2 "
                                                     "object.")
                                          .arg(i)
                                          .arg(type))
                .toResponse();
    }

    // Validate every element first; write nothing unless all are valid.
    HaloError error;
    std::vector<HaloClientRec> clients;
    std::vector<std::pair<QString, QString>> mainSites;
    std::vector<HaloSiteRec> sites;
    std::vector<HaloUserRec> users;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject in = items.at(i).toObject();
        bool good = false;
        if (kind == Kind::Client) {
            QString siteName;
            QString sitePhone;
            auto rec = buildClient(int(i), in, &error, &siteName, &sitePhone);
            if ((good = rec.has_value())) {
                clients.push_back(std::move(*rec));
                mainSites.emplace_back(siteName, sitePhone);
            }
        } else if (kind == Kind::Site) {
            auto rec = buildSite(int(i), in, &error);
            if ((good = rec.has_value()))
                sites.push_back(std::move(*rec));
        } else {
            auto rec = buildUser(int(i), in, &error);
            if ((good = rec.has_value()))
                users.push_back(std::move(*rec));
        }
        if (!good)
            return error.toResponse();
    }

    // Write, and answer with the full records: one object for one element, else an array
    // (reference §2 leaves this UNCONFIRMED; clients must accept both).
    ++m_version;
    QJsonArray out;
    for (size_t i = 0; i < clients.size(); ++i) {
        HaloClientRec &rec = clients[i];
        int id = rec.id;
        if (id > 0)
            m_store.replaceClient(rec);
        else
            id = createClient(std::move(rec), mainSites[i].first, mainSites[i].second);
        out.append(clientJson(*m_store.client(id), true, nullptr));
    }
    for (HaloSiteRec &rec : sites) {
        int id = rec.id;
        if (id > 0) {
            m_store.replaceSite(rec);
        } else {
            rec.createdMs = rec.updatedMs;
            id = m_store.insertSite(std::move(rec));
        }
        out.append(siteJson(*m_store.site(id), true));
    }
    for (HaloUserRec &rec : users) {
        int id = rec.id;
        if (id > 0) {
            m_store.replaceUser(rec);
        } else {
            rec.createdMs = rec.updatedMs;
            id = m_store.insertUser(std::move(rec));
        }
        out.append(userJson(*m_store.user(id), true, nullptr));
    }
    if (out.size() == 1)
        return Response::json(200, out.at(0).toObject());
    return Response::json(200, out);
}

Response FakeHalo::remove(Kind kind, int id)
{
    // DELETE removes the record (the reference's choice); the reply is {"id": <id>}, which old n8n
    // treats as success (reference §2, UNCONFIRMED).
    bool removed = false;
    switch (kind) {
    case Kind::Client:
        removed = m_store.removeClient(id); // with its sites and users
        break;
    case Kind::Site: {
        const HaloSiteRec *s = m_store.site(id);
        if (!s)
            break;
        const HaloClientRec *c = m_store.client(s->clientId);
        if (c && c->mainSiteId == id)
            return HaloError::plain(400, QStringLiteral("Site %1 is the main site of client %2 "
                                                        "and cannot be deleted.")
                                             .arg(id)
                                             .arg(c->id))
                .toResponse();
        if (m_store.usersAtSite(id) > 0)
            return HaloError::plain(400, QStringLiteral("Site %1 still has users; move or "
                                                        "delete them first.")
                                             .arg(id))
                .toResponse();
        removed = m_store.removeSite(id);
        break;
    }
    case Kind::User:
        removed = m_store.removeUser(id);
        break;
    }
    if (!removed) {
        const QString what = kind == Kind::Client ? QStringLiteral("Client")
                             : kind == Kind::Site ? QStringLiteral("Site")
                                                  : QStringLiteral("User");
        return HaloError::notFound(QStringLiteral("%1 %2 not found.").arg(what).arg(id))
            .toResponse();
    }
    ++m_version;
    return Response::json(200, QJsonObject{{QStringLiteral("id"), id}});
}

} // namespace halospot::sandbox
