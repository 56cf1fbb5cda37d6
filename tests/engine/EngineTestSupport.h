// Test fixture for the engine: a whole sandbox (fake HubSpot + fake Halo behind fault proxies) in
// this process on loopback, a real SQLite store in a temporary folder, an OAuth grant obtained
// from the fake HubSpot, and a helper that runs one job through a real EngineHost and collects
// its signals.
#pragma once

#include "Engine.h"
#include "EngineHost.h"
#include "HubSpotSandbox.h"
#include "Names.h"
#include "RunReportJson.h"
#include "Sandbox.h"
#include "Store.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

namespace halospot::enginetest {

using namespace halospot::engine;
using sandbox::Request;
using sandbox::Response;

struct JobOutcome
{
    RunReport report;
    QList<core::RunItem> items; // from the results signal, in order
    int progressSignals = 0;
    qint64 elapsedMs = 0;
    bool finished = false;
    Progress lastProgress;

    const core::RunItem *item(const QString &hubspotId) const
    {
        for (const core::RunItem &i : items) {
            if (i.hubspotId == hubspotId)
                return &i;
        }
        return nullptr;
    }
};

class EngineFixture final
{
public:
    explicit EngineFixture(qint64 companies, quint64 seed = 11, double timeScale = 20,
                           qint64 contacts = 10)
    {
        sandbox::SandboxOptions o;
        o.data.seed = seed;
        o.data.companies = companies;
        o.data.contacts = contacts;
        o.timeScale = timeScale;
        m_sandbox = std::make_unique<sandbox::Sandbox>(o);
        m_sandbox->hubspot().oauth().config().autoApprove = true;
        m_sandbox->hubspot().oauth().config().rotateRefreshTokens = true;
        m_started = m_sandbox->start().ok();
        m_store = std::make_unique<core::Store>(m_dir.filePath(QStringLiteral("halospot.db")));
        m_storeOpen = m_store->open().ok();
    }

    bool ok() const { return m_started && m_storeOpen && m_dir.isValid(); }
    sandbox::Sandbox &sandbox() { return *m_sandbox; }
    sandbox::FakeHalo &halo() { return m_sandbox->halo(); }
    core::Store &store() { return *m_store; }

    QString companyId(qint64 index) const
    {
        return QString::number(sandbox::HubSpotStore::baseId(sandbox::ObjectKind::Company) + index);
    }
    sandbox::Props company(qint64 index) const { return m_sandbox->generator().company(index); }
    qint64 companyCount() const { return m_sandbox->generator().config().companies; }

    QString contactId(qint64 index) const
    {
        return QString::number(sandbox::HubSpotStore::baseId(sandbox::ObjectKind::Contact) + index);
    }
    sandbox::Props contact(qint64 index) const { return m_sandbox->generator().contact(index); }
    qint64 contactCount() const { return m_sandbox->generator().config().contacts; }

    // Records put straight into the fake HubSpot (no HTTP, no faults); return their IDs.
    QString addCompany(const QString &name, const QString &stage)
    {
        sandbox::Props p{{QStringLiteral("name"), name}};
        if (!stage.isEmpty())
            p.insert(QStringLiteral("lifecyclestage"), stage);
        return QString::number(
            m_sandbox->hubspot().store().create(sandbox::ObjectKind::Company, p));
    }
    QString addContact(const sandbox::Props &props, const QStringList &companies = {})
    {
        QList<qint64> ids;
        for (const QString &c : companies)
            ids << c.toLongLong();
        return QString::number(
            m_sandbox->hubspot().store().create(sandbox::ObjectKind::Contact, props, ids));
    }

    static QStringList allStages()
    {
        QStringList s = sandbox::Generator::lifecycleStages();
        s << QString();
        return s;
    }

    // A job against this sandbox: OAuth credentials from a fresh grant, every stage selected.
    JobSpec spec(bool dryRun = false)
    {
        JobSpec s;
        s.kind = JobKind::ImportCompanies;
        s.dryRun = dryRun;
        s.hubspot.apiBase = m_sandbox->hubspotUrl();
        s.hubspot.timeScale = m_sandbox->clock().scale();
        s.hubspotCredentials = grant();
        s.hubspotTransferTimeoutMs = 3000;
        s.halo.url = m_sandbox->haloUrl();
        s.halo.clientId = halo().config().clientId;
        s.halo.clientSecret = halo().config().clientSecret;
        s.halo.timeScale = m_sandbox->clock().scale();
        s.halo.transferTimeoutMs = 3000;
        s.halo.pageSize = 500;
        s.companies.lifecycleStages = allStages();
        s.storePath = m_store->path();
        return s;
    }

    HubSpotCredentials grant()
    {
        sandbox::FakeHubSpot &hubspot = m_sandbox->hubspot();
        const halospot::test::OAuthGrant g =
            halospot::test::oauthGrant(hubspot, hubspot.oauth().config().grantedScopes);
        HubSpotCredentials c;
        c.clientId = g.clientId;
        c.clientSecret = g.clientSecret;
        c.refreshToken = g.refreshToken;
        return c;
    }

    // POST /api/Client straight into the fake Halo (no HTTP, no faults): seeds customers with
    // fields the direct seeding API does not set, such as hubspot_id. Returns the new ids.
    QList<qint64> haloPost(const QJsonArray &records)
    {
        Request r;
        r.method = "POST";
        r.path = QStringLiteral("/api/Client");
        r.headers.insert("authorization", "Bearer " + halo().issueToken().toUtf8());
        r.headers.insert("content-type", "application/json");
        r.body = QJsonDocument(records).toJson(QJsonDocument::Compact);
        const Response reply = halo().dispatch(r);
        QList<qint64> ids;
        const QJsonDocument doc = QJsonDocument::fromJson(reply.body);
        const QJsonArray saved = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
        for (const QJsonValue &v : saved)
            ids << v.toObject().value(QStringLiteral("id")).toInteger();
        return ids;
    }

