// The fake HubSpot's single-object endpoints and list paging.
#include "FakeHubSpot.h"

namespace halospot::sandbox {

namespace {

const QStringList &defaultProperties(ObjectKind kind)
{
    static const QStringList companies{
        QStringLiteral("name"), QStringLiteral("domain"), QStringLiteral("createdate"),
        QStringLiteral("hs_lastmodifieddate"), QStringLiteral("hs_object_id")};
    static const QStringList contacts{QStringLiteral("firstname"),
                                      QStringLiteral("lastname"),
                                      QStringLiteral("email"),
                                      QStringLiteral("createdate"),
                                      QStringLiteral("lastmodifieddate"),
                                      QStringLiteral("hs_object_id")};
    return kind == ObjectKind::Company ? companies : contacts;
}

QString encodeCursor(qint64 id)
{
    return QString::fromLatin1(QByteArray::number(id).toBase64(QByteArray::Base64UrlEncoding |
                                                               QByteArray::OmitTrailingEquals));
}

std::optional<qint64> decodeCursor(const QString &cursor)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    bool ok = false;
    const qint64 id = decoded.decoded.toLongLong(&ok);
    return ok ? std::optional<qint64>(id) : std::nullopt;
}

bool truthy(const QString &text)
{
    return text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

QString jsonToValue(const QJsonValue &v, bool *ok)
{
    *ok = true;
    if (v.isString())
        return v.toString();
    if (v.isNull())
        return QString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
    }
    *ok = false;
    return QString();
}

} // namespace

Response FakeHubSpot::objects(const Request &request, const Route &r)
{
    if (r.rest.isEmpty()) {
        if (request.method == "GET")
            return list(request, r);
        if (request.method == "POST")
            return createOne(request, r);
    } else if (r.rest.size() == 1) {
        if (request.method == "GET")
            return readOne(request, r);
        if (request.method == "PATCH")
            return updateOne(request, r);
        if (request.method == "DELETE") {
            bool ok = false;
            const qint64 id = r.rest.first().toLongLong(&ok);
            if (ok)
                m_store.archive(r.kind, id);
            return Response::empty(204); // also for unknown ids
        }
    }
    return error(
        405, QStringLiteral("VALIDATION_ERROR"),
        QStringLiteral("Method %1 is not supported here").arg(QString::fromLatin1(request.method)));
}

QList<qint64> FakeHubSpot::associatedCompanies(const StoredObject &contact) const
{
    QList<qint64> out;
    for (qint64 c : contact.companies) {
        if (m_store.isLive(ObjectKind::Company, c))
            out << c;
    }
    return out;
}

QJsonObject FakeHubSpot::objectJson(ObjectKind kind, const StoredObject &o,
                                    const QStringList &properties, const QStringList &associations,
                                    bool allProperties) const
{
    QStringList names;
    if (allProperties) {
        names = o.props.keys();
        names << defaultProperties(kind);
    } else if (properties.isEmpty()) {
        names = defaultProperties(kind);
    } else {
        // HubSpot always adds the record id and the creation and modification dates.
        names = properties;
        names << QStringLiteral("hs_object_id") << QStringLiteral("createdate")
              << HubSpotStore::lastModifiedProperty(kind);
    }
    QJsonObject props;
    for (const QString &name : std::as_const(names)) {
        if (props.contains(name))
            continue;
        const auto found = o.props.constFind(name);
        if (found != o.props.constEnd())
            props.insert(name, *found);
        else if (HubSpotProperties::find(kind, name))
            props.insert(name, QJsonValue::Null); // defined but empty; undefined names are omitted
    }
    QJsonObject json{{QStringLiteral("id"), QString::number(o.id)},
                     {QStringLiteral("properties"), props},
                     {QStringLiteral("createdAt"), HubSpotProperties::formatDateTime(o.createdMs)},
                     {QStringLiteral("updatedAt"), HubSpotProperties::formatDateTime(o.updatedMs)},
                     {QStringLiteral("archived"), o.archived}};
    if (o.archived)
        json.insert(QStringLiteral("archivedAt"), HubSpotProperties::formatDateTime(o.archivedMs));
    const bool wantsCompanies = associations.contains(QStringLiteral("companies")) ||
                                associations.contains(QStringLiteral("company")) ||
                                associations.contains(QStringLiteral("0-2"));
    if (kind == ObjectKind::Contact && wantsCompanies) {
        const QList<qint64> companies = associatedCompanies(o);
        QJsonArray results;
        for (int i = 0; i < companies.size(); ++i) {
            const QString id = QString::number(companies.at(i));
            // HubSpot lists a company once per association type: primary and unlabeled.
            if (i == 0)
                results.append(
                    QJsonObject{{QStringLiteral("id"), id},
                                {QStringLiteral("type"), QStringLiteral("contact_to_company")}});
            results.append(QJsonObject{
                {QStringLiteral("id"), id},
                {QStringLiteral("type"), QStringLiteral("contact_to_company_unlabeled")}});
        }
        if (!results.isEmpty())
            json.insert(QStringLiteral("associations"),
                        QJsonObject{{QStringLiteral("companies"),
                                     QJsonObject{{QStringLiteral("results"), results}}}});
    }
    return json;
}

