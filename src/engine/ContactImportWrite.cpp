// ContactImport's writes, as the company import's: the intent journal around every Halo array
// POST of users, the reply committed with its links and results, rejected batches split until the
// bad record stands alone, and outcome-unknown sends (and intents left by a crash) reconciled
// against Halo's users before anything is sent again.
#include "ContactImport.h"

#include "HaloClient.h"
#include "ImportSupport.h"
#include "Names.h"
#include "Store.h"

#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

#include <limits>
#include <memory>

namespace halospot::engine {

namespace {

constexpr int kMaxReconcileFailures = 5;

// The key a create is reconciled by when Halo holds no HubSpot ID: the e-mail address, or the
// name for a user without one.
quint64 payloadKey(const QJsonObject &payload)
{
    const quint64 email =
        UserIndex::emailKey(payload.value(QLatin1String("emailaddress")).toString());
    return email ? email : UserIndex::nameKey(payload.value(QLatin1String("name")).toString());
}

// Kept in an intent's payload (never sent to Halo): the newest Halo user id known when the batch
// was sent. Only a user newer than that can be the one a create made.
const QLatin1String kKnownMaxIdKey("halospot_known_max_user_id");

} // namespace

void ContactImport::reconcileLeftovers()
{
    // Intents left by a run that stopped between sending and recording (a crash, a kill): the
    // users may exist in Halo. The index was just read, so look them up there.
    const Result<QList<core::PendingWrite>> pending = m_store->pendingWrites();
    if (!pending) {
        fail(pending.error(), api::ApiError::None);
        return;
    }
    QList<core::Link> links;
    QList<qint64> settled;
    QSet<qint64> taken; // users already given to a leftover create
    for (const core::PendingWrite &w : pending.value()) {
        if (w.target != core::WriteTarget::Halo || w.entity != core::Entity::Contact)
            continue;
        settled.append(w.id);
        if (w.payload.contains(QLatin1String("id")))
            continue; // an update: repeating it is harmless, the pipeline decides afresh
        const HaloUser *found = nullptr;
        if (m_spec.writeHubSpotIdToHalo) {
            found = m_users.byHubSpotId(w.sourceId);
        } else {
            // Without HubSpot IDs in Halo, the create's key (address, or name without one) at
            // its site says little on its own: a user of that name may have been there all along
            // (names are never matched otherwise). Only a user newer than the batch that no
            // other contact owns (no link, no other HubSpot ID) can be the one it made, and
            // only when there is exactly one. An intent without the mark (older versions) has
            // 0: the ownership rules still apply.
            const qint64 knownMax = w.payload.value(kKnownMaxIdKey).toInteger();
            const qint64 contactNumber = HaloUser::hubspotIdNumber(w.sourceId);
            const qint64 site = w.payload.value(QLatin1String("site_id")).toInteger();
            const quint64 key = payloadKey(w.payload);
            const bool hasEmail =
                !w.payload.value(QLatin1String("emailaddress")).toString().trimmed().isEmpty();
            QList<const HaloUser *> same;
            for (const HaloUser *u : m_users.byKey(key)) {
                if (u->id <= knownMax || u->siteId != site || u->hasEmail != hasEmail ||
                    taken.contains(u->id) || (u->hubspotId != 0 && u->hubspotId != contactNumber))
                    continue;
                const Result<QList<core::Link>> owners =
                    m_store->findLinksByHaloId(core::Entity::Contact, u->id);
                if (!owners) {
                    fail(owners.error(), api::ApiError::None);
                    return;
                }
                bool owned = false;
                for (const core::Link &l : owners.value())
                    owned = owned || l.hubspotId != w.sourceId;
                if (!owned)
                    same.append(u);
            }
            if (same.size() == 1)
                found = same.constFirst();
        }
        if (found) {
            taken.insert(found->id);
            links.append(core::Link{core::Entity::Contact, w.sourceId, found->id, {}, {}});
        }
    }
    if (!settled.isEmpty())
        checkStore(m_store->recordBatch(m_report.runId, links, {}, settled));
}

void ContactImport::sendBatch(QList<WriteOp> ops)
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
        w.entity = core::Entity::Contact;
        w.sourceId = op.hubspotId;
        w.naturalKey = op.email;
        w.payload = op.payload; // records below carry op.payload: the mark is not sent
        w.payload.insert(kKnownMaxIdKey, m_maxUserId);
        intents.append(w);
        records.append(op.payload);
    }
    const Result<QList<qint64>> ids = m_store->addPendingWrites(intents);
    if (!ids) {
        fail(ids.error(), api::ApiError::None);
        return;
    }
    batch.intents = ids.value();
    batch.ops = std::move(ops);
    batch.knownMaxId = m_maxUserId;
    ++m_inFlight;
    m_halo->post(api::HaloResource::Users, records, this,
                 [this, batch](const api::ApiResponse &response, const QJsonArray &saved) {
                     if (m_finished)
                         return; // cancelled: the intents stay for the next run to reconcile
                     --m_inFlight;
                     batchReplied(batch, response, saved);
                     pump();
                 });
}