    // Halo customers (live slots) whose normalized name is `key`.
    QList<int> customersNamed(const QString &key) const
    {
        QList<int> out;
        for (const sandbox::HaloClientRec &c : m_sandbox->halo().store().clientSlots()) {
            if (c.id != 0 && core::normalizeName(c.name) == key)
                out << c.id;
        }
        return out;
    }

    // hubspot_id -> how many Halo customers carry it.
    QHash<QString, int> hubspotIdCounts() const
    {
        QHash<QString, int> out;
        for (const sandbox::HaloClientRec &c : m_sandbox->halo().store().clientSlots()) {
            if (c.id != 0 && !c.hubspotId.isEmpty())
                ++out[c.hubspotId];
        }
        return out;
    }

    // A contact import against this sandbox (every company stage selected, as spec()).
    JobSpec contactSpec(bool dryRun = false)
    {
        JobSpec s = spec(dryRun);
        s.kind = JobKind::ImportContacts;
        return s;
    }

    // Halo users (live slots) per hubspot_id, and per "e-mail (case-folded) at customer".
    QHash<QString, int> userHubSpotIdCounts() const
    {
        QHash<QString, int> out;
        for (const sandbox::HaloUserRec &u : m_sandbox->halo().store().userSlots()) {
            if (u.id != 0 && !u.hubspotId.isEmpty())
                ++out[u.hubspotId];
        }
        return out;
    }
    QHash<QString, int> userEmailCounts() const
    {
        QHash<QString, int> out;
        for (const sandbox::HaloUserRec &u : m_sandbox->halo().store().userSlots()) {
            if (u.id != 0 && !u.email.isEmpty())
                ++out[core::normalizeEmail(u.email) + QLatin1Char('@') +
                      QString::number(u.clientId)];
        }
        return out;
    }

    // Runs one job on a real engine thread and waits for its report.
    JobOutcome run(const JobSpec &spec, int timeoutMs = 50000)
    {
        EngineHost host;
        return runOn(host, spec, timeoutMs);
    }

    // The newest refresh token the engine handed back (HubSpot rotates them in this sandbox).
    QString newestRefreshToken() const { return m_refreshToken; }

    JobOutcome runOn(EngineHost &host, JobSpec spec, int timeoutMs = 50000)
    {
        if (!m_refreshToken.isEmpty() && spec.hubspotCredentials.staticToken.isEmpty())
            spec.hubspotCredentials.refreshToken = m_refreshToken;
        JobOutcome out;
        QObject receiver;
        QObject::connect(host.engine(), &Engine::hubspotRefreshTokenChanged, &receiver,
                         [this](const QString &token) { m_refreshToken = token; });
        QObject::connect(host.engine(), &Engine::results, &receiver,
                         [&out](const QList<core::RunItem> &items) { out.items += items; });
        QObject::connect(host.engine(), &Engine::progress, &receiver, [&out](const Progress &p) {
            ++out.progressSignals;
            out.lastProgress = p;
        });
        QObject::connect(host.engine(), &Engine::finished, &receiver,
                         [&out](const RunReport &report) {
                             out.report = report;
                             out.finished = true;
                         });
        QElapsedTimer clock;
        clock.start();
        host.start(spec);
        (void)QTest::qWaitFor([&out] { return out.finished; }, timeoutMs);
        out.elapsedMs = clock.elapsed();
        return out;
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<core::Store> m_store;
    bool m_started = false;
    bool m_storeOpen = false;
    QString m_refreshToken;
};

inline int maxClientId(EngineFixture &f)
{
    int id = 0;
    for (const sandbox::HaloClientRec &c : f.halo().store().clientSlots())
        id = qMax(id, c.id);
    return id;
}

// Every customer created since `firstNewId`: created once per company, no orphans, each linked.
inline void checkNoDuplicates(EngineFixture &f, int firstNewId, const QList<JobOutcome> &runs,
                              bool linking)
{
    QSet<QString> createdFor; // HubSpot ids a customer was created for, over all runs
    qint64 created = 0;
    for (const JobOutcome &run : runs) {
        for (const core::RunItem &i : run.items) {
            if (i.action != QLatin1String("created"))
                continue;
            ++created;
            QVERIFY2(!createdFor.contains(i.hubspotId), qPrintable(i.hubspotId));
            createdFor.insert(i.hubspotId);
        }
    }
    QHash<qint64, QString> linkedTo; // new customer -> company, from the store
    for (const QString &hubspotId : std::as_const(createdFor)) {
        const auto link = f.store().findLinkByHubSpotId(core::Entity::Company, hubspotId);
        QVERIFY(link.ok() && link.value().has_value());
        linkedTo.insert(link.value()->haloId, hubspotId);
    }
    qint64 newCustomers = 0;
    QHash<QString, int> names;
    for (const sandbox::HaloClientRec &c : f.halo().store().clientSlots()) {
        if (c.id < firstNewId)
            continue;
        ++newCustomers;
        QVERIFY2(linkedTo.contains(c.id),
                 qPrintable(QStringLiteral("orphan customer %1 (%2)").arg(c.id).arg(c.name)));
        if (linking)
            QCOMPARE(c.hubspotId, linkedTo.value(c.id));
        ++names[core::normalizeName(c.name)];
    }
    QCOMPARE(newCustomers, created);
    if (linking) {
        const QHash<QString, int> counts = f.hubspotIdCounts();
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key()));
    }
    QVERIFY(f.store().pendingWrites().value().isEmpty());
}

} // namespace halospot::enginetest
