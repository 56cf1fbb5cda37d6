// Tests of `halospot import contacts`: the real binary against an in-process sandbox whose
// companies were imported first (so contacts have customers to go to) and a default site for the
// contacts of companies left out by the lifecycle filter. Usage and configuration errors exit 2
// before anything runs; a dry run exits as the real run would, writes nothing and reports one item
// per contact (kind "contacts"); a real run creates users where SPEC §2 places them and a rerun
// creates none.
#include "CrashTestSupport.h"
#include "HubSpotStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

using namespace halospot;
using namespace halospot::app::test;

namespace {

constexpr qint64 kCompanies = 80;
constexpr qint64 kContacts = 400;

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

qint64 count(const QJsonObject &report, const char *key)
{
    return report.value(QStringLiteral("counts")).toObject().value(QLatin1String(key)).toInteger();
}

} // namespace

class TestImportContacts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        sandbox::SandboxOptions options;
        options.data.companies = kCompanies;
        options.data.contacts = kContacts;
        options.data.seed = 11;
        options.haloWindowMax = 5000; // many runs in a few minutes
        options.hubspot.burstMax = 5000;
        m_box = std::make_unique<sandbox::Sandbox>(options);
        QVERIFY(m_box->start().ok());
        // Where the contacts of companies left out by the lifecycle filter go.
        const int client = m_box->halo().addClient(QStringLiteral("Web leads"));
        QVERIFY(client > 0);
        m_defaultSite = m_box->halo().store().client(client)->mainSiteId;
        QVERIFY(m_defaultSite > 0);

        // One data directory for the whole test: its companies imported once, so that contacts
        // of imported companies have their customers.
        QVERIFY(m_dir.isValid());
        saveProfileIn(m_dir.path(), profile());
        const Run companies = runImport(*m_box, m_dir.path(), QStringLiteral("companies"));
        QVERIFY2(companies.exitCode == 0, qPrintable(describeRun(companies)));
    }

    void usageAndConfigurationExitTwo()
    {
        const QProcessEnvironment env = sandboxEnvironment(*m_box);
        Run r = runHalospot(importArguments(m_dir.path(), QStringLiteral("tickets")), {}, env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("tickets")) &&
                     r.err.contains(QStringLiteral("'contacts'")),
                 qPrintable(r.err));
        r = runHalospot({QStringLiteral("--data-dir"), m_dir.path(), QStringLiteral("import")}, {},
                        env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        r = runHalospot(importArguments(m_dir.path(), QStringLiteral("contacts"),
                                        {QStringLiteral("companies")}),
                        {}, env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        r = runHalospot(
            importArguments(m_dir.path(), QStringLiteral("contacts"), {QStringLiteral("--bogus")}),
            {}, env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        const Run help = runHalospot(
            importArguments(m_dir.path(), QStringLiteral("contacts"), {QStringLiteral("--help")}),
            {}, env);
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(QStringLiteral("companies|contacts")), qPrintable(help.out));

        // Contacts "in chosen stages" with no stage chosen cannot work: exit 2 with the reason,
        // before any run starts or anything is asked of the services.
        QTemporaryDir other;
        core::Profile p = profile();
        p.contacts.include = core::ContactInclude::CompanyContactsAndStages;
        p.contacts.lifecycleStages.clear();
        saveProfileIn(other.path(), p);
        const qint64 haloBefore = m_box->halo().requestCount();
        const qint64 hubspotBefore = m_box->hubspot().requestCount();
        r = runImport(*m_box, other.path(), QStringLiteral("contacts"));
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("contacts.lifecycle_stages")), qPrintable(r.err));
        QCOMPARE(m_box->halo().requestCount(), haloBefore);
        QCOMPARE(m_box->hubspot().requestCount(), hubspotBefore);
        DataDir data(other.path());
        QVERIFY(data.store);
        const auto runs = data.store->recentRuns(5);
        QVERIFY(runs.ok());
        QVERIFY(runs.value().isEmpty());
        // The companies are not affected by the contact settings.
        r = runImport(*m_box, other.path(), QStringLiteral("companies"),
                      {QStringLiteral("--dry-run")});
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
    }

    void dryRunReportsEveryContactAndWritesNothing()
    {
        const qint64 users = m_box->halo().userCount();
        const qint64 lastWrite = lastUserWrite();
        const QString reportPath = m_dir.filePath(QStringLiteral("dry.json"));
        const Run r =
            runImport(*m_box, m_dir.path(), QStringLiteral("contacts"),
                      {QStringLiteral("--dry-run"), QStringLiteral("--report"), reportPath});
        const QJsonObject report = readJson(reportPath);
        QVERIFY2(!report.isEmpty(), qPrintable(describeRun(r)));
        // A dry run exits as the real run would: 1 exactly when records would fail.
        QVERIFY2(r.exitCode == (count(report, "failed") > 0 ? 1 : 0), qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("Dry run of the contact import")),
                 qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Dry run of the contact import: completed")),
                 qPrintable(r.out));
        checkReport(report, true);
        // Something would be written: the sandbox has contacts of imported companies.
        QVERIFY2(count(report, "created") > 0, qPrintable(r.out));
        QCOMPARE(m_box->halo().userCount(), users);
        QCOMPARE(lastUserWrite(), lastWrite);
        for (const QJsonValue &v : report.value(QStringLiteral("items")).toArray()) {
            const QJsonObject item = v.toObject();
            m_dryActions.insert(item.value(QStringLiteral("hubspot_id")).toString(),
                                item.value(QStringLiteral("action")).toString());
        }
    }

    void realRunThenRerunCreatesNothing()
    {
        const qint64 usersBefore = m_box->halo().userCount();
        const QString reportPath = m_dir.filePath(QStringLiteral("first.json"));
        const Run first = runImport(*m_box, m_dir.path(), QStringLiteral("contacts"),
                                    {QStringLiteral("--report"), reportPath});
        const QJsonObject report = readJson(reportPath);
        QVERIFY2(!report.isEmpty(), qPrintable(describeRun(first)));
        QVERIFY2(first.exitCode == (count(report, "failed") > 0 ? 1 : 0),
                 qPrintable(describeRun(first)));
        QVERIFY2(first.out.contains(QStringLiteral("Contact import: completed")),
                 qPrintable(first.out));
        QVERIFY2(first.err.contains(QStringLiteral("Importing contacts")), qPrintable(first.err));
        checkReport(report, false);
        const qint64 created = count(report, "created");
        QVERIFY(created > 0);
        QCOMPARE(m_box->halo().userCount() - usersBefore, created);
        // The preview said what the run did, record by record, but for records Halo refused
        // (which no preview can know).
        int refused = 0;
        for (const QJsonValue &v : report.value(QStringLiteral("items")).toArray()) {
            const QJsonObject item = v.toObject();
            const QString action = item.value(QStringLiteral("action")).toString();
            const QString announced =
                m_dryActions.value(item.value(QStringLiteral("hubspot_id")).toString(), action);
            if (action == announced)
                continue;
            const QByteArray what = QJsonDocument(item).toJson(QJsonDocument::Compact);
            QVERIFY2(
                action == QLatin1String("failed") && item.value(QStringLiteral("reason"))
                                                         .toString()
                                                         .contains(QStringLiteral("Halo refused")),
                qPrintable(
                    QStringLiteral("announced %1: %2").arg(announced, QString::fromUtf8(what))));
            qInfo("Halo refused what the dry run announced as %s: %s", qPrintable(announced),
                  what.constData());
            ++refused;
        }
        QVERIFY(refused <= 2);
        // Each created user carries its contact's ID and sits where SPEC §2 puts it: at the
        // customer of one of its companies, or at the default site.
        const qint64 contactBase = sandbox::HubSpotStore::baseId(sandbox::ObjectKind::Contact);
        const qint64 companyBase = sandbox::HubSpotStore::baseId(sandbox::ObjectKind::Company);
        int atDefaultSite = 0;
        int atTheirCustomer = 0;
        for (const QJsonValue &v : report.value(QStringLiteral("items")).toArray()) {
            const QJsonObject item = v.toObject();
            if (item.value(QStringLiteral("action")).toString() != QLatin1String("created"))
                continue;
            const QString hubspotId = item.value(QStringLiteral("hubspot_id")).toString();
            const QByteArray what = QJsonDocument(item).toJson(QJsonDocument::Compact);
            const sandbox::HaloUserRec *user =
                m_box->halo().store().user(item.value(QStringLiteral("halo_id")).toInt());
            QVERIFY2(user, what.constData());
            QVERIFY2(user->hubspotId == hubspotId, what.constData());
            if (user->siteId == m_defaultSite) {
                ++atDefaultSite;
                continue;
            }
            const sandbox::HaloClientRec *customer = m_box->halo().store().client(user->clientId);
            QVERIFY2(customer, what.constData());
            QSet<QString> companies;
            for (const qint64 c :
                 m_box->generator().contactCompanies(hubspotId.toLongLong() - contactBase))
                companies.insert(QString::number(companyBase + c));
            QVERIFY2(companies.contains(customer->hubspotId),
                     qPrintable(QStringLiteral("%1 at customer %2 (hubspot_id %3)")
                                    .arg(QString::fromUtf8(what))
                                    .arg(customer->id)
                                    .arg(customer->hubspotId)));
            ++atTheirCustomer;
        }
        qInfo("created %lld users: %d at their company's customer, %d at the default site", created,
              atTheirCustomer, atDefaultSite);
        QVERIFY(atTheirCustomer > 0);
        QVERIFY(atDefaultSite > 0);
        QVERIFY(noDuplicateUsers());

        // Again: nothing new, nothing written.
        const qint64 users = m_box->halo().userCount();
        const qint64 lastWrite = lastUserWrite();
        const QString againPath = m_dir.filePath(QStringLiteral("again.json"));
        const Run again = runImport(*m_box, m_dir.path(), QStringLiteral("contacts"),
                                    {QStringLiteral("--report"), againPath});
        const QJsonObject second = readJson(againPath);
        QVERIFY2(!second.isEmpty(), qPrintable(describeRun(again)));
        QVERIFY2(again.exitCode == (count(second, "failed") > 0 ? 1 : 0),
                 qPrintable(describeRun(again)));
        checkReport(second, false);
        QCOMPARE(count(second, "created"), 0);
        QCOMPARE(count(second, "updated"), 0);
        QVERIFY(count(second, "unchanged") >= created);
        QCOMPARE(m_box->halo().userCount(), users);
        QCOMPARE(lastUserWrite(), lastWrite);
        QVERIFY2(again.out.contains(QStringLiteral("0 created, 0 updated")), qPrintable(again.out));
    }