void ContactImport::written(const WriteOp &op, qint64 userId)
{
    m_maxUserId = qMax(m_maxUserId, userId);
    if (op.userId != 0) {
        m_users.applyWrite(op.userId, op.values, op.hubspotIdWritten, op.moves ? op.siteId : 0,
                           op.moves ? op.customerId : 0);
        return;
    }
    if (!op.email.isEmpty())
        m_created.insert(UserIndex::atCustomer(op.key, op.customerId),
                         Created{qint32(userId), op.hubspotId.toLongLong()});
    createSettled(op);
}

void ContactImport::batchReplied(const Batch &batch, const api::ApiResponse &response,
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
            const qint64 id = saved.at(i).toObject().value(QLatin1String("id")).toInteger();
            links.append(core::Link{core::Entity::Contact, op.hubspotId, id, {}, {}});
            items.append(itemFor(op, id));
        }
        if (!checkStore(m_store->recordBatch(m_report.runId, links, items, batch.intents)))
            return;
        for (qsizetype i = 0; i < batch.ops.size(); ++i) {
            m_report.counts.add(items.at(i).action);
            m_results.append(items.at(i));
            written(batch.ops.at(i), items.at(i).haloId);
        }
        return;
    }

    if (response.ok() || response.error == api::ApiError::OutcomeUnknown) {
        // Sent, but what Halo did is not known: look before sending anything again.
        m_unknown.append(batch);
        startReconcile();
        return;
    }

    // Halo checks every element before writing any: a 400 (invalid value) or 404 (a user or
    // site deleted since the run began) names the element and nothing of the batch was written.
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
    failOps(batch.ops, batch.intents, response.message);
    if (!m_finished && (response.error == api::ApiError::ReconnectNeeded ||
                        response.error == api::ApiError::Refused))
        fail(response.message, response.error);
}

void ContactImport::failOps(const QList<WriteOp> &ops, const QList<qint64> &intents,
                            const QString &why)
{
    QList<core::RunItem> items;
    for (const WriteOp &op : ops) {
        core::RunItem item = itemFor(op, op.userId);
        item.action = QStringLiteral("failed");
        item.reason = why;
        item.changes = {};
        items.append(item);
    }
    if (!checkStore(m_store->recordBatch(m_report.runId, {}, items, intents)))
        return;
    for (qsizetype i = 0; i < items.size(); ++i) {
        m_report.counts.add(items.at(i).action);
        m_results.append(items.at(i));
        if (ops.at(i).userId == 0)
            createSettled(ops.at(i)); // settles the key, creates nothing
    }
}

void ContactImport::rejected(const Batch &batch, const api::ApiResponse &response)
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
    QList<qint64> others = batch.intents;
    const qint64 badIntent = others.takeAt(bad);
    if (!checkStore(m_store->clearPendingWrites(others)))
        return;
    failOps({batch.ops.at(bad)}, {badIntent}, response.message);
    if (m_finished)
        return;
    // The others were valid up to the bad one; the rest is unknown: send both parts again.
    if (bad + 1 < n)
        m_ready.push_front(batch.ops.mid(bad + 1));
    if (bad > 0)
        m_ready.push_front(batch.ops.mid(0, bad));
}

void ContactImport::startReconcile()
{
    if (m_reconciling || m_unknown.isEmpty() || m_finished)
        return;
    m_reconciling = true;
    const QList<Batch> batches = m_unknown;
    m_unknown.clear();
    qint64 knownBefore = std::numeric_limits<qint64>::max();
    for (const Batch &b : batches)
        knownBefore = qMin(knownBefore, b.knownMaxId);
    // Usually one request: the newest page, newest first. It holds every user created since the
    // batches were sent when it is really in descending id order and reaches back to a user known
    // before them; otherwise every user is read (keeping only the new ones).
    readNewestRows(
        api::HaloResource::Users, userQuery(), knownBefore,
        [this, batches, knownBefore](const api::ApiResponse &response, const QJsonArray &rows) {
            QList<HaloUser> fresh;
            for (const QJsonValue &v : rows) {
                HaloUser u = HaloUser::fromJson(v.toObject(), m_users.customFields());
                if (u.id > knownBefore)
                    fresh.append(u);
            }
            reconciled(batches, response, fresh);
            pump();
        },
        [this, batches] { reconcileFromFullRead(batches); });
}

