// CompanyImport's writes: the intent journal around every Halo array POST, the reply committed
// with its links and results, rejected batches split until the bad record stands alone, and
// outcome-unknown sends (and intents left by a crash) reconciled against Halo before anything is
// sent again.
#include "CompanyImport.h"

#include "HaloClient.h"
#include "ImportSupport.h"
#include "Store.h"

#include <QTimer>
#include <QUuid>

#include <limits>
#include <memory>

namespace halospot::engine {

namespace {

constexpr int kMaxReconcileFailures = 5;

} // namespace

void CompanyImport::reconcileLeftovers()
{
    // Intents left by a run that stopped between sending and recording (a crash, a kill): the
    // records may exist in Halo. The index was just read, so look them up there.
    const Result<QList<core::PendingWrite>> pending = m_store->pendingWrites();
    if (!pending) {
        fail(pending.error());
        return;
    }
    QList<core::Link> links;
    QList<qint64> settled;
    for (const core::PendingWrite &w : pending.value()) {
        if (w.target != core::WriteTarget::Halo || w.entity != core::Entity::Company)
            continue;
        settled.append(w.id);
        if (w.payload.contains(QLatin1String("id")))
            continue; // an update: repeating it is harmless, the pipeline decides afresh
        const Customer *found = nullptr;
        if (m_spec.writeHubSpotIdToHalo) {
            found = m_index.byHubSpotId(w.sourceId);
        } else {
            const QList<qint64> ids = m_index.byName(w.naturalKey);
            if (ids.size() == 1)
                found = m_index.byId(ids.constFirst());
        }
        if (found)
            links.append(core::Link{core::Entity::Company, w.sourceId, found->id, {}, {}});
    }
    if (!settled.isEmpty())
        checkStore(m_store->recordBatch(m_report.runId, links, {}, settled));
}

void CompanyImport::sendBatch(QList<WriteOp> ops)
{
    Batch batch;
    batch.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QList<core::PendingWrite> intents;
    QJsonArray records;
    for (const WriteOp &op : std::as_const(ops)) {
        core::PendingWrite w;
        w.runId = m_report.runId;
        w.batchId = batch.id;
        w.target = core::WriteTarget::Halo;
        w.entity = core::Entity::Company;
        w.sourceId = op.hubspotId;
        w.naturalKey = op.key;
        w.payload = op.payload;
        intents.append(w);
        records.append(op.payload);
    }
    const Result<QList<qint64>> ids = m_store->addPendingWrites(intents);
    if (!ids) {
        fail(ids.error());
        return;
    }
    batch.intents = ids.value();
    batch.ops = std::move(ops);
    batch.knownMaxId = m_index.maxId();
    ++m_inFlight;
    m_halo->post(api::HaloResource::Client, records, this,
                 [this, batch](const api::ApiResponse &response, const QJsonArray &saved) {
                     if (m_finished)
                         return; // cancelled: the intents stay for the next run to reconcile
                     --m_inFlight;
                     batchReplied(batch, response, saved);
                     pump();
                 });
}

void CompanyImport::batchReplied(const Batch &batch, const api::ApiResponse &response,
                                 const QJsonArray &saved)
{
    bool complete = response.ok() && saved.size() == batch.ops.size();
    for (qsizetype i = 0; complete && i < saved.size(); ++i)
        complete = saved.at(i).toObject().value(QLatin1String("id")).toInteger() > 0;
    if (complete) {
        QList<core::Link> links;
        QList<core::RunItem> items;
        for (qsizetype i = 0; i < batch.ops.size(); ++i) {
            const WriteOp &op = batch.ops.at(i);
            const QJsonObject row = saved.at(i).toObject();
            const qint64 id = row.value(QLatin1String("id")).toInteger();
            links.append(core::Link{core::Entity::Company, op.hubspotId, id, {}, {}});
            items.append(itemFor(op, id));
        }
        if (!checkStore(m_store->recordBatch(m_report.runId, links, items, batch.intents)))
            return;
        for (qsizetype i = 0; i < batch.ops.size(); ++i) {
            const WriteOp &op = batch.ops.at(i);
            const core::RunItem &item = items.at(i);
            m_report.counts.add(item.action);
            m_results.append(item);
            if (op.customerId == 0) {
                m_index.addRow(saved.at(i).toObject());
                m_claims.insert(item.haloId, op.hubspotId);
                createSettled(op);
            } else {
                m_index.applyWrite(op.customerId, op.values, op.hubspotIdWritten);
            }
        }
        return;
    }

    if (response.ok() || response.error == api::ApiError::OutcomeUnknown) {
        // Sent, but what Halo did is not known: look before sending anything again.
        m_unknown.append(batch);
        startReconcile();
        return;
    }

    // Halo checks every element before writing any: a 400 (invalid value) or 404 (a customer
    // deleted since the run began) names the element and nothing of the batch was written.
    if (response.error == api::ApiError::Http &&
        (response.status == 400 || response.status == 404)) {
        rejected(batch, response);
        return;
    }

    if (response.error == api::ApiError::Unauthorized) {
        // Refused before anything was written (a token that expired in flight): send again with
        // a new token, a few times at most.
        QList<WriteOp> again;
        for (WriteOp op : batch.ops) {
            if (++op.unknownSends >= m_spec.maxUnknownRetries)
                break;
            again.append(op);
        }
        if (again.size() == batch.ops.size()) {
            if (!checkStore(m_store->clearPendingWrites(batch.intents)))
                return;
            m_halo->invalidateToken();
            m_ready.push_back(again);
            return;
        }
    }

    // Refused without writing (authentication, permission, still throttled after the retries,
    // not reachable): every record of the batch failed with the reason.
    QList<core::RunItem> items;
    for (const WriteOp &op : batch.ops) {
        core::RunItem item = itemFor(op, op.customerId);
        item.action = QStringLiteral("failed");
        item.reason = response.message;
        item.changes = {};
        items.append(item);
    }
    if (!checkStore(m_store->recordBatch(m_report.runId, {}, items, batch.intents)))
        return;
    for (qsizetype i = 0; i < items.size(); ++i) {
        m_report.counts.add(items.at(i).action);
        m_results.append(items.at(i));
        if (batch.ops.at(i).customerId == 0)
            createSettled(batch.ops.at(i));
    }
    if (response.error == api::ApiError::ReconnectNeeded ||
        response.error == api::ApiError::Refused)
        fail(response.message);
}

void CompanyImport::rejected(const Batch &batch, const api::ApiResponse &response)
{
    // Halo validates the whole array before writing any of it: nothing of this batch was written.
    const qsizetype n = batch.ops.size();
    const int bad = n == 1 ? 0 : importsupport::rejectedIndex(response, n);
    if (bad < 0) {
        // No element named: halve until the bad record is alone.
        if (!checkStore(m_store->clearPendingWrites(batch.intents)))
            return;
        m_ready.push_front(batch.ops.mid(n / 2));
        m_ready.push_front(batch.ops.mid(0, n / 2));
        return;
    }
    const WriteOp &op = batch.ops.at(bad);
    core::RunItem item = itemFor(op, op.customerId);
    item.action = QStringLiteral("failed");
    item.reason = response.message;
    item.changes = {};
    QList<qint64> others = batch.intents;
    const qint64 badIntent = others.takeAt(bad);
    if (!checkStore(m_store->recordBatch(m_report.runId, {}, {item}, {badIntent})) ||
        !checkStore(m_store->clearPendingWrites(others)))
        return;
    m_report.counts.add(item.action);
    m_results.append(item);
    if (op.customerId == 0)
        createSettled(op);
    // The others were valid up to the bad one; the rest is unknown: send both parts again.
    if (bad + 1 < n)
        m_ready.push_front(batch.ops.mid(bad + 1));
    if (bad > 0)
        m_ready.push_front(batch.ops.mid(0, bad));
}

void CompanyImport::startReconcile()
{
    if (m_reconciling || m_unknown.isEmpty() || m_finished)
        return;
    m_reconciling = true;
    const QList<Batch> batches = m_unknown;
    m_unknown.clear();
    qint64 knownBefore = std::numeric_limits<qint64>::max();
    for (const Batch &b : batches)
        knownBefore = qMin(knownBefore, b.knownMaxId);
    // Usually one request: the newest page, newest first. It holds every customer created
    // since the batches were sent when it is really in descending id order and reaches back to a
    // customer known before them; otherwise (an instance that ignores the order, or more new
    // customers than a page) every customer is read.
    readNewestRows(
        api::HaloResource::Client, customerQuery(), knownBefore,
        [this, batches](const api::ApiResponse &response, const QJsonArray &rows) {
            reconciled(batches, response, rows);
            pump();
        },
        [this, batches] { reconcileFromFullRead(batches); });
}

void CompanyImport::reconcileFromFullRead(const QList<Batch> &batches)
{
    m_halo->listAll(api::HaloResource::Client, customerQuery(), this,
                    [this, batches](const api::ApiResponse &response, const QJsonArray &rows) {
                        if (m_finished)
                            return;
                        reconciled(batches, response, rows);
                        pump();
                    });
}

void CompanyImport::reconciled(const QList<Batch> &batches, const api::ApiResponse &response,
                               const QJsonArray &rows)
{
    m_reconciling = false;
    if (!response.ok()) {
        // Nothing may be re-sent before Halo could be asked; try again shortly, then give up
        // with the intents kept for the next run.
        m_unknown = batches + m_unknown;
        if (++m_reconcileFailures > kMaxReconcileFailures) {
            fail(tr("HaloSpot could not check which customers Halo created after an unclear "
                    "reply, so it stopped without sending them again: %1")
                     .arg(response.message));
            return;
        }
        QTimer::singleShot(1000, this, [this] { startReconcile(); });
        return;
    }
    m_reconcileFailures = 0;
    CustomerIndex fresh;
    fresh.add(rows);

    QList<core::Link> links;
    QList<core::RunItem> items;
    QList<qint64> settled;
    QList<qint64> cleared;
    QList<WriteOp> resend;
    QList<WriteOp> createdOps;
    QList<Customer> createdCustomers;
    QList<WriteOp> failedCreates;
    for (const Batch &batch : batches) {
        for (qsizetype i = 0; i < batch.ops.size(); ++i) {
            WriteOp op = batch.ops.at(i);
            const qint64 intent = batch.intents.at(i);
            const Customer *found = nullptr;
            if (op.customerId == 0) {
                if (m_spec.writeHubSpotIdToHalo) {
                    found = fresh.byHubSpotId(op.hubspotId);
                } else {
                    // The name had no match before the create and no other create of it was in
                    // flight, so a new customer of that name is this one.
                    for (qint64 id : fresh.byName(op.key)) {
                        if (!m_index.byId(id)) {
                            found = fresh.byId(id);
                            break;
                        }
                    }
                }
            }
            if (found) {
                links.append(core::Link{core::Entity::Company, op.hubspotId, found->id, {}, {}});
                items.append(itemFor(op, found->id));
                settled.append(intent);
                createdOps.append(op);
                createdCustomers.append(*found);
                continue;
            }
            // Not written (or an update, which is safe to repeat): send again, within limits.
            if (++op.unknownSends >= m_spec.maxUnknownRetries) {
                core::RunItem item = itemFor(op, op.customerId);
                item.action = QStringLiteral("failed");
                item.reason = tr("Halo did not answer clearly %1 times in a row, so HaloSpot "
                                 "stopped sending this company. It was not written.")
                                  .arg(op.unknownSends);
                item.changes = {};
                items.append(item);
                settled.append(intent);
                if (op.customerId == 0)
                    failedCreates.append(op); // settles the name, creates nothing
                continue;
            }
            cleared.append(intent);
            resend.append(op);
        }
    }
    if (!checkStore(m_store->recordBatch(m_report.runId, links, items, settled)) ||
        !checkStore(m_store->clearPendingWrites(cleared)))
        return;
    for (const core::RunItem &item : std::as_const(items)) {
        m_report.counts.add(item.action);
        m_results.append(item);
    }
    for (qsizetype i = 0; i < createdCustomers.size(); ++i) {
        m_index.insert(createdCustomers.at(i));
        m_claims.insert(createdCustomers.at(i).id, createdOps.at(i).hubspotId);
    }
    for (const WriteOp &op : std::as_const(createdOps))
        createSettled(op);
    for (const WriteOp &op : std::as_const(failedCreates)) {
        if (!op.hubspotId.isEmpty())
            createSettled(op);
    }
    for (qsizetype from = 0; from < resend.size(); from += m_spec.batchSize)
        m_ready.push_back(resend.mid(from, m_spec.batchSize));
    startReconcile();
}

void CompanyImport::createSettled(const WriteOp &op)
{
    if (m_creating.value(op.key) != op.hubspotId)
        return;
    m_creating.remove(op.key);
    const QList<api::HubSpotObject> waiting = m_deferred.take(op.key);
    m_deferredCount -= waiting.size();
    for (const api::HubSpotObject &company : waiting) {
        if (m_finished)
            return;
        process(company);
    }
}

} // namespace halospot::engine
