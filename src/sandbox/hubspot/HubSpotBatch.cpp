// The fake HubSpot's batch endpoints (read/create/update/upsert/archive, 207 partial failures)
// and the v4 association batch read.
#include "FakeHubSpot.h"

namespace halospot::sandbox {

namespace {

constexpr int MaxBatchInputs = 100;
constexpr int MaxAssociationInputs = 1000;

QString inputId(const QJsonObject &input)
{
    return input.value(QStringLiteral("id")).toVariant().toString();
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array)
        out << v.toString();
    return out;
}

} // namespace

QJsonObject FakeHubSpot::errorObject(const QString &category, const QString &message,
                                     const QJsonObject &context, const QJsonArray &errors) const
{
    QJsonObject e{{QStringLiteral("status"), QStringLiteral("error")},
                  {QStringLiteral("category"), category},
                  {QStringLiteral("message"), message},
                  {QStringLiteral("context"), context},
                  {QStringLiteral("errors"), errors},
                  {QStringLiteral("links"), QJsonObject{}}};
    return e;
}

QJsonObject FakeHubSpot::batchBody(const QJsonArray &results, const QJsonArray &errors) const
{
    const QString now = HubSpotProperties::formatDateTime(m_store.nowMs());
    QJsonObject body{{QStringLiteral("status"), QStringLiteral("COMPLETE")},
                     {QStringLiteral("results"), results},
                     {QStringLiteral("startedAt"), now},
                     {QStringLiteral("completedAt"), now}};
    if (!errors.isEmpty()) {
        body.insert(QStringLiteral("numErrors"), errors.size());
        body.insert(QStringLiteral("errors"), errors);
    }
    return body;
}

Response FakeHubSpot::batch(const Request &request, const Route &r)
{
    if (request.method != "POST" || r.rest.size() != 2)
        return error(404, QStringLiteral("OBJECT_NOT_FOUND"), QStringLiteral("Not found"));
    bool ok = false;
    QString parseError;
    const QJsonObject body = request.json(&ok, &parseError).object();
    if (!ok)
        return invalidJson(parseError);
    if (!body.value(QStringLiteral("inputs")).isArray())
        return error(400, QStringLiteral("VALIDATION_ERROR"),
                     QStringLiteral("Invalid input JSON: `inputs` must be an array"));
    const QJsonArray inputs = body.value(QStringLiteral("inputs")).toArray();
    if (inputs.size() > MaxBatchInputs)
        return error(400, QStringLiteral("VALIDATION_ERROR"),
                     QStringLiteral("Batch input limit exceeded: %1 inputs were provided but at "
                                    "most %2 are allowed.")
                         .arg(inputs.size())
                         .arg(MaxBatchInputs));
    const QString op = r.rest.at(1);
    if (op == QLatin1String("read"))
        return batchRead(inputs, body, request, r.kind);
    if (op == QLatin1String("create"))
        return batchCreate(inputs, r.kind);
    if (op == QLatin1String("update"))
        return batchUpdate(inputs, r.kind);
    if (op == QLatin1String("upsert"))
        return batchUpsert(inputs, r.kind);
    if (op == QLatin1String("archive"))
        return batchArchive(inputs, r.kind);
    return error(404, QStringLiteral("OBJECT_NOT_FOUND"), QStringLiteral("Not found"));
}

Response FakeHubSpot::batchRead(const QJsonArray &inputs, const QJsonObject &body,
                                const Request &request, ObjectKind kind)
{
    const QString idProperty = body.value(QStringLiteral("idProperty")).toString();
    const bool archived = request.query.queryItemValue(QStringLiteral("archived"))
                              .compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    const QStringList properties = stringList(body.value(QStringLiteral("properties")));
    QJsonArray results;
    QJsonArray missing;
    for (const QJsonValue &v : inputs) {
        const QString id = inputId(v.toObject());
        const std::optional<qint64> n = resolveId(kind, id, idProperty);
        const std::optional<StoredObject> o = n ? m_store.get(kind, *n) : std::nullopt;
        if (!o || o->archived != archived) {
            missing.append(id);
            continue;
        }
        results.append(objectJson(kind, *o, properties, {}));
    }
    QJsonArray errors;
    if (!missing.isEmpty())
        errors.append(errorObject(
            QStringLiteral("OBJECT_NOT_FOUND"),
            QStringLiteral("Could not get some %1 objects, they may be deleted or not exist. Check "
                           "that ids are valid.")
                .arg(HubSpotProperties::objectTypeName(kind)),
            QJsonObject{{QStringLiteral("ids"), missing}}));
    return Response::json(errors.isEmpty() ? 200 : 207, batchBody(results, errors));
}

