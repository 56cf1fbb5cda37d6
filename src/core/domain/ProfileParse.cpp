// Strict parsing of the profile document: every problem found, each named by its JSON path.
#include "Profile.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>
#include <utility>

namespace halospot::core {

namespace {

using Tr = ProfileRules;

constexpr qint64 kMaxId = 9'000'000'000'000'000;

template<typename E>
using Choices = QList<std::pair<QString, E>>;

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return Tr::tr("null");
    case QJsonValue::Bool:
        return Tr::tr("true/false");
    case QJsonValue::Double:
        return Tr::tr("a number");
    case QJsonValue::String:
        return Tr::tr("a string");
    case QJsonValue::Array:
        return Tr::tr("an array");
    case QJsonValue::Object:
        return Tr::tr("an object");
    default:
        return Tr::tr("nothing");
    }
}

bool looksLikeSecret(const QString &key)
{
    const QString k = key.toLower();
    for (const char *word : {"secret", "token", "password", "api_key", "apikey", "credential"}) {
        if (k.contains(QLatin1String(word)))
            return true;
    }
    return false;
}

// Collects the errors of one parse; every reader takes the parent path and the key.
class Reader final
{
public:
    QStringList errors;

    static QString join(const QString &path, const QString &key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }
    static QString at(const QString &path, qsizetype index)
    {
        return QStringLiteral("%1[%2]").arg(path).arg(index);
    }

    void error(const QString &path, const QString &sentence)
    {
        errors << QStringLiteral("%1: %2").arg(path, sentence);
    }

    void wrongType(const QString &path, const QString &expected, const QJsonValue &found)
    {
        error(path, Tr::tr("expected %1, found %2.").arg(expected, typeName(found)));
    }

    void checkKeys(const QJsonObject &o, const QString &path, const QStringList &allowed)
    {
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (allowed.contains(it.key()))
                continue;
            if (looksLikeSecret(it.key())) {
                error(join(path, it.key()),
                      Tr::tr("unknown key; secrets never belong in a profile (HaloSpot keeps them "
                             "in the system keychain): remove it."));
            } else {
                error(join(path, it.key()), Tr::tr("unknown key (allowed here: %1).")
                                                .arg(allowed.join(QStringLiteral(", "))));
            }
        }
    }

    // A nested object; absent gives nullopt without an error.
    std::optional<QJsonObject> object(const QJsonObject &o, const QString &path, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isObject()) {
            wrongType(join(path, QLatin1String(key)), Tr::tr("an object"), v);
            return std::nullopt;
        }
        return v.toObject();
    }

    std::optional<QJsonArray> array(const QJsonObject &o, const QString &path, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isArray()) {
            wrongType(join(path, QLatin1String(key)), Tr::tr("an array"), v);
            return std::nullopt;
        }
        return v.toArray();
    }

    // `nullable`: JSON null reads as an empty string.
    bool string(const QJsonObject &o, const QString &path, const char *key, QString &out,
                bool nullable = false)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || (nullable && v.isNull())) {
            if (v.isNull())
                out.clear();
            return v.isNull();
        }
        if (!v.isString()) {
            wrongType(join(path, QLatin1String(key)),
                      nullable ? Tr::tr("a string or null") : Tr::tr("a string"), v);
            return false;
        }
        out = v.toString();
        return true;
    }

    void boolean(const QJsonObject &o, const QString &path, const char *key, bool &out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isBool()) {
            wrongType(join(path, QLatin1String(key)), Tr::tr("true or false"), v);
            return;
        }
        out = v.toBool();
    }

    std::optional<qint64> integerValue(const QJsonValue &v, const QString &where, qint64 min,
                                       qint64 max, bool nullable)
    {
        const QString expected = nullable ? Tr::tr("null or an integer") : Tr::tr("an integer");
        if (!v.isDouble()) {
            wrongType(where, expected, v);
            return std::nullopt;
        }
        const double d = v.toDouble();
        if (std::floor(d) != d || std::abs(d) > 9e15) {
            error(where, Tr::tr("expected %1, found %2.").arg(expected).arg(d));
            return std::nullopt;
        }
        if (d < double(min) || d > double(max)) {
            error(where, Tr::tr("%1 is out of range (%2 to %3).").arg(qint64(d)).arg(min).arg(max));
            return std::nullopt;
        }
        return qint64(d);
    }

    template<typename T>
    void integer(const QJsonObject &o, const QString &path, const char *key, qint64 min, qint64 max,
                 T &out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (const auto n = integerValue(v, join(path, QLatin1String(key)), min, max, false))
            out = T(*n);
    }

    // A record ID that may be null (no site, no default site).
    void optionalId(const QJsonObject &o, const QString &path, const char *key,
                    std::optional<qint64> &out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (v.isNull()) {
            out.reset();
            return;
        }
        if (const auto n = integerValue(v, join(path, QLatin1String(key)), 1, kMaxId, true))
            out = *n;
    }

    template<typename E>
    void choice(const QJsonObject &o, const QString &path, const char *key, const Choices<E> &all,
                E &out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        QStringList names;
        for (const auto &[name, value] : all) {
            names << name;
            if (v.isString() && v.toString() == name) {
                out = value;
                return;
            }
        }
        if (!v.isString()) {
            wrongType(join(path, QLatin1String(key)), Tr::tr("a string"), v);
            return;
        }
        error(join(path, QLatin1String(key)),
              Tr::tr("'%1' is not one of %2.").arg(v.toString(), names.join(QStringLiteral(", "))));
    }

    // A URL string checked like the Connect tab checks it; empty allowed when `optional`.
    void url(const QJsonObject &o, const QString &path, const char *key, QUrl &out, bool optional)
    {
        QString text;
        const bool present = string(o, path, key, text, optional);
        if (!present)
            return;
        if (text.isEmpty() && optional) {
            out = QUrl();
            return;
        }
        const QUrl u(text, QUrl::StrictMode);
        if (const Status s = checkServiceUrl(u, Tr::tr("The address")); !s.ok()) {
            error(join(path, QLatin1String(key)), s.error());
            return;
        }
        out = u;
    }
};

