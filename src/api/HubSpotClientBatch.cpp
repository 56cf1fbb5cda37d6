// HubSpotClient's calls with JSON bodies: search re-sliced by hs_object_id past the 10 000 cap,
// batch read/create/update/upsert/archive in chunks of 100 with 207 results mapped back to each
// input, v4 association batch reads; and the account and property-definition reads.
#include "HubSpotClient.h"

#include "RestClient.h"

#include <QJsonArray>
#include <QJsonObject>

namespace halospot::api {

namespace {

constexpr int BatchLimit = 100; // HubSpot's maximum inputs per object batch request

QString batchPath(BatchOp op)
{
    switch (op) {
    case BatchOp::Read:
        return QStringLiteral("read");
    case BatchOp::Create:
        return QStringLiteral("create");
    case BatchOp::Update:
        return QStringLiteral("update");
    case BatchOp::Upsert:
        return QStringLiteral("upsert");
    case BatchOp::Archive:
        return QStringLiteral("archive");
    }
    return {};
}

QString batchIdString(const QJsonValue &value)
{
    return value.isDouble() ? QString::number(qint64(value.toDouble())) : value.toString();
}

QJsonObject propertiesObject(const QHash<QString, QString> &properties)
{
    QJsonObject object;
    for (auto it = properties.cbegin(); it != properties.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QJsonArray stringArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &s : list)
        array.append(s);
    return array;
}

qint64 numericId(const QString &id)
{
    bool ok = false;
    const qint64 n = id.toLongLong(&ok);
    return ok ? n : -1;
}

} // namespace

struct HubSpotClient::BatchRun
{
    BatchOp op = BatchOp::Read;
    QString type;
    QList<HubSpotBatchInput> inputs;
    QStringList properties;
    QList<HubSpotBatchItem> items;
    QList<bool> resolved;
    int open = 0;
    HubSpotReply<QList<HubSpotBatchItem>> reply; // carries the first request-level failure
    Done<QList<HubSpotBatchItem>> done;
};

struct HubSpotClient::SearchRun
{
    QString type;
    HubSpotSearchQuery search;
    PageSink sink;
    Done<qint64> done;
    qint64 count = 0;
    qint64 lastId = -1;
};

struct HubSpotClient::AssociationRun
{
    QString fromType;
    QString toType;
    AssociationMap map;
    int open = 0;
    HubSpotReply<AssociationMap> reply;
    Done<AssociationMap> done;
};

void HubSpotClient::batch(BatchOp op, const QString &objectType,
                          const QList<HubSpotBatchInput> &inputs, const QStringList &properties,
                          Done<QList<HubSpotBatchItem>> done)
{
    auto run = std::make_shared<BatchRun>();
    run->op = op;
    run->type = objectType;
    run->inputs = inputs;
    run->properties = properties;
    run->done = std::move(done);
    run->items.resize(inputs.size());
    run->resolved.fill(false, inputs.size());
    if (op == BatchOp::Create || op == BatchOp::Update || op == BatchOp::Upsert) {
        // A trace ID per input is what lets HubSpot name the failing inputs of a 207.
        for (qsizetype i = 0; i < run->inputs.size(); ++i) {
            if (run->inputs[i].objectWriteTraceId.isEmpty())
                run->inputs[i].objectWriteTraceId = QStringLiteral("halospot-%1").arg(i);
        }
    }
    if (inputs.isEmpty())
        return run->done(run->reply);
    for (int first = 0; first < inputs.size(); first += BatchLimit)
        ++run->open;
    for (int first = 0; first < inputs.size(); first += BatchLimit)
        sendBatchChunk(run, first, qMin(BatchLimit, int(inputs.size()) - first));
}

void HubSpotClient::sendBatchChunk(std::shared_ptr<BatchRun> run, int first, int count)
{
    QJsonArray inputs;
    for (int i = first; i < first + count; ++i) {
        const HubSpotBatchInput &in = run->inputs.at(i);
        QJsonObject o;
        if (run->op != BatchOp::Create)
            o.insert(QStringLiteral("id"), in.id);
        if (run->op == BatchOp::Create || run->op == BatchOp::Update ||
            run->op == BatchOp::Upsert) {
            o.insert(QStringLiteral("properties"), propertiesObject(in.properties));
            o.insert(QStringLiteral("objectWriteTraceId"), in.objectWriteTraceId);
        }
        if ((run->op == BatchOp::Update || run->op == BatchOp::Upsert) && !in.idProperty.isEmpty())
            o.insert(QStringLiteral("idProperty"), in.idProperty);
        inputs.append(o);
    }
    QJsonObject body{{QStringLiteral("inputs"), inputs}};
    if (run->op == BatchOp::Read) {
        QStringList properties = run->properties;
        const QString idProperty = run->inputs.at(first).idProperty;
        if (!idProperty.isEmpty()) {
            body.insert(QStringLiteral("idProperty"), idProperty);
            if (!properties.isEmpty() && !properties.contains(idProperty))
                properties.append(idProperty); // needed to map results back to the inputs
        }
        if (!properties.isEmpty()) {
            QJsonArray list;
            for (const QString &p : std::as_const(properties))
                list.append(p);
            body.insert(QStringLiteral("properties"), list);
        }
    }
    ApiRequest request =
        jsonPost(settings().objectsPath(run->type) + QStringLiteral("/batch/") + batchPath(run->op),
                 body, tr("%1 %2 %3 (batch)").arg(batchPath(run->op)).arg(count).arg(run->type));
    // A create that may have reached HubSpot is never resent: it would duplicate records.
    request.idempotent = run->op != BatchOp::Create;
    send(request, [this, run, first, count](const ApiResponse &response) {
        finishBatchChunk(run, first, count, response);
        if (--run->open > 0)
            return;
        run->reply.value = run->items;
        run->done(run->reply);
    });
}

void HubSpotClient::finishBatchChunk(std::shared_ptr<BatchRun> run, int first, int count,
                                     const ApiResponse &response)
{
    const int end = first + count;
    auto fail = [&run](int i, ApiError error, const QString &message, const QString &category) {
        if (run->resolved[i])
            return;
        run->resolved[i] = true;
        run->items[i].error = error;
        run->items[i].message = message;
        run->items[i].category = category;
    };
    const QJsonObject body = response.json.object();
    const bool readable = response.json.isObject() || response.status == 204;
    if (!response.ok() || !readable) {
        const ApiError error = response.ok() ? ApiError::Malformed : response.error;
        const QString message =
            response.ok() ? tr("HubSpot sent an unreadable batch result for %1.").arg(run->type)
                          : response.message;
        for (int i = first; i < end; ++i)
            fail(i, error, message, body.value(QStringLiteral("category")).toString());
        if (run->reply.ok()) {
            run->reply.error = error;
            run->reply.message = message;
            run->reply.status = response.status;
        }
        return;
    }

    // Keys that identify an input in HubSpot's answer: its trace ID, its ID or unique value.
    QHash<QString, int> byTrace;
    QHash<QString, int> byKey;
    for (int i = first; i < end; ++i) {
        const HubSpotBatchInput &in = run->inputs.at(i);
        if (!in.objectWriteTraceId.isEmpty())
            byTrace.insert(in.objectWriteTraceId, i);
        if (!in.id.isEmpty())
            byKey.insert(in.id.toLower(), i);
    }

    QList<QPair<QString, QString>> unmapped; // (category, message)
    const QJsonArray errors = body.value(QStringLiteral("errors")).toArray();
    for (const QJsonValue &value : errors) {
        const QJsonObject e = value.toObject();
        const QString category = e.value(QStringLiteral("category")).toString();
        const QString message = e.value(QStringLiteral("message")).toString();
        const QJsonObject context = e.value(QStringLiteral("context")).toObject();
        QList<int> targets;
        for (auto it = context.constBegin(); it != context.constEnd(); ++it) {
            const bool trace = it.key() == QLatin1String("objectWriteTraceId");
            const QJsonArray values =
                it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
            for (const QJsonValue &v : values) {
                const QString key = batchIdString(v);
                const int index = trace ? byTrace.value(key, -1) : byKey.value(key.toLower(), -1);
                if (index >= 0 && !targets.contains(index))
                    targets.append(index);
            }
        }
        if (targets.isEmpty())
            unmapped.append({category, message});
        for (int index : std::as_const(targets))
            fail(index, ApiError::Http, message, category);
    }

    const QJsonArray results = body.value(QStringLiteral("results")).toArray();
    int nextInOrder = first;
    for (const QJsonValue &value : results) {
        const QJsonObject r = value.toObject();
        const HubSpotObject object = parseObject(r);
        int index = byTrace.value(r.value(QStringLiteral("objectWriteTraceId")).toString(), -1);
        if (index < 0 && run->op != BatchOp::Create) {
            index = byKey.value(object.id.toLower(), -1);
            const QString idProperty = run->inputs.at(first).idProperty;
            if (index < 0 && !idProperty.isEmpty())
                index = byKey.value(object.properties.value(idProperty).toLower(), -1);
        }
        if (index < 0 && (run->op == BatchOp::Create || run->op == BatchOp::Upsert)) {
            // No key came back: HubSpot answers in input order, skipping the failed inputs.
            while (nextInOrder < end && run->resolved[nextInOrder])
                ++nextInOrder;
            if (nextInOrder < end)
                index = nextInOrder;
        }
        if (index < 0 || run->resolved[index])
            continue;
        run->resolved[index] = true;
        run->items[index].object = object;
        run->items[index].created =
            run->op == BatchOp::Create || r.value(QStringLiteral("new")).toBool();
    }

    if (run->op == BatchOp::Archive)
        return; // 204: every input without an error is archived
    for (int i = first; i < end; ++i) {
        if (!unmapped.isEmpty())
            fail(i, ApiError::Http, unmapped.first().second, unmapped.first().first);
        else if (run->op == BatchOp::Read)
            fail(i, ApiError::Http,
                 tr("HubSpot has no %1 with ID %2.").arg(run->type, run->inputs.at(i).id),
                 QStringLiteral("OBJECT_NOT_FOUND"));
        else
            fail(i, ApiError::Http, tr("HubSpot returned no result for this record."), {});
    }
}

void HubSpotClient::associations(const QString &fromType, const QString &toType,
                                 const QStringList &fromIds, Done<AssociationMap> done)
{
    auto run = std::make_shared<AssociationRun>();
    run->fromType = fromType;
    run->toType = toType;
    run->done = std::move(done);
    if (fromIds.isEmpty())
        return run->done(run->reply);
    QList<QList<QPair<QString, QString>>> chunks;
    for (int first = 0; first < fromIds.size(); first += BatchLimit) {
        QList<QPair<QString, QString>> inputs;
        for (int i = first; i < qMin(int(fromIds.size()), first + BatchLimit); ++i)
            inputs.append({fromIds.at(i), QString()});
        chunks.append(inputs);
    }
    run->open = int(chunks.size()); // counted up front so an early reply cannot finish the run
    for (const auto &inputs : std::as_const(chunks))
        readAssociations(run, inputs);
}

void HubSpotClient::readAssociations(std::shared_ptr<AssociationRun> run,
                                     const QList<QPair<QString, QString>> &inputs)
{
    QJsonArray array;
    for (const auto &input : inputs) {
        QJsonObject o{{QStringLiteral("id"), input.first}};
        if (!input.second.isEmpty())
            o.insert(QStringLiteral("after"), input.second);
        array.append(o);
    }
    const ApiRequest request = jsonPost(
        settings().associationsPath(run->fromType, run->toType) + QStringLiteral("/batch/read"),
        QJsonObject{{QStringLiteral("inputs"), array}},
        tr("read the %1 of %2 %3").arg(run->toType).arg(inputs.size()).arg(run->fromType));
    send(request, [this, run](const ApiResponse &response) {
        QList<QPair<QString, QString>> more; // inputs whose associations continue on another page
        if (!response.ok() || !response.json.isObject()) {
            if (run->reply.ok()) {
                run->reply.error = response.ok() ? ApiError::Malformed : response.error;
                run->reply.message = response.message;
                run->reply.status = response.status;
            }
        } else {
            const QJsonArray results =
                response.json.object().value(QStringLiteral("results")).toArray();
            for (const QJsonValue &value : results) {
                const QJsonObject r = value.toObject();
                const QString from = batchIdString(
                    r.value(QStringLiteral("from")).toObject().value(QStringLiteral("id")));
                QList<HubSpotAssociation> &targets = run->map[from];
                const QJsonArray to = r.value(QStringLiteral("to")).toArray();
                for (const QJsonValue &t : to) {
                    const QJsonObject target = t.toObject();
                    HubSpotAssociation association;
                    association.toId = batchIdString(target.value(QStringLiteral("toObjectId")));
                    const QJsonArray types =
                        target.value(QStringLiteral("associationTypes")).toArray();
                    for (const QJsonValue &type : types)
                        association.typeIds.append(
                            type.toObject().value(QStringLiteral("typeId")).toInt());
                    targets.append(association);
                }
                const QString after = r.value(QStringLiteral("paging"))
                                          .toObject()
                                          .value(QStringLiteral("next"))
                                          .toObject()
                                          .value(QStringLiteral("after"))
                                          .toString();
                if (!after.isEmpty())
                    more.append({from, after});
            }
        }
        if (!more.isEmpty() && run->reply.ok()) {
            ++run->open;
            readAssociations(run, more);
        }
        if (--run->open > 0)
            return;
        run->reply.value = run->map;
        run->done(run->reply);
    });
}

void HubSpotClient::accountInfo(Done<HubSpotAccountInfo> done)
{
    ApiRequest request;
    request.url = settings().url(settings().accountInfoPath());
    request.what = tr("read the HubSpot account details");
    send(request, [done](const ApiResponse &response) {
        if (!response.ok() || !response.json.isObject())
            return done(HubSpotReply<HubSpotAccountInfo>::failed(response));
        const QJsonObject o = response.json.object();
        HubSpotReply<HubSpotAccountInfo> reply;
        reply.status = response.status;
        reply.value.portalId = o.value(QStringLiteral("portalId")).toInteger();
        reply.value.timeZone = o.value(QStringLiteral("timeZone")).toString();
        reply.value.uiDomain = o.value(QStringLiteral("uiDomain")).toString();
        reply.value.companyCurrency = o.value(QStringLiteral("companyCurrency")).toString();
        reply.value.accountType = o.value(QStringLiteral("accountType")).toString();
        reply.value.utcOffsetMs = o.value(QStringLiteral("utcOffsetMilliseconds")).toInteger();
        done(reply);
    });
}

void HubSpotClient::properties(const QString &objectType, Done<QList<HubSpotProperty>> done)
{
    ApiRequest request;
    request.url = settings().url(settings().propertiesPath(objectType));
    request.what = tr("read the %1 property definitions").arg(objectType);
    send(request, [done](const ApiResponse &response) {
        if (!response.ok() || !response.json.isObject())
            return done(HubSpotReply<QList<HubSpotProperty>>::failed(response));
        HubSpotReply<QList<HubSpotProperty>> reply;
        reply.status = response.status;
        const QJsonArray results =
            response.json.object().value(QStringLiteral("results")).toArray();
        for (const QJsonValue &value : results) {
            const QJsonObject o = value.toObject();
            HubSpotProperty p;
            p.name = o.value(QStringLiteral("name")).toString();
            p.label = o.value(QStringLiteral("label")).toString();
            p.type = o.value(QStringLiteral("type")).toString();
            p.fieldType = o.value(QStringLiteral("fieldType")).toString();
            p.groupName = o.value(QStringLiteral("groupName")).toString();
            p.description = o.value(QStringLiteral("description")).toString();
            p.referencedObjectType = o.value(QStringLiteral("referencedObjectType")).toString();
            p.hidden = o.value(QStringLiteral("hidden")).toBool();
            p.calculated = o.value(QStringLiteral("calculated")).toBool();
            p.hasUniqueValue = o.value(QStringLiteral("hasUniqueValue")).toBool();
            p.readOnlyValue = o.value(QStringLiteral("modificationMetadata"))
                                  .toObject()
                                  .value(QStringLiteral("readOnlyValue"))
                                  .toBool();
            const QJsonArray options = o.value(QStringLiteral("options")).toArray();
            for (const QJsonValue &ov : options) {
                const QJsonObject oo = ov.toObject();
                p.options.append({oo.value(QStringLiteral("label")).toString(),
                                  oo.value(QStringLiteral("value")).toString(),
                                  oo.value(QStringLiteral("hidden")).toBool(),
                                  oo.value(QStringLiteral("displayOrder")).toInt()});
            }
            reply.value.append(p);
        }
        done(reply);
    });
}

void HubSpotClient::searchPage(const QString &objectType, const HubSpotSearchQuery &search,
                               Done<HubSpotPage> done)
{
    QJsonArray groups;
    for (const auto &group : search.filterGroups) {
        QJsonArray filters;
        for (const HubSpotSearchFilter &f : group) {
            QJsonObject filter{{QStringLiteral("propertyName"), f.propertyName},
                               {QStringLiteral("operator"), f.op}};
            if (!f.value.isEmpty())
                filter.insert(QStringLiteral("value"), f.value);
            if (!f.highValue.isEmpty())
                filter.insert(QStringLiteral("highValue"), f.highValue);
            if (!f.values.isEmpty())
                filter.insert(QStringLiteral("values"), stringArray(f.values));
            filters.append(filter);
        }
        groups.append(QJsonObject{{QStringLiteral("filters"), filters}});
    }
    QJsonObject body{{QStringLiteral("filterGroups"), groups},
                     {QStringLiteral("limit"), qBound(1, search.limit, 200)}};
    if (!search.sortProperty.isEmpty())
        body.insert(QStringLiteral("sorts"),
                    QJsonArray{QJsonObject{{QStringLiteral("propertyName"), search.sortProperty},
                                           {QStringLiteral("direction"),
                                            search.sortDescending ? QStringLiteral("DESCENDING")
                                                                  : QStringLiteral("ASCENDING")}}});
    if (!search.properties.isEmpty())
        body.insert(QStringLiteral("properties"), stringArray(search.properties));
    if (!search.after.isEmpty())
        body.insert(QStringLiteral("after"), search.after);
    if (!search.query.isEmpty())
        body.insert(QStringLiteral("query"), search.query);
    const ApiRequest request =
        jsonPost(settings().objectsPath(objectType) + QStringLiteral("/search"), body,
                 tr("search %1").arg(objectType), QStringLiteral("search"));
    send(request, [done](const ApiResponse &response) {
        if (!response.ok() || !response.json.isObject())
            return done(HubSpotReply<HubSpotPage>::failed(response));
        HubSpotReply<HubSpotPage> reply;
        reply.status = response.status;
        const QJsonObject o = response.json.object();
        const QJsonArray results = o.value(QStringLiteral("results")).toArray();
        for (const QJsonValue &value : results)
            reply.value.results.append(parseObject(value.toObject()));
        reply.value.total = o.value(QStringLiteral("total")).toInteger(-1);
        const QJsonValue after = o.value(QStringLiteral("paging"))
                                     .toObject()
                                     .value(QStringLiteral("next"))
                                     .toObject()
                                     .value(QStringLiteral("after"));
        reply.value.nextAfter =
            after.isDouble() ? QString::number(after.toInteger()) : after.toString();
        done(reply);
    });
}

void HubSpotClient::searchAll(const QString &objectType, const HubSpotSearchQuery &search,
                              PageSink sink, Done<qint64> done)
{
    auto run = std::make_shared<SearchRun>();
    run->type = objectType;
    run->search = search;
    run->sink = std::move(sink);
    run->done = std::move(done);
    searchNext(run);
}

void HubSpotClient::searchNext(std::shared_ptr<SearchRun> run)
{
    // Every page is a fresh query above the last ID seen (keyset paging), so the 10 000-result cap
    // is never reached and records sharing one timestamp cannot make it loop.
    HubSpotSearchQuery search = run->search;
    search.sortProperty = QStringLiteral("hs_object_id");
    search.sortDescending = false;
    search.after.clear();
    if (run->lastId >= 0) {
        const HubSpotSearchFilter above{QStringLiteral("hs_object_id"),
                                        QStringLiteral("GT"),
                                        QString::number(run->lastId),
                                        {},
                                        {}};
        if (search.filterGroups.isEmpty())
            search.filterGroups.append({above});
        for (auto &group : search.filterGroups)
            group.append(above);
    }
    searchPage(run->type, search, [this, run](const HubSpotReply<HubSpotPage> &reply) {
        HubSpotReply<qint64> result;
        if (!reply.ok()) {
            result.error = reply.error;
            result.message = reply.message;
            result.status = reply.status;
            return run->done(result);
        }
        const QList<HubSpotObject> &results = reply.value.results;
        if (!results.isEmpty()) {
            const qint64 last = numericId(results.last().id);
            if (last <= run->lastId) {
                result.error = ApiError::Malformed;
                result.message = tr("HubSpot's search results for %1 did not advance past ID %2.")
                                     .arg(run->type)
                                     .arg(run->lastId);
                return run->done(result);
            }
            run->lastId = last;
            run->count += results.size();
            run->sink(results);
        }
        if (results.isEmpty() || reply.value.nextAfter.isEmpty()) {
            result.value = run->count;
            return run->done(result);
        }
        searchNext(run);
    });
}

} // namespace halospot::api