Response FakeHubSpot::batchCreate(const QJsonArray &inputs, ObjectKind kind)
{
    struct Planned
    {
        Props changes;
        QList<AssociationInput> associations;
        QString traceId;
        std::optional<Response> failure;
        QJsonObject failureBody;
    };
    QList<Planned> plans;
    QSet<QString> emails;
    bool failureWithoutTrace = false;
    for (const QJsonValue &v : inputs) {
        const QJsonObject input = v.toObject();
        Planned p;
        p.traceId = input.value(QStringLiteral("objectWriteTraceId")).toString();
        WriteCheck check = checkProperties(kind, input.value(QStringLiteral("properties")), {});
        p.changes = check.changes;
        p.failure = check.failure;
        p.failureBody = check.failureBody;
        const QString email = p.changes.value(QStringLiteral("email")).toLower();
        if (!p.failure && kind == ObjectKind::Contact) {
            if (const qint64 existing = emailOwner(p.changes, 0)) {
                p.failure = conflict(existing);
                p.failureBody = errorObject(
                    QStringLiteral("CONFLICT"),
                    QStringLiteral("Contact already exists. Existing ID: %1").arg(existing), {});
            } else if (!email.isEmpty() && emails.contains(email)) {
                const QString message =
                    QStringLiteral("Duplicate email %1 within one batch").arg(email);
                p.failure = error(400, QStringLiteral("VALIDATION_ERROR"), message);
                p.failureBody = errorObject(QStringLiteral("VALIDATION_ERROR"), message, {});
            }
        }
        if (!p.failure) {
            if (const auto bad = parseAssociations(
                    kind, input.value(QStringLiteral("associations")), &p.associations)) {
                p.failure = error(400, QStringLiteral("VALIDATION_ERROR"), *bad);
                p.failureBody = errorObject(QStringLiteral("VALIDATION_ERROR"), *bad, {});
            }
        }
        if (!p.failure && !email.isEmpty())
            emails.insert(email);
        failureWithoutTrace |= p.failure && p.traceId.isEmpty();
        plans << p;
    }
    // Without an objectWriteTraceId on every failing input HubSpot cannot report a partial
    // result: the whole batch fails and nothing is created.
    if (failureWithoutTrace) {
        for (const Planned &p : std::as_const(plans)) {
            if (p.failure && p.traceId.isEmpty())
                return *p.failure;
        }
    }
    QJsonArray results;
    QJsonArray errors;
    for (const Planned &p : std::as_const(plans)) {
        if (p.failure) {
            QJsonObject e = p.failureBody;
            e.insert(QStringLiteral("context"),
                     QJsonObject{{QStringLiteral("objectWriteTraceId"), QJsonArray{p.traceId}}});
            errors.append(e);
            continue;
        }
        const qint64 id = m_store.create(kind, p.changes);
        applyAssociations(kind, id, p.associations);
        QJsonObject json = objectJson(kind, *m_store.get(kind, id), {}, {}, true);
        if (!p.traceId.isEmpty())
            json.insert(QStringLiteral("objectWriteTraceId"), p.traceId);
        results.append(json);
    }
    return Response::json(errors.isEmpty() ? 201 : 207, batchBody(results, errors));
}