const Choices<HubSpotAuthMode> &authModes()
{
    static const Choices<HubSpotAuthMode> c = {
        {QStringLiteral("oauth"), HubSpotAuthMode::OAuth},
        {QStringLiteral("static-token"), HubSpotAuthMode::StaticToken}};
    return c;
}

const Choices<ContactInclude> &includes()
{
    static const Choices<ContactInclude> c = {
        {contactIncludeName(ContactInclude::CompanyContacts), ContactInclude::CompanyContacts},
        {contactIncludeName(ContactInclude::CompanyContactsAndStages),
         ContactInclude::CompanyContactsAndStages},
        {contactIncludeName(ContactInclude::All), ContactInclude::All}};
    return c;
}

const Choices<SyncTrigger> &triggers()
{
    static const Choices<SyncTrigger> c = {
        {syncTriggerName(SyncTrigger::Disabled), SyncTrigger::Disabled},
        {syncTriggerName(SyncTrigger::Create), SyncTrigger::Create},
        {syncTriggerName(SyncTrigger::Update), SyncTrigger::Update},
        {syncTriggerName(SyncTrigger::CreateAndUpdate), SyncTrigger::CreateAndUpdate}};
    return c;
}

const Choices<ConflictPolicy> &conflicts()
{
    static const Choices<ConflictPolicy> c = {
        {conflictPolicyName(ConflictPolicy::HubSpot), ConflictPolicy::HubSpot},
        {conflictPolicyName(ConflictPolicy::Halo), ConflictPolicy::Halo},
        {conflictPolicyName(ConflictPolicy::Newest), ConflictPolicy::Newest}};
    return c;
}

QStringList keys(std::initializer_list<const char *> names)
{
    QStringList out;
    for (const char *n : names)
        out << QLatin1String(n);
    return out;
}

void readHubSpot(Reader &r, const QJsonObject &root, HubSpotConnectionConfig &h)
{
    const QString path = QStringLiteral("hubspot");
    const auto o = r.object(root, {}, "hubspot");
    if (!o)
        return;
    r.checkKeys(
        *o, path,
        keys({"auth", "client_id", "redirect_port", "api_base", "auth_base", "api_version"}));
    r.choice(*o, path, "auth", authModes(), h.auth);
    r.string(*o, path, "client_id", h.clientId);
    r.integer(*o, path, "redirect_port", 1, 65535, h.redirectPort);
    r.url(*o, path, "api_base", h.apiBase, false);
    r.url(*o, path, "auth_base", h.authBase, false);
    QString version = h.apiVersion;
    if (r.string(*o, path, "api_version", version)) {
        static const QRegularExpression re(QStringLiteral("^(v\\d+|\\d{4}-\\d{2})$"));
        if (re.match(version).hasMatch())
            h.apiVersion = version;
        else
            r.error(Reader::join(path, QStringLiteral("api_version")),
                    Tr::tr("'%1' is not an API version (\"v3\" or a date like \"2026-03\").")
                        .arg(version));
    }
}