void ContactImport::reconcileFromFullRead(const QList<Batch> &batches)
{
    qint64 knownBefore = std::numeric_limits<qint64>::max();
    for (const Batch &b : batches)
        knownBefore = qMin(knownBefore, b.knownMaxId);
    // Only users newer than the batches are kept: memory stays small however many users Halo has.
    auto fresh = std::make_shared<QList<HaloUser>>();
    m_halo->list(
        api::HaloResource::Users, userQuery(), this,
        [this, fresh, knownBefore](const QJsonArray &page) {
            for (const QJsonValue &v : page) {
                const QJsonObject row = v.toObject();
                if (row.value(QLatin1String("id")).toInteger() > knownBefore)
                    fresh->append(HaloUser::fromJson(row, m_users.customFields()));
            }
        },
        [this, batches, fresh](const api::ApiResponse &response) {
            if (m_finished)
                return;
            reconciled(batches, response, *fresh);
            pump();
        });
}

void ContactImport::reconciled(const QList<Batch> &batches, const api::ApiResponse &response,
                               const QList<HaloUser> &fresh)
{
    m_reconciling = false;
    if (!response.ok()) {
        // Nothing may be re-sent before Halo could be asked; try again shortly, then give up
        // with the intents kept for the next run.
        m_unknown = batches + m_unknown;
        if (++m_reconcileFailures > kMaxReconcileFailures) {
            fail(tr("HaloSpot could not check which users Halo created after an unclear reply, "
                    "so it stopped without sending them again: %1")
                     .arg(response.message),
                 response.error);
            return;
        }
        QTimer::singleShot(1000, this, [this] { startReconcile(); });
        return;
    }
    m_reconcileFailures = 0;

    QList<core::Link> links;
    QList<core::RunItem> items;
    QList<qint64> settled;
    QList<qint64> cleared;
    QList<WriteOp> resend;
    QList<QPair<WriteOp, qint64>> createdOps;
    QList<WriteOp> failedCreates;
    QSet<qint64> taken; // users this reconciliation already gave to a create
    for (const Batch &batch : batches) {
        for (qsizetype i = 0; i < batch.ops.size(); ++i) {
            WriteOp op = batch.ops.at(i);
            const qint64 intent = batch.intents.at(i);
            qint64 found = 0;
            if (op.userId == 0) {
                // A user newer than the batch with this contact's HubSpot ID, or (without IDs in
                // Halo) its address, or name, at its customer: no other create of that key was in
                // flight, and the key had no user before, so that user is this create's.
                for (const HaloUser &u : fresh) {
                    if (u.id <= batch.knownMaxId || taken.contains(u.id))
                        continue;
                    const bool match = m_spec.writeHubSpotIdToHalo
                                           ? u.hubspotId == HaloUser::hubspotIdNumber(op.hubspotId)
                                           : u.key == op.key && u.clientId == op.customerId &&
                                                 u.hasEmail == !op.email.isEmpty();
                    if (match) {
                        found = u.id;
                        break;
                    }
                }
            }
            if (found) {
                taken.insert(found);
                links.append(core::Link{core::Entity::Contact, op.hubspotId, found, {}, {}});
                items.append(itemFor(op, found));
                settled.append(intent);
                createdOps.append({op, found});
                continue;
            }
            // Not written (or an update, which is safe to repeat): send again, within limits.
            if (++op.unknownSends >= m_spec.maxUnknownRetries) {
                core::RunItem item = itemFor(op, op.userId);
                item.action = QStringLiteral("failed");
                item.reason = tr("Halo did not answer clearly %1 times in a row, so HaloSpot "
                                 "stopped sending this contact. It was not written.")
                                  .arg(op.unknownSends);
                item.changes = {};
                items.append(item);
                settled.append(intent);
                if (op.userId == 0)
                    failedCreates.append(op);
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
    for (const auto &c : std::as_const(createdOps)) {
        written(c.first, c.second);
        if (m_finished)
            return;
    }
    for (const WriteOp &op : std::as_const(failedCreates)) {
        createSettled(op);
        if (m_finished)
            return;
    }
    for (qsizetype from = 0; from < resend.size(); from += m_spec.batchSize)
        m_ready.push_back(resend.mid(from, m_spec.batchSize));
    startReconcile();
}

void ContactImport::createSettled(const WriteOp &op)
{
    const quint64 key = creatingKey(op);
    if (m_creating.value(key) != op.hubspotId)
        return;
    m_creating.remove(key);
    const QList<api::HubSpotObject> waiting = m_deferred.take(key);
    m_deferredCount -= waiting.size();
    for (const api::HubSpotObject &contact : waiting) {
        if (m_finished)
            return;
        process(contact);
    }
}

} // namespace halospot::engine