Response FakeHubSpot::batchUpdate(const QJsonArray &inputs, ObjectKind kind)
{
    QJsonArray results;
    QJsonArray errors;
    for (const QJsonValue &v : inputs) {
        const QJsonObject input = v.toObject();
        const QString id = inputId(input);
        const QJsonObject context{{QStringLiteral("ids"), QJsonArray{id}}};
        const std::optional<qint64> n =
            resolveId(kind, id, input.value(QStringLiteral("idProperty")).toString());
        const std::optional<StoredObject> o = n ? m_store.get(kind, *n) : std::nullopt;
        if (!o || o->archived) {
            errors.append(errorObject(QStringLiteral("OBJECT_NOT_FOUND"),
                                      QStringLiteral("Could not find %1 with id %2")
                                          .arg(HubSpotProperties::objectTypeName(kind), id),
                                      context));
            continue;
        }
        WriteCheck check =
            checkProperties(kind, input.value(QStringLiteral("properties")), o->props);
        if (check.failure) {
            QJsonObject e = check.failureBody;
            e.insert(QStringLiteral("context"), context);
            errors.append(e);
            continue;
        }
        if (kind == ObjectKind::Contact) {
            if (const qint64 existing = emailOwner(check.changes, o->id)) {
                errors.append(errorObject(
                    QStringLiteral("CONFLICT"),
                    QStringLiteral("Contact already exists. Existing ID: %1").arg(existing),
                    context));
                continue;
            }
        }
        m_store.update(kind, o->id, check.changes);
        results.append(objectJson(kind, *m_store.get(kind, o->id), {}, {}, true));
    }
    return Response::json(errors.isEmpty() ? 200 : 207, batchBody(results, errors));
}

Response FakeHubSpot::batchUpsert(const QJsonArray &inputs, ObjectKind kind)
{
    QJsonArray results;
    QJsonArray errors;
    for (const QJsonValue &v : inputs) {
        const QJsonObject input = v.toObject();
        const QString id = inputId(input);
        const QString idProperty = input.value(QStringLiteral("idProperty")).toString();
        const QString traceId = input.value(QStringLiteral("objectWriteTraceId")).toString();
        const QJsonObject context =
            traceId.isEmpty()
                ? QJsonObject{{QStringLiteral("ids"), QJsonArray{id}}}
                : QJsonObject{{QStringLiteral("objectWriteTraceId"), QJsonArray{traceId}}};
        const bool byEmail = kind == ObjectKind::Contact && idProperty == QLatin1String("email");
        if (!byEmail && !idProperty.isEmpty() && idProperty != QLatin1String("hs_object_id"))
            return error(400, QStringLiteral("VALIDATION_ERROR"),
                         QStringLiteral("%1 is not a unique property of %2 that upsert can use")
                             .arg(idProperty, HubSpotProperties::objectTypeName(kind)));
        const std::optional<qint64> n = resolveId(kind, id, idProperty);
        const std::optional<StoredObject> o = n ? m_store.get(kind, *n) : std::nullopt;
        const bool exists = o && !o->archived;
        if (!exists && !byEmail) {
            errors.append(errorObject(QStringLiteral("OBJECT_NOT_FOUND"),
                                      QStringLiteral("Could not find %1 with id %2")
                                          .arg(HubSpotProperties::objectTypeName(kind), id),
                                      context));
            continue;
        }
        WriteCheck check = checkProperties(kind, input.value(QStringLiteral("properties")),
                                           exists ? o->props : Props{});
        if (!check.failure && byEmail && !exists) {
            // The unique value becomes the new record's e-mail.
            check.changes.insert(QStringLiteral("email"), id);
        }
        if (check.failure) {
            QJsonObject e = check.failureBody;
            e.insert(QStringLiteral("context"), context);
            errors.append(e);
            continue;
        }
        if (kind == ObjectKind::Contact) {
            if (const qint64 existing = emailOwner(check.changes, exists ? o->id : 0)) {
                errors.append(errorObject(
                    QStringLiteral("CONFLICT"),
                    QStringLiteral("Contact already exists. Existing ID: %1").arg(existing),
                    context));
                continue;
            }
        }
        qint64 target = 0;
        if (exists) {
            target = o->id;
            m_store.update(kind, target, check.changes);
        } else {
            target = m_store.create(kind, check.changes);
        }
        QJsonObject json = objectJson(kind, *m_store.get(kind, target), {}, {}, true);
        json.insert(QStringLiteral("new"), !exists);
        results.append(json);
    }
    return Response::json(errors.isEmpty() ? 200 : 207, batchBody(results, errors));
}

Response FakeHubSpot::batchArchive(const QJsonArray &inputs, ObjectKind kind)
{
    for (const QJsonValue &v : inputs) {
        bool ok = false;
        const qint64 id = inputId(v.toObject()).toLongLong(&ok);
        if (ok)
            m_store.archive(kind, id);
    }
    return Response::empty(204);
}