void readHalo(Reader &r, const QJsonObject &root, HaloConnectionConfig &h)
{
    const QString path = QStringLiteral("halo");
    const auto o = r.object(root, {}, "halo");
    if (!o)
        return;
    r.checkKeys(*o, path, keys({"url", "auth_url", "tenant", "client_id", "scope"}));
    // An empty URL is a profile not yet connected to Halo.
    r.url(*o, path, "url", h.url, true);
    r.url(*o, path, "auth_url", h.authUrl, true);
    r.string(*o, path, "tenant", h.tenant, true);
    r.string(*o, path, "client_id", h.clientId);
    QString scope = h.scope;
    if (r.string(*o, path, "scope", scope)) {
        if (scope.trimmed().isEmpty())
            r.error(Reader::join(path, QStringLiteral("scope")),
                    Tr::tr("is empty; \"all\" is the usual scope."));
        else
            h.scope = scope;
    }
}

QStringList readStages(Reader &r, const QJsonObject &o, const QString &section)
{
    QStringList stages;
    const auto a = r.array(o, section, "lifecycle_stages");
    if (!a)
        return stages;
    const QString path = Reader::join(section, QStringLiteral("lifecycle_stages"));
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QJsonValue v = a->at(i);
        if (!v.isString()) {
            r.wrongType(Reader::at(path, i), Tr::tr("a string"), v);
        } else if (stages.contains(v.toString())) {
            r.error(Reader::at(path, i), Tr::tr("'%1' is listed twice.").arg(v.toString()));
        } else {
            stages << v.toString();
        }
    }
    return stages;
}

QList<FieldMapping> readFieldMappings(Reader &r, const QJsonObject &o, const QString &section)
{
    QList<FieldMapping> out;
    const auto a = r.array(o, section, "field_mappings");
    if (!a)
        return out;
    const QString path = Reader::join(section, QStringLiteral("field_mappings"));
    QHash<QString, QString> targets; // "id:17" / "name:cfindustry" -> the row that maps it first
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString row = Reader::at(path, i);
        if (!a->at(i).isObject()) {
            r.wrongType(row, Tr::tr("an object"), a->at(i));
            continue;
        }
        const QJsonObject m = a->at(i).toObject();
        r.checkKeys(m, row,
                    keys({"hubspot_property", "halo_field_id", "halo_field_name", "sync_back"}));
        FieldMapping f;
        if (!m.contains(QLatin1String("hubspot_property")))
            r.error(row, Tr::tr("hubspot_property is missing."));
        else if (r.string(m, row, "hubspot_property", f.hubspotProperty) &&
                 f.hubspotProperty.trimmed().isEmpty())
            r.error(Reader::join(row, QStringLiteral("hubspot_property")), Tr::tr("is empty."));
        const bool byId = m.contains(QLatin1String("halo_field_id"));
        const bool byName = m.contains(QLatin1String("halo_field_name"));
        if (byId && byName) {
            r.error(row, Tr::tr("give halo_field_id or halo_field_name, not both."));
        } else if (!byId && !byName) {
            r.error(row, Tr::tr("halo_field_id or halo_field_name is missing."));
        } else if (byId) {
            int id = 0;
            const int before = int(r.errors.size());
            r.integer(m, row, "halo_field_id", 1, 2147483647, id);
            if (r.errors.size() == before)
                f.haloFieldId = id;
        } else if (r.string(m, row, "halo_field_name", f.haloFieldName) &&
                   f.haloFieldName.trimmed().isEmpty()) {
            r.error(Reader::join(row, QStringLiteral("halo_field_name")), Tr::tr("is empty."));
        }
        r.boolean(m, row, "sync_back", f.syncBack);
        const QString target = f.haloFieldId
                                   ? QStringLiteral("id:%1").arg(*f.haloFieldId)
                                   : QStringLiteral("name:") + f.haloFieldName.toCaseFolded();
        if (f.haloFieldId || !f.haloFieldName.isEmpty()) {
            if (const auto first = targets.constFind(target); first != targets.constEnd()) {
                r.error(row, Tr::tr("the Halo field is already mapped in %1; a field can take "
                                    "values from one property only.")
                                 .arg(*first));
            } else {
                targets.insert(target, row);
            }
        }
        out << f;
    }
    return out;
}