void FakeHubSpot::addContactAssociations(QJsonArray &companies)
{
    QSet<qint64> ids;
    for (const QJsonValue &v : std::as_const(companies))
        ids.insert(v.toObject().value(QStringLiteral("id")).toString().toLongLong());
    const auto contacts = m_store.contactsOfCompanies(ids);
    for (qsizetype i = 0; i < companies.size(); ++i) {
        QJsonObject company = companies.at(i).toObject();
        const auto found =
            contacts.constFind(company.value(QStringLiteral("id")).toString().toLongLong());
        if (found == contacts.constEnd())
            continue;
        QJsonArray results;
        for (const auto &contact : *found) {
            const QString id = QString::number(contact.first);
            if (contact.second)
                results.append(
                    QJsonObject{{QStringLiteral("id"), id},
                                {QStringLiteral("type"), QStringLiteral("company_to_contact")}});
            results.append(QJsonObject{
                {QStringLiteral("id"), id},
                {QStringLiteral("type"), QStringLiteral("company_to_contact_unlabeled")}});
        }
        company.insert(QStringLiteral("associations"),
                       QJsonObject{{QStringLiteral("contacts"),
                                    QJsonObject{{QStringLiteral("results"), results}}}});
        companies[i] = company;
    }
}

Response FakeHubSpot::list(const Request &request, const Route &r)
{
    int limit = 10;
    const QString limitText = request.query.queryItemValue(QStringLiteral("limit"));
    if (!limitText.isEmpty()) {
        bool ok = false;
        limit = limitText.toInt(&ok);
        if (!ok || limit < 1)
            return error(
                400, QStringLiteral("VALIDATION_ERROR"),
                QStringLiteral("limit must be a positive integer, got '%1'").arg(limitText));
        limit = qMin(limit, 100); // HubSpot caps a list page at 100 records
    }
    const bool archived = truthy(request.query.queryItemValue(QStringLiteral("archived")));
    qint64 from = HubSpotStore::baseId(r.kind);
    const QString after = request.query.queryItemValue(QStringLiteral("after"));
    if (!after.isEmpty()) {
        const std::optional<qint64> cursor = decodeCursor(after);
        if (!cursor)
            return error(400, QStringLiteral("VALIDATION_ERROR"),
                         QStringLiteral("Invalid paging cursor '%1'").arg(after));
        from = *cursor;
    }
    const QStringList properties = request.queryList(QStringLiteral("properties"));
    const QStringList associations = request.queryList(QStringLiteral("associations"));

    QJsonArray results;
    qint64 id = m_store.nextId(r.kind, from, archived);
    while (id > 0 && results.size() < limit) {
        if (const std::optional<StoredObject> o = m_store.get(r.kind, id))
            results.append(objectJson(r.kind, *o, properties, associations));
        id = m_store.nextId(r.kind, id + 1, archived);
    }
    if (r.kind == ObjectKind::Company && associations.contains(QStringLiteral("contacts")))
        addContactAssociations(results);
    QJsonObject body{{QStringLiteral("results"), results}};
    if (id > 0) {
        QUrl link = baseUrl();
        link.setPath(request.path);
        QUrlQuery q(request.query);
        q.removeAllQueryItems(QStringLiteral("after"));
        q.addQueryItem(QStringLiteral("after"), encodeCursor(id));
        link.setQuery(q);
        body.insert(QStringLiteral("paging"),
                    QJsonObject{{QStringLiteral("next"),
                                 QJsonObject{{QStringLiteral("after"), encodeCursor(id)},
                                             {QStringLiteral("link"),
                                              QString::fromUtf8(link.toEncoded())}}}});
    }
    return Response::json(200, body);
}