Response FakeHubSpot::associationsBatchRead(const Request &request, const Route &r)
{
    if (r.kind == r.toKind)
        return error(400, QStringLiteral("VALIDATION_ERROR"),
                     QStringLiteral("The sandbox only associates contacts with companies"));
    bool ok = false;
    QString parseError;
    const QJsonObject body = request.json(&ok, &parseError).object();
    if (!ok)
        return invalidJson(parseError);
    const QJsonArray inputs = body.value(QStringLiteral("inputs")).toArray();
    if (inputs.size() > MaxAssociationInputs)
        return error(400, QStringLiteral("VALIDATION_ERROR"),
                     QStringLiteral("Batch input limit exceeded: %1 inputs were provided but at "
                                    "most %2 are allowed.")
                         .arg(inputs.size())
                         .arg(MaxAssociationInputs));
    const bool fromContacts = r.kind == ObjectKind::Contact;
    const int primaryType = fromContacts ? 1 : 2;
    const int unlabeledType = fromContacts ? 279 : 280;

    // from id -> [(to id, primary)]
    QHash<qint64, QList<QPair<qint64, bool>>> links;
    QList<qint64> ids;
    QJsonArray missing;
    for (const QJsonValue &v : inputs) {
        bool isNumber = false;
        const QString text = inputId(v.toObject());
        const qint64 id = text.toLongLong(&isNumber);
        if (!isNumber || !m_store.isLive(r.kind, id)) {
            missing.append(text);
            continue;
        }
        ids << id;
    }
    if (fromContacts) {
        for (qint64 id : std::as_const(ids)) {
            const QList<qint64> companies = associatedCompanies(*m_store.get(r.kind, id));
            for (int i = 0; i < companies.size(); ++i)
                links[id].append({companies.at(i), i == 0});
        }
    } else {
        links = m_store.contactsOfCompanies(QSet<qint64>(ids.cbegin(), ids.cend()));
    }

    QJsonArray results;
    QJsonArray errors;
    for (qint64 id : std::as_const(ids)) {
        const QList<QPair<qint64, bool>> to = links.value(id);
        if (to.isEmpty()) {
            QJsonObject e = errorObject(
                QStringLiteral("OBJECT_NOT_FOUND"),
                QStringLiteral("No %1 is associated with %2 %3.")
                    .arg(HubSpotProperties::objectTypeName(r.toKind).toLower(),
                         HubSpotProperties::objectTypeName(r.kind).toLower())
                    .arg(id),
                QJsonObject{{QStringLiteral("fromObjectId"), QJsonArray{QString::number(id)}}});
            e.insert(QStringLiteral("subCategory"),
                     QStringLiteral("crm.associations.NO_ASSOCIATIONS_FOUND"));
            errors.append(e);
            continue;
        }
        QJsonArray toJson;
        for (const auto &link : to) {
            QJsonArray types;
            if (link.second)
                types.append(
                    QJsonObject{{QStringLiteral("category"), QStringLiteral("HUBSPOT_DEFINED")},
                                {QStringLiteral("typeId"), primaryType},
                                {QStringLiteral("label"), QStringLiteral("Primary")}});
            types.append(
                QJsonObject{{QStringLiteral("category"), QStringLiteral("HUBSPOT_DEFINED")},
                            {QStringLiteral("typeId"), unlabeledType},
                            {QStringLiteral("label"), QJsonValue::Null}});
            toJson.append(QJsonObject{{QStringLiteral("toObjectId"), link.first},
                                      {QStringLiteral("associationTypes"), types}});
        }
        results.append(QJsonObject{
            {QStringLiteral("from"), QJsonObject{{QStringLiteral("id"), QString::number(id)}}},
            {QStringLiteral("to"), toJson}});
    }
    if (!missing.isEmpty())
        errors.append(errorObject(QStringLiteral("OBJECT_NOT_FOUND"),
                                  QStringLiteral("Could not find some %1 objects")
                                      .arg(HubSpotProperties::objectTypeName(r.kind)),
                                  QJsonObject{{QStringLiteral("ids"), missing}}));
    return Response::json(errors.isEmpty() ? 200 : 207, batchBody(results, errors));
}

} // namespace halospot::sandbox