void readCompanies(Reader &r, const QJsonObject &root, CompanySettings &c)
{
    const QString path = QStringLiteral("companies");
    const auto o = r.object(root, {}, "companies");
    if (!o)
        return;
    r.checkKeys(*o, path, keys({"lifecycle_stages", "customer_mappings", "field_mappings"}));
    c.lifecycleStages = readStages(r, *o, path);
    c.fieldMappings = readFieldMappings(r, *o, path);
    const auto a = r.array(*o, path, "customer_mappings");
    if (!a)
        return;
    const QString list = Reader::join(path, QStringLiteral("customer_mappings"));
    static const QRegularExpression digits(QStringLiteral("^\\d{1,20}$"));
    QHash<QString, qsizetype> seen; // HubSpot company ID -> the first row that maps it
    c.customerMappings.clear();
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString row = Reader::at(list, i);
        if (!a->at(i).isObject()) {
            r.wrongType(row, Tr::tr("an object"), a->at(i));
            continue;
        }
        const QJsonObject m = a->at(i).toObject();
        r.checkKeys(m, row, keys({"hubspot_company_id", "halo_client_id", "halo_site_id"}));
        CustomerMapping cm;
        const QString idPath = Reader::join(row, QStringLiteral("hubspot_company_id"));
        if (!m.contains(QLatin1String("hubspot_company_id"))) {
            r.error(row, Tr::tr("hubspot_company_id is missing."));
        } else if (r.string(m, row, "hubspot_company_id", cm.hubspotCompanyId)) {
            if (!digits.match(cm.hubspotCompanyId).hasMatch()) {
                r.error(idPath, Tr::tr("'%1' is not a HubSpot record ID (digits only).")
                                    .arg(cm.hubspotCompanyId));
            } else if (const auto first = seen.constFind(cm.hubspotCompanyId);
                       first != seen.constEnd()) {
                r.error(idPath, Tr::tr("HubSpot company %1 is already mapped in %2; a company "
                                       "can go to one Halo customer only.")
                                    .arg(cm.hubspotCompanyId, Reader::at(list, *first)));
            }
        }
        if (!seen.contains(cm.hubspotCompanyId))
            seen.insert(cm.hubspotCompanyId, i);
        if (!m.contains(QLatin1String("halo_client_id")))
            r.error(row, Tr::tr("halo_client_id is missing."));
        r.integer(m, row, "halo_client_id", 1, kMaxId, cm.haloClientId);
        r.optionalId(m, row, "halo_site_id", cm.haloSiteId);
        c.customerMappings << cm;
    }
}

void readContacts(Reader &r, const QJsonObject &root, ContactSettings &c)
{
    const QString path = QStringLiteral("contacts");
    const auto o = r.object(root, {}, "contacts");
    if (!o)
        return;
    r.checkKeys(*o, path,
                keys({"include", "lifecycle_stages", "field_mappings", "default_site_id",
                      "follow_company_changes"}));
    r.choice(*o, path, "include", includes(), c.include);
    c.lifecycleStages = readStages(r, *o, path);
    c.fieldMappings = readFieldMappings(r, *o, path);
    r.optionalId(*o, path, "default_site_id", c.defaultSiteId);
    r.boolean(*o, path, "follow_company_changes", c.followCompanyChanges);
}