std::optional<qint64> FakeHubSpot::resolveId(ObjectKind kind, const QString &id,
                                             const QString &idProperty) const
{
    if (idProperty.isEmpty() || idProperty == QLatin1String("hs_object_id")) {
        bool ok = false;
        const qint64 n = id.toLongLong(&ok);
        if (!ok || n < HubSpotStore::baseId(kind) || n >= m_store.endId(kind))
            return std::nullopt;
        return n;
    }
    if (kind == ObjectKind::Contact && idProperty == QLatin1String("email")) {
        const qint64 n = m_store.findContactByEmail(id);
        return n > 0 ? std::optional<qint64>(n) : std::nullopt;
    }
    return std::nullopt;
}

Response FakeHubSpot::readOne(const Request &request, const Route &r)
{
    const QString idProperty = request.query.queryItemValue(QStringLiteral("idProperty"));
    if (!idProperty.isEmpty() && idProperty != QLatin1String("hs_object_id") &&
        !(r.kind == ObjectKind::Contact && idProperty == QLatin1String("email")))
        return error(400, QStringLiteral("VALIDATION_ERROR"),
                     QStringLiteral("%1 is not a unique property").arg(idProperty));
    const bool archived = truthy(request.query.queryItemValue(QStringLiteral("archived")));
    const std::optional<qint64> id = resolveId(r.kind, r.rest.first(), idProperty);
    const std::optional<StoredObject> o = id ? m_store.get(r.kind, *id) : std::nullopt;
    if (!o || o->archived != archived)
        return notFound(r.kind, r.rest.first());
    const QStringList associations = request.queryList(QStringLiteral("associations"));
    QJsonArray one{
        objectJson(r.kind, *o, request.queryList(QStringLiteral("properties")), associations)};
    if (r.kind == ObjectKind::Company && associations.contains(QStringLiteral("contacts")))
        addContactAssociations(one);
    return Response::json(200, one.first().toObject());
}

FakeHubSpot::WriteCheck FakeHubSpot::checkProperties(ObjectKind kind, const QJsonValue &properties,
                                                     const Props &current)
{
    WriteCheck check;
    if (!properties.isObject() && !properties.isUndefined() && !properties.isNull()) {
        check.failureBody = errorObject(QStringLiteral("VALIDATION_ERROR"),
                                        QStringLiteral("properties must be a JSON object"), {});
        check.failure = error(400, QStringLiteral("VALIDATION_ERROR"),
                              QStringLiteral("properties must be a JSON object"));
        return check;
    }
    QJsonArray invalid;
    QJsonArray errors;
    const QJsonObject object = properties.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        bool ok = false;
        const QString value = jsonToValue(it.value(), &ok);
        PropertyWrite w;
        if (ok)
            w = HubSpotProperties::checkWrite(kind, it.key(), value, current.value(it.key()));
        else
            w = PropertyWrite{false,
                              {},
                              QStringLiteral("INVALID_VALUE_TYPE"),
                              QStringLiteral("Values must be strings, numbers or booleans")};
        if (w.ok) {
            check.changes.insert(it.key(), w.value);
            continue;
        }
        invalid.append(QJsonObject{{QStringLiteral("isValid"), false},
                                   {QStringLiteral("message"), w.message},
                                   {QStringLiteral("error"), w.error},
                                   {QStringLiteral("name"), it.key()},
                                   {QStringLiteral("localizedErrorMessage"), w.message}});
        errors.append(
            QJsonObject{{QStringLiteral("message"), w.message},
                        {QStringLiteral("code"), w.error},
                        {QStringLiteral("context"),
                         QJsonObject{{QStringLiteral("propertyName"), QJsonArray{it.key()}}}}});
    }
    if (!invalid.isEmpty()) {
        const QString message =
            QStringLiteral("Property values were not valid: %1")
                .arg(QString::fromUtf8(QJsonDocument(invalid).toJson(QJsonDocument::Compact)));
        check.failureBody = errorObject(QStringLiteral("VALIDATION_ERROR"), message, {}, errors);
        check.failure = error(400, QStringLiteral("VALIDATION_ERROR"), message, errors);
    }
    return check;
}

qint64 FakeHubSpot::emailOwner(const Props &changes, qint64 selfId) const
{
    const QString email = changes.value(QStringLiteral("email"));
    if (email.isEmpty())
        return 0;
    const qint64 owner = m_store.findContactByEmail(email);
    return owner == selfId ? 0 : owner;
}

