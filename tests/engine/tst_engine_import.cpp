// The company import against the sandbox: every resolution path (local link, HubSpot ID held in
// Halo, mapping table, one name match, create, ambiguous), lifecycle filtering with "(no stage)"
// and a custom stage, mapped values converted with one bad value failing only its record, the
// preview's actions and diffs without a single write, a re-run that writes nothing, and a field
// mapping that cannot work stopping the job before any write.
#include "EngineTestSupport.h"

#include "ValueConvert.h"

using namespace halospot;
using namespace halospot::enginetest;

namespace {

// The invariants of every finished report (SPEC §4).
void checkReport(const JobOutcome &out, qint64 companies)
{
    QVERIFY2(out.finished, "the job did not finish");
    QCOMPARE(out.report.counts.read, companies);
    QCOMPARE(qint64(out.items.size()), out.report.counts.read);
    QCOMPARE(out.report.counts.settled(), out.report.counts.read);
    QSet<QString> ids;
    for (const core::RunItem &i : out.items)
        ids.insert(i.hubspotId);
    QCOMPARE(qint64(ids.size()), companies); // one item per company, none twice
}

core::FieldMapping mapping(const char *property, const char *field)
{
    core::FieldMapping m;
    m.hubspotProperty = QLatin1String(property);
    m.haloFieldName = QLatin1String(field);
    return m;
}

QList<core::FieldMapping> typicalMappings()
{
    return {mapping("industry", "CFindustry"),
            mapping("numberofemployees", "CFnumberofemployees"),
            mapping("annualrevenue", "CFannualrevenue"),
            mapping("is_public", "CFisvip"),
            mapping("contract_start_date", "CFcontractstart"),
            mapping("description", "CFdescription")};
}

// Industries whose HubSpot option has no Halo option of the same label or value.
bool industryMissingInHalo(const QString &value)
{
    return value == QLatin1String("LEGAL_SERVICES") ||
           value == QLatin1String("HOSPITAL_HEALTH_CARE");
}

} // namespace

class TestEngineImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerEngineMetaTypes(); }

    void everyResolutionPath()
    {
        EngineFixture f(120);
        QVERIFY(f.ok());
        // Companies with a name no other company and no Halo customer shares.
        QHash<QString, int> seen;
        for (qint64 i = 0; i < f.companyCount(); ++i)
            ++seen[core::normalizeName(f.company(i).value(QStringLiteral("name")))];
        QList<qint64> fresh;
        for (qint64 i = 0; i < f.companyCount() && fresh.size() < 8; ++i) {
            const QString key = core::normalizeName(f.company(i).value(QStringLiteral("name")));
            if (!key.isEmpty() && seen.value(key) == 1 && f.customersNamed(key).isEmpty())
                fresh << i;
        }
        QCOMPARE(fresh.size(), 8);
        const auto nameOf = [&f](qint64 i) { return f.company(i).value(QStringLiteral("name")); };

        // Local link: A -> a customer with another name.
        const int linked = f.halo().addClient(QStringLiteral("Linked Elsewhere GmbH"));
        QVERIFY(f.store()
                    .upsertLink(
                        core::Link{core::Entity::Company, f.companyId(fresh[0]), linked, {}, {}})
                    .ok());
        // HubSpot ID held in Halo: B.
        const qint64 holding =
            f.haloPost({QJsonObject{{QStringLiteral("name"), QStringLiteral("Holder Inc")},
                                    {QStringLiteral("hubspot_id"), f.companyId(fresh[1])}}})
                .value(0);
        QVERIFY(holding > 0);
        // Mapping table: C -> a customer with another name.
        const int mapped = f.halo().addClient(QStringLiteral("Mapped Customer AG"));
        // One name match: D, spelled in upper case with doubled spaces.
        const int byName =
            f.halo().addClient(nameOf(fresh[3]).toUpper().replace(u' ', QStringLiteral("  ")));
        // E has no match: created. F has two: ambiguous.
        const int twin1 = f.halo().addClient(nameOf(fresh[5]));
        const int twin2 = f.halo().addClient(QStringLiteral(" ") + nameOf(fresh[5]).toLower());
        // G's name matches a customer that the mapping table gives to H: G does not take it.
        const int mappedByName = f.halo().addClient(nameOf(fresh[6]));
        const qint64 before = f.halo().clientCount();

        JobSpec spec = f.spec();
        core::CustomerMapping m;
        m.hubspotCompanyId = f.companyId(fresh[2]);
        m.haloClientId = mapped;
        core::CustomerMapping m2;
        m2.hubspotCompanyId = f.companyId(fresh[7]);
        m2.haloClientId = mappedByName;
        spec.companies.customerMappings = {m, m2};
        const JobOutcome out = f.run(spec);
        checkReport(out, f.companyCount());
        QCOMPARE(out.report.status, QStringLiteral("completed"));

        const auto itemOf = [&](int n) { return out.item(f.companyId(fresh[n])); };
        QVERIFY(itemOf(0) && itemOf(1) && itemOf(2) && itemOf(3) && itemOf(4) && itemOf(5));
        QCOMPARE(itemOf(0)->haloId, qint64(linked));
        QCOMPARE(itemOf(0)->action, QStringLiteral("updated")); // gets its hubspot_id
        QCOMPARE(itemOf(1)->haloId, holding);
        QCOMPARE(itemOf(1)->action, QStringLiteral("unchanged"));
        QCOMPARE(itemOf(2)->haloId, qint64(mapped));
        QCOMPARE(itemOf(3)->haloId, qint64(byName));
        QCOMPARE(itemOf(4)->action, QStringLiteral("created"));
        QVERIFY(itemOf(4)->haloId > 0);
        QCOMPARE(itemOf(5)->action, QStringLiteral("ambiguous"));
        QVERIFY2(itemOf(5)->reason.contains(QString::number(twin1)) &&
                     itemOf(5)->reason.contains(QString::number(twin2)),
                 qPrintable(itemOf(5)->reason));
        QCOMPARE(itemOf(5)->haloId, qint64(0));
        QCOMPARE(itemOf(6)->action, QStringLiteral("skipped"));
        QVERIFY2(itemOf(6)->reason.contains(f.companyId(fresh[7])), qPrintable(itemOf(6)->reason));
        QCOMPARE(itemOf(7)->haloId, qint64(mappedByName));
        QCOMPARE(f.halo().store().client(mappedByName)->hubspotId, f.companyId(fresh[7]));

        // In Halo: names kept, HubSpot IDs written, nothing for the ambiguous company.
        const auto &hs = f.halo().store();
        QCOMPARE(hs.client(linked)->name, QStringLiteral("Linked Elsewhere GmbH"));
        QCOMPARE(hs.client(linked)->hubspotId, f.companyId(fresh[0]));
        QCOMPARE(hs.client(mapped)->hubspotId, f.companyId(fresh[2]));
        QCOMPARE(hs.client(byName)->hubspotId, f.companyId(fresh[3]));
        QCOMPARE(hs.client(int(itemOf(4)->haloId))->name, nameOf(fresh[4]));
        QVERIFY(hs.client(twin1)->hubspotId.isEmpty() && hs.client(twin2)->hubspotId.isEmpty());
        QVERIFY(!f.hubspotIdCounts().contains(f.companyId(fresh[5])));
        QCOMPARE(f.halo().clientCount() - before, out.report.counts.created);
        // Every HubSpot ID at most once in Halo; every link recorded.
        const QHash<QString, int> counts = f.hubspotIdCounts();
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key()));
        for (const core::RunItem &i : out.items) {
            if (i.action == QLatin1String("created") || i.action == QLatin1String("updated") ||
                i.action == QLatin1String("unchanged")) {
                const auto link = f.store().findLinkByHubSpotId(core::Entity::Company, i.hubspotId);
                QVERIFY(link.ok() && link.value().has_value());
                QCOMPARE(link.value()->haloId, i.haloId);
                QVERIFY(hs.client(int(i.haloId)));
            }
        }
        // The report document has one item per company.
        const auto stored = loadRunItems(f.store(), out.report.runId);
        QVERIFY(stored.ok());
        const QJsonObject json = reportJson(out.report, stored.value());
        QCOMPARE(json.value(QStringLiteral("items")).toArray().size(), int(f.companyCount()));
        QCOMPARE(json.value(QStringLiteral("counts")).toObject().value(QStringLiteral("read")),
                 QJsonValue(f.companyCount()));
        QVERIFY(f.store().pendingWrites().value().isEmpty());
    }

    void mappingRowSiteMustBelongToItsCustomer()
    {
        EngineFixture f(60);
        QVERIFY(f.ok());
        QHash<QString, int> seen;
        for (qint64 i = 0; i < f.companyCount(); ++i)
            ++seen[core::normalizeName(f.company(i).value(QStringLiteral("name")))];
        QList<qint64> fresh;
        for (qint64 i = 0; i < f.companyCount() && fresh.size() < 4; ++i) {
            const QString key = core::normalizeName(f.company(i).value(QStringLiteral("name")));
            if (!key.isEmpty() && seen.value(key) == 1 && f.customersNamed(key).isEmpty())
                fresh << i;
        }
        QCOMPARE(fresh.size(), 4);
        const int ownerA = f.halo().addClient(QStringLiteral("Site Owner A Ltd"));
        const int ownerB = f.halo().addClient(QStringLiteral("Site Owner B Ltd"));
        const int branchOfA = f.halo().addSite(ownerA, QStringLiteral("Branch of A"));
        const int mainOfB = f.halo().store().client(ownerB)->mainSiteId;
        QVERIFY(branchOfA > 0 && mainOfB > 0);
        const int noSuchSite = 987654;
        QVERIFY(!f.halo().store().site(noSuchSite));

        const auto row = [&f](qint64 company, int customer, std::optional<qint64> site) {
            core::CustomerMapping m;
            m.hubspotCompanyId = f.companyId(company);
            m.haloClientId = customer;
            m.haloSiteId = site;
            return m;
        };
        JobSpec spec = f.spec();
        spec.companies.customerMappings = {
            row(fresh[0], ownerA, branchOfA),  // the site belongs to the customer: fine
            row(fresh[1], ownerA, mainOfB),    // another customer's site
            row(fresh[2], ownerB, noSuchSite), // a site Halo does not have
            row(fresh[3], ownerB, std::nullopt)};
        const JobOutcome out = f.run(spec);
        checkReport(out, f.companyCount());
        QCOMPARE(out.report.status, QStringLiteral("completed_with_errors"));
        const auto itemOf = [&](int n) { return out.item(f.companyId(fresh[n])); };
        QVERIFY(itemOf(0) && itemOf(1) && itemOf(2) && itemOf(3));
        QCOMPARE(itemOf(0)->action, QStringLiteral("updated"));
        QCOMPARE(itemOf(0)->haloId, qint64(ownerA));
        QCOMPARE(itemOf(3)->action, QStringLiteral("updated"));
        QCOMPARE(itemOf(3)->haloId, qint64(ownerB));
        // The broken rows fail their company, with a reason naming the site and the customers;
        // nothing of them is written.
        QCOMPARE(itemOf(1)->action, QStringLiteral("failed"));
        QCOMPARE(itemOf(1)->haloId, qint64(0));
        QVERIFY2(itemOf(1)->reason.contains(QString::number(mainOfB)) &&
                     itemOf(1)->reason.contains(QString::number(ownerA)) &&
                     itemOf(1)->reason.contains(QString::number(ownerB)),
                 qPrintable(itemOf(1)->reason));
        QCOMPARE(itemOf(2)->action, QStringLiteral("failed"));
        QVERIFY2(itemOf(2)->reason.contains(QString::number(noSuchSite)),
                 qPrintable(itemOf(2)->reason));
        QCOMPARE(out.report.counts.failed, qint64(2));
        QCOMPARE(f.halo().store().client(ownerA)->hubspotId, f.companyId(fresh[0]));
        QCOMPARE(f.halo().store().client(ownerB)->hubspotId, f.companyId(fresh[3]));
        for (int n : {1, 2}) {
            const auto link =
                f.store().findLinkByHubSpotId(core::Entity::Company, f.companyId(fresh[n]));
            QVERIFY(link.ok() && !link.value().has_value());
            QVERIFY(!f.hubspotIdCounts().contains(f.companyId(fresh[n])));
        }
        // A preview says the same without writing.
        JobSpec previewSpec = spec;
        previewSpec.dryRun = true;
        const JobOutcome preview = f.run(previewSpec);
        QCOMPARE(preview.item(f.companyId(fresh[1]))->action, QStringLiteral("failed"));
        QCOMPARE(preview.item(f.companyId(fresh[0]))->action, QStringLiteral("unchanged"));
    }

    void lifecycleFilterWithNoStageAndCustomStage()
    {
        EngineFixture f(150);
        QVERIFY(f.ok());
        JobSpec spec = f.spec(true);
        spec.companies.lifecycleStages = {QStringLiteral("customer"), QString(),
                                          QStringLiteral("1234567")};
        const JobOutcome out = f.run(spec);
        checkReport(out, f.companyCount());
        int noStage = 0, custom = 0, filtered = 0;
        for (qint64 i = 0; i < f.companyCount(); ++i) {
            const QString stage = f.company(i).value(QStringLiteral("lifecyclestage"));
            const core::RunItem *item = out.item(f.companyId(i));
            QVERIFY(item);
            const bool selected = stage.isEmpty() || stage == QLatin1String("customer") ||
                                  stage == QLatin1String("1234567");
            QCOMPARE(item->action == QLatin1String("filtered_out"), !selected);
            noStage += stage.isEmpty() ? 1 : 0;
            custom += stage == QLatin1String("1234567") ? 1 : 0;
            filtered += selected ? 0 : 1;
        }
        QVERIFY(noStage > 0 && custom > 0 && filtered > 0); // the data covers every case
        // The sandbox rotates refresh tokens: the engine handed the new one back (the next run
        // below signs in with it, as the old one is dead).
        QVERIFY(!f.newestRefreshToken().isEmpty());
        QVERIFY(f.newestRefreshToken() != spec.hubspotCredentials.refreshToken);
        QCOMPARE(out.report.counts.filteredOut, qint64(filtered));

        // Nothing ticked: everything is filtered out.
        spec.companies.lifecycleStages = {};
        const JobOutcome none = f.run(spec);
        checkReport(none, f.companyCount());
        QCOMPARE(none.report.counts.filteredOut, f.companyCount());
    }

    void mappedValuesConvertAndABadValueFailsOnlyItsRecord()
    {
        EngineFixture f(200);
        QVERIFY(f.ok());
        const qint64 before = f.halo().clientCount();
        JobSpec spec = f.spec();
        spec.companies.fieldMappings = typicalMappings();
        const JobOutcome out = f.run(spec);
        checkReport(out, f.companyCount());
        QCOMPARE(out.report.status, QStringLiteral("completed_with_errors"));
        QVERIFY(out.report.counts.created > 0);

        const auto *industry =
            f.halo().fields().findByName(sandbox::kHaloClientFields, QStringLiteral("CFindustry"));
        const auto *employees = f.halo().fields().findByName(sandbox::kHaloClientFields,
                                                             QStringLiteral("CFnumberofemployees"));
        QVERIFY(industry && employees);
        int badValues = 0;
        int checkedCreates = 0;
        for (qint64 i = 0; i < f.companyCount(); ++i) {
            const sandbox::Props p = f.company(i);
            const core::RunItem *item = out.item(f.companyId(i));
            QVERIFY(item);
            if (item->action == QLatin1String("ambiguous") ||
                item->action == QLatin1String("skipped"))
                continue;
            const QString value = p.value(QStringLiteral("industry"));
            if (industryMissingInHalo(value)) {
                ++badValues;
                QCOMPARE(item->action, QStringLiteral("failed"));
                QVERIFY2(item->reason.contains(value) ||
                             item->reason.contains(QStringLiteral("Legal Services")) ||
                             item->reason.contains(QStringLiteral("Hospital")),
                         qPrintable(item->reason));
                QVERIFY(!f.hubspotIdCounts().contains(f.companyId(i))); // nothing written
                continue;
            }
            QVERIFY2(item->action != QLatin1String("failed"), qPrintable(item->reason));
            if (item->action != QLatin1String("created"))
                continue;
            ++checkedCreates;
            const sandbox::HaloClientRec *c = f.halo().store().client(int(item->haloId));
            QVERIFY(c);
            QCOMPARE(c->hubspotId, f.companyId(i));
            const QString employeesValue = p.value(QStringLiteral("numberofemployees"));
            QCOMPARE(sandbox::customValue(c->custom, employees->id),
                     employeesValue.isEmpty() ? QString() : employeesValue);
            if (!value.isEmpty()) {
                const QString stored = sandbox::customValue(c->custom, industry->id);
                QVERIFY(!stored.isEmpty());
                QVERIFY(item->changes.contains(QStringLiteral("CFindustry")));
            }
        }
        QVERIFY(badValues > 0);
        QVERIFY(checkedCreates > 0);
        QCOMPARE(out.report.counts.failed, qint64(badValues));
        QCOMPARE(f.halo().clientCount() - before, out.report.counts.created);

        // Re-running after success writes nothing.
        const qint64 posts = f.halo().requestCount();
        const auto lastWrite = [&f] {
            qint64 last = 0;
            for (const sandbox::HaloClientRec &c : f.halo().store().clientSlots())
                last = qMax(last, c.updatedMs);
            return last;
        };
        const qint64 writtenBefore = lastWrite();
        const JobOutcome again = f.run(spec);
        checkReport(again, f.companyCount());
        QCOMPARE(again.report.counts.created, qint64(0));
        QCOMPARE(again.report.counts.updated, qint64(0));
        // A failed record may now find its name taken by a same-named company's new customer
        // (then it is skipped); none fails that did not fail before.
        QVERIFY(again.report.counts.failed <= qint64(badValues));
        for (const core::RunItem &i : again.items) {
            if (i.action == QLatin1String("failed"))
                QCOMPARE(out.item(i.hubspotId)->action, QStringLiteral("failed"));
        }
        QVERIFY(again.report.counts.unchanged >= out.report.counts.created +
                                                     out.report.counts.updated +
                                                     out.report.counts.unchanged);
        QCOMPARE(f.halo().clientCount() - before, out.report.counts.created);
        QVERIFY(f.halo().requestCount() > posts); // it did read
        QCOMPARE(lastWrite(), writtenBefore);     // and wrote nothing at all
    }

    void previewShowsActionsAndDiffsAndWritesNothing()
    {
        EngineFixture f(200);
        QVERIFY(f.ok());
        // One customer whose employee count differs from HubSpot's: an update with from -> to.
        qint64 target = -1;
        for (qint64 i = 0; i < f.companyCount() && target < 0; ++i) {
            const sandbox::Props p = f.company(i);
            const QString key = core::normalizeName(p.value(QStringLiteral("name")));
            if (!key.isEmpty() && f.customersNamed(key).size() == 1 &&
                !p.value(QStringLiteral("numberofemployees")).isEmpty() &&
                !industryMissingInHalo(p.value(QStringLiteral("industry"))))
                target = i;
        }
        QVERIFY(target >= 0);
        const int customerId = f.customersNamed(
            core::normalizeName(f.company(target).value(QStringLiteral("name"))))[0];
        f.haloPost({QJsonObject{
            {QStringLiteral("id"), customerId},
            {QStringLiteral("customfields"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("CFnumberofemployees")},
                                    {QStringLiteral("value"), QStringLiteral("999999")}}}}}});

        const qint64 before = f.halo().clientCount();
        JobSpec spec = f.spec(true);
        spec.companies.fieldMappings = typicalMappings();
        const JobOutcome preview = f.run(spec);
        checkReport(preview, f.companyCount());
        QVERIFY(preview.report.dryRun);
        QVERIFY(preview.report.counts.created > 0);
        QCOMPARE(f.halo().clientCount(), before);
        QVERIFY(f.hubspotIdCounts().isEmpty());
        QCOMPARE(f.store().linkCount(core::Entity::Company).value(), qint64(0));
        QVERIFY(f.store().pendingWrites().value().isEmpty());

        const core::RunItem *diff = preview.item(f.companyId(target));
        QVERIFY(diff);
        QCOMPARE(diff->action, QStringLiteral("updated"));
        const QJsonObject employees =
            diff->changes.value(QStringLiteral("CFnumberofemployees")).toObject();
        QCOMPARE(employees.value(QStringLiteral("from")).toString(), QStringLiteral("999999"));
        QCOMPARE(employees.value(QStringLiteral("to")).toString(),
                 f.company(target).value(QStringLiteral("numberofemployees")));
        QCOMPARE(diff->changes.value(QStringLiteral("hubspot_id"))
                     .toObject()
                     .value(QStringLiteral("to"))
                     .toString(),
                 f.companyId(target));

        // The real run then does exactly what the preview said, record by record.
        spec.dryRun = false;
        const JobOutcome real = f.run(spec);
        checkReport(real, f.companyCount());
        for (const core::RunItem &p : preview.items) {
            const core::RunItem *r = real.item(p.hubspotId);
            QVERIFY(r);
            if (r->action != p.action)
                qWarning() << p.hubspotId << p.action << p.reason << r->action << r->reason;
            QCOMPARE(r->action, p.action);
            QCOMPARE(r->changes, p.changes);
        }
        QCOMPARE(real.report.counts.created, preview.report.counts.created);
        QCOMPARE(real.report.counts.updated, preview.report.counts.updated);
        QCOMPARE(real.report.counts.unchanged, preview.report.counts.unchanged);
        QCOMPARE(real.report.counts.failed, preview.report.counts.failed);
    }

    void aRecordHaloRejectsFailsAloneAndTheRestOfItsBatchIsWritten()
    {
        EngineFixture f(600);
        QVERIFY(f.ok());
        sandbox::FaultRates slow;
        slow.latencyMs = 20;
        f.sandbox().setFaultRates(slow);
        // The last company with a name of its own matches a customer that is deleted in Halo
        // after the run has read its customers: its update is refused (404 naming the element).
        QHash<QString, int> seen;
        for (qint64 i = 0; i < f.companyCount(); ++i)
            ++seen[core::normalizeName(f.company(i).value(QStringLiteral("name")))];
        qint64 target = -1;
        for (qint64 i = f.companyCount() - 1; i >= 0 && target < 0; --i) {
            const QString key = core::normalizeName(f.company(i).value(QStringLiteral("name")));
            if (!key.isEmpty() && seen.value(key) == 1 && f.customersNamed(key).isEmpty())
                target = i;
        }
        QVERIFY(target > f.companyCount() / 2);
        const int doomed = f.halo().addClient(f.company(target).value(QStringLiteral("name")));

        EngineHost host;
        QList<core::RunItem> items;
        std::optional<RunReport> report;
        QObject receiver;
        connect(host.engine(), &Engine::results, &receiver,
                [&items](const QList<core::RunItem> &batch) { items += batch; });
        connect(host.engine(), &Engine::finished, &receiver,
                [&report](const RunReport &r) { report = r; });
        JobSpec spec = f.spec();
        spec.batchSize = 20;
        host.start(spec);
        QTRY_VERIFY_WITH_TIMEOUT(!items.isEmpty(), 30000);
        QVERIFY(!report);
        Request remove;
        remove.method = "DELETE";
        remove.path = QStringLiteral("/api/Client/%1").arg(doomed);
        remove.headers.insert("authorization", "Bearer " + f.halo().issueToken().toUtf8());
        QCOMPARE(f.halo().dispatch(remove).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 45000);

        QCOMPARE(report->status, QStringLiteral("completed_with_errors"));
        QCOMPARE(report->counts.failed, qint64(1));
        QCOMPARE(qint64(items.size()), f.companyCount());
        const core::RunItem *failed = nullptr;
        for (const core::RunItem &i : items) {
            if (i.hubspotId == f.companyId(target))
                failed = &i;
            else
                QVERIFY2(i.action != QLatin1String("failed"), qPrintable(i.reason));
        }
        QVERIFY(failed);
        QCOMPARE(failed->action, QStringLiteral("failed"));
        QVERIFY2(failed->reason.contains(QString::number(doomed)), qPrintable(failed->reason));
        // The others went in: every company created or updated has its customer.
        for (const core::RunItem &i : items) {
            if (i.action == QLatin1String("created") || i.action == QLatin1String("updated"))
                QCOMPARE(f.halo().store().client(int(i.haloId))->hubspotId, i.hubspotId);
        }
        QVERIFY(f.store().pendingWrites().value().isEmpty());
    }

    void impossibleMappingFailsBeforeAnyWrite()
    {
        EngineFixture f(50);
        QVERIFY(f.ok());
        const qint64 before = f.halo().clientCount();
        JobSpec spec = f.spec();
        spec.companies.fieldMappings = {mapping("name", "CFisvip"),
                                        mapping("industry", "CFnosuchfield")};
        const JobOutcome out = f.run(spec);
        QVERIFY(out.finished);
        QCOMPARE(out.report.status, QStringLiteral("failed"));
        QVERIFY2(out.report.error.contains(QStringLiteral("CFisvip")) &&
                     out.report.error.contains(QStringLiteral("CFnosuchfield")),
                 qPrintable(out.report.error));
        QVERIFY(out.items.isEmpty());
        QCOMPARE(f.halo().clientCount(), before);
        QCOMPARE(f.store().run(out.report.runId).value().status, QStringLiteral("failed"));
    }
};

QTEST_MAIN(TestEngineImport)
#include "tst_engine_import.moc"