void readRest(Reader &r, const QJsonObject &root, Profile &p)
{
    if (const auto o = r.object(root, {}, "linking")) {
        const QString path = QStringLiteral("linking");
        r.checkKeys(*o, path, keys({"write_hubspot_id_to_halo"}));
        r.boolean(*o, path, "write_hubspot_id_to_halo", p.linking.writeHubSpotIdToHalo);
    }
    if (const auto o = r.object(root, {}, "sync")) {
        const QString path = QStringLiteral("sync");
        SyncSettings &s = p.sync;
        r.checkKeys(
            *o, path,
            keys({"customers", "contacts", "delete_inactive_customers", "delete_inactive_contacts",
                  "notify_each_success", "conflict", "max_archive_percent"}));
        r.choice(*o, path, "customers", triggers(), s.customers);
        r.choice(*o, path, "contacts", triggers(), s.contacts);
        r.boolean(*o, path, "delete_inactive_customers", s.deleteInactiveCustomers);
        r.boolean(*o, path, "delete_inactive_contacts", s.deleteInactiveContacts);
        r.boolean(*o, path, "notify_each_success", s.notifyEachSuccess);
        r.choice(*o, path, "conflict", conflicts(), s.conflict);
        r.integer(*o, path, "max_archive_percent", 0, 100, s.maxArchivePercent);
    }
    if (const auto o = r.object(root, {}, "schedule")) {
        const QString path = QStringLiteral("schedule");
        ScheduleSettings &s = p.schedule;
        r.checkKeys(*o, path, keys({"enabled", "companies", "contacts", "sync", "every_minutes"}));
        r.boolean(*o, path, "enabled", s.enabled);
        r.boolean(*o, path, "companies", s.companies);
        r.boolean(*o, path, "contacts", s.contacts);
        r.boolean(*o, path, "sync", s.sync);
        r.integer(*o, path, "every_minutes", kMinScheduleMinutes, kMaxScheduleMinutes,
                  s.everyMinutes);
    }
}

QString parseErrorText(const QByteArray &json, const QJsonParseError &e)
{
    int line = 1;
    int column = 1;
    for (int i = 0; i < e.offset && i < json.size(); ++i) {
        const auto byte = static_cast<unsigned char>(json.at(i));
        if (byte == '\n') {
            ++line;
            column = 1;
        } else if ((byte & 0xC0) != 0x80) { // a column is a character, not a UTF-8 byte
            ++column;
        }
    }
    return Tr::tr("The profile is not valid JSON: %1 at line %2, column %3 (offset %4).")
        .arg(e.errorString())
        .arg(line)
        .arg(column)
        .arg(e.offset);
}

void readHeader(Reader &r, const QJsonObject &root)
{
    const QJsonValue format = root.value(QLatin1String("format"));
    if (format.isUndefined())
        r.error(QStringLiteral("format"),
                Tr::tr("is missing; a HaloSpot profile has \"format\": \"halospot-profile\"."));
    else if (format != QJsonValue(QStringLiteral("halospot-profile")))
        r.error(QStringLiteral("format"),
                Tr::tr("this is not a HaloSpot profile (expected \"halospot-profile\")."));
    const QJsonValue version = root.value(QLatin1String("version"));
    if (version.isUndefined()) {
        r.error(QStringLiteral("version"),
                Tr::tr("is missing (expected %1).").arg(kProfileVersion));
    } else if (!version.isDouble()) {
        r.wrongType(QStringLiteral("version"), Tr::tr("an integer"), version);
    } else if (version.toDouble() != kProfileVersion) {
        r.error(QStringLiteral("version"),
                Tr::tr("version %1 is not supported; this HaloSpot reads version %2.")
                    .arg(version.toDouble())
                    .arg(kProfileVersion));
    }
}

} // namespace

Result<Profile> parseProfile(const QByteArray &json, QStringList *errors)
{
    Reader r;
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    Profile p;
    if (parseError.error != QJsonParseError::NoError) {
        r.errors << parseErrorText(json, parseError);
    } else if (!doc.isObject()) {
        r.errors << Tr::tr("The profile must be a JSON object ({ ... }).");
    } else {
        const QJsonObject root = doc.object();
        r.checkKeys(root, {},
                    keys({"format", "version", "hubspot", "halo", "companies", "contacts",
                          "linking", "sync", "schedule"}));
        readHeader(r, root);
        readHubSpot(r, root, p.connection.hubspot);
        readHalo(r, root, p.connection.halo);
        readCompanies(r, root, p.companies);
        readContacts(r, root, p.contacts);
        readRest(r, root, p);
    }
    if (errors)
        *errors = r.errors;
    if (!r.errors.isEmpty())
        return Result<Profile>::failure(r.errors.join(QLatin1Char('\n')));
    return p;
}

} // namespace halospot::core