private:
    core::Profile profile() const
    {
        core::Profile p = sandboxProfile(*m_box);
        // Two stages left out: their companies' contacts go to the default site.
        p.companies.lifecycleStages.removeAll(QStringLiteral("subscriber"));
        p.companies.lifecycleStages.removeAll(QStringLiteral("lead"));
        p.contacts.include = core::ContactInclude::CompanyContacts;
        p.contacts.defaultSiteId = m_defaultSite;
        return p;
    }
    qint64 lastUserWrite() const
    {
        qint64 last = 0;
        for (const sandbox::HaloUserRec &u : m_box->halo().store().userSlots())
            last = qMax(last, u.updatedMs);
        return last;
    }
    // No HubSpot contact twice in Halo, no e-mail address twice at one customer.
    bool noDuplicateUsers() const
    {
        QSet<QString> ids;
        QSet<QString> emails;
        for (const sandbox::HaloUserRec &u : m_box->halo().store().userSlots()) {
            if (u.id == 0)
                continue;
            if (!u.hubspotId.isEmpty()) {
                if (ids.contains(u.hubspotId)) {
                    qWarning("hubspot_id %s twice", qPrintable(u.hubspotId));
                    return false;
                }
                ids.insert(u.hubspotId);
            }
            if (!u.email.isEmpty()) {
                const QString key =
                    QString::number(u.clientId) + QLatin1Char('/') + u.email.toCaseFolded();
                if (emails.contains(key)) {
                    qWarning("%s twice", qPrintable(key));
                    return false;
                }
                emails.insert(key);
            }
        }
        return true;
    }
    static void checkReport(const QJsonObject &report, bool dryRun)
    {
        QCOMPARE(report.value(QStringLiteral("kind")).toString(), QStringLiteral("contacts"));
        QCOMPARE(report.value(QStringLiteral("dry_run")).toBool(), dryRun);
        const QString status = report.value(QStringLiteral("status")).toString();
        QVERIFY2(status == QLatin1String("completed") ||
                     status == QLatin1String("completed_with_errors"),
                 qPrintable(status));
        QCOMPARE(status == QLatin1String("completed_with_errors"), count(report, "failed") > 0);
        for (const char *key : {"started_at", "finished_at"})
            QVERIFY(QDateTime::fromString(report.value(QLatin1String(key)).toString(),
                                          Qt::ISODateWithMs)
                        .isValid());
        const QJsonArray items = report.value(QStringLiteral("items")).toArray();
        // One item per contact read, filtered-out ones included.
        QCOMPARE(count(report, "read"), qint64(items.size()));
        QCOMPARE(count(report, "read"), kContacts);
        qint64 settled = 0;
        for (const char *key :
             {"filtered_out", "created", "updated", "unchanged", "skipped", "ambiguous", "failed"})
            settled += count(report, key);
        QCOMPARE(settled, qint64(items.size()));
        // Contacts without a company are outside "company_contacts".
        QVERIFY(count(report, "filtered_out") > 0);
        const QSet<QString> actions{QStringLiteral("created"),     QStringLiteral("updated"),
                                    QStringLiteral("unchanged"),   QStringLiteral("skipped"),
                                    QStringLiteral("ambiguous"),   QStringLiteral("failed"),
                                    QStringLiteral("filtered_out")};
        QSet<QString> ids;
        for (const QJsonValue &v : items) {
            const QJsonObject item = v.toObject();
            const QString id = item.value(QStringLiteral("hubspot_id")).toString();
            QVERIFY(!id.isEmpty());
            QVERIFY2(!ids.contains(id), qPrintable(id));
            ids.insert(id);
            QVERIFY(item.contains(QStringLiteral("halo_id")));
            QVERIFY(actions.contains(item.value(QStringLiteral("action")).toString()));
            QVERIFY(item.contains(QStringLiteral("reason")));
        }
    }

    std::unique_ptr<sandbox::Sandbox> m_box;
    QTemporaryDir m_dir;
    int m_defaultSite = 0;
    QHash<QString, QString> m_dryActions; // hubspot_id -> action of the dry run
};

QTEST_GUILESS_MAIN(TestImportContacts)
#include "tst_importcontacts.moc"