Response FakeHubSpot::conflict(qint64 existingId)
{
    return error(409, QStringLiteral("CONFLICT"),
                 QStringLiteral("Contact already exists. Existing ID: %1").arg(existingId));
}

std::optional<QString> FakeHubSpot::parseAssociations(ObjectKind kind, const QJsonValue &value,
                                                      QList<AssociationInput> *out) const
{
    const ObjectKind target =
        kind == ObjectKind::Contact ? ObjectKind::Company : ObjectKind::Contact;
    const int primaryType = kind == ObjectKind::Contact ? 1 : 2;
    const QJsonArray items = value.toArray();
    for (const QJsonValue &v : items) {
        const QJsonObject item = v.toObject();
        const QString id = item.value(QStringLiteral("to"))
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toVariant()
                               .toString();
        bool ok = false;
        const qint64 n = id.toLongLong(&ok);
        if (!ok || !m_store.isLive(target, n))
            return QStringLiteral("Association target %1 of type %2 does not exist")
                .arg(id, HubSpotProperties::objectTypeName(target));
        AssociationInput in;
        in.target = n;
        const QJsonArray types = item.value(QStringLiteral("types")).toArray();
        for (const QJsonValue &t : types)
            in.primary |=
                t.toObject().value(QStringLiteral("associationTypeId")).toInt() == primaryType;
        out->append(in);
    }
    return std::nullopt;
}

void FakeHubSpot::applyAssociations(ObjectKind kind, qint64 id,
                                    const QList<AssociationInput> &inputs)
{
    if (inputs.isEmpty())
        return;
    if (kind == ObjectKind::Contact) {
        QList<qint64> companies;
        for (const AssociationInput &in : inputs) {
            if (companies.contains(in.target))
                continue;
            if (in.primary)
                companies.prepend(in.target);
            else
                companies.append(in.target);
        }
        m_store.setContactCompanies(id, companies);
        return;
    }
    for (const AssociationInput &in : inputs) {
        const std::optional<StoredObject> contact = m_store.get(ObjectKind::Contact, in.target);
        if (!contact || contact->companies.contains(id))
            continue;
        QList<qint64> companies = contact->companies;
        if (in.primary)
            companies.prepend(id);
        else
            companies.append(id);
        m_store.setContactCompanies(in.target, companies);
    }
}

Response FakeHubSpot::createOne(const Request &request, const Route &r)
{
    bool ok = false;
    QString parseError;
    const QJsonObject body = request.json(&ok, &parseError).object();
    if (!ok)
        return invalidJson(parseError);
    WriteCheck check = checkProperties(r.kind, body.value(QStringLiteral("properties")), {});
    if (check.failure)
        return *check.failure;
    if (r.kind == ObjectKind::Contact) {
        if (const qint64 existing = emailOwner(check.changes, 0))
            return conflict(existing);
    }
    QList<AssociationInput> associations;
    if (const auto bad =
            parseAssociations(r.kind, body.value(QStringLiteral("associations")), &associations))
        return error(400, QStringLiteral("VALIDATION_ERROR"), *bad);
    const qint64 id = m_store.create(r.kind, check.changes);
    applyAssociations(r.kind, id, associations);
    return Response::json(201, objectJson(r.kind, *m_store.get(r.kind, id), {}, {}, true));
}

Response FakeHubSpot::updateOne(const Request &request, const Route &r)
{
    const QString idProperty = request.query.queryItemValue(QStringLiteral("idProperty"));
    const std::optional<qint64> id = resolveId(r.kind, r.rest.first(), idProperty);
    const std::optional<StoredObject> o = id ? m_store.get(r.kind, *id) : std::nullopt;
    if (!o || o->archived)
        return notFound(r.kind, r.rest.first());
    bool ok = false;
    QString parseError;
    const QJsonObject body = request.json(&ok, &parseError).object();
    if (!ok)
        return invalidJson(parseError);
    WriteCheck check = checkProperties(r.kind, body.value(QStringLiteral("properties")), o->props);
    if (check.failure)
        return *check.failure;
    if (r.kind == ObjectKind::Contact) {
        if (const qint64 existing = emailOwner(check.changes, o->id))
            return conflict(existing);
    }
    m_store.update(r.kind, o->id, check.changes);
    return Response::json(200, objectJson(r.kind, *m_store.get(r.kind, o->id), {}, {}, true));
}

} // namespace halospot::sandbox
