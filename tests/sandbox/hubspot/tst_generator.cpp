// Tests the seeded generator: determinism, realistic distributions, values that fit the fake's
// property definitions, and the Halo seeds that overlap HubSpot's data.
#include "Generator.h"
#include "HubSpotProperties.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace halospot::sandbox;

class TestGenerator final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameData();
    void otherSeedOtherData();
    void companiesAtScale();
    void contactsCompaniesAndEmails();
    void valuesFitPropertyDefinitions();
    void haloSeedsOverlapHubSpot();
};

void TestGenerator::sameSeedSameData()
{
    const Generator a({7, 500, 2000});
    const Generator b({7, 500, 2000});
    for (qint64 i : {0, 1, 17, 499}) {
        QCOMPARE(a.company(i), b.company(i));
        QCOMPARE(a.contact(i * 4), b.contact(i * 4));
        QCOMPARE(a.contactCompanies(i * 4), b.contactCompanies(i * 4));
    }
    QCOMPARE(a.haloClients().size(), b.haloClients().size());
    QCOMPARE(a.haloUsers().size(), b.haloUsers().size());
    // Records are computed, not stored: asking again gives the same answer.
    QCOMPARE(a.contact(1234), a.contact(1234));
}

void TestGenerator::otherSeedOtherData()
{
    const Generator a({1, 300, 300});
    const Generator b({2, 300, 300});
    int differentNames = 0;
    for (qint64 i = 0; i < 300; ++i)
        differentNames += a.company(i).value(QStringLiteral("name")) !=
                          b.company(i).value(QStringLiteral("name"));
    QVERIFY2(differentNames > 250, qPrintable(QString::number(differentNames)));
}

void TestGenerator::companiesAtScale()
{
    const qint64 n = 100000;
    const Generator g({42, n, 10});
    QHash<QString, int> names;
    QSet<QString> stages;
    int noName = 0, noStage = 0, cjk = 0, fullWidth = 0, accented = 0, emptyPhone = 0;
    QString previousCreated;
    for (qint64 i = 0; i < n; ++i) {
        const Props p = g.company(i);
        const QString name = p.value(QStringLiteral("name"));
        if (!p.contains(QStringLiteral("name")))
            ++noName;
        else
            ++names[name];
        for (QChar c : name) {
            const ushort u = c.unicode();
            cjk += u >= 0x4E00 && u <= 0x9FFF;
            fullWidth += u >= 0xFF01 && u <= 0xFF5E;
            accented += u >= 0xC0 && u <= 0x17F;
        }
        if (p.contains(QStringLiteral("lifecyclestage")))
            stages.insert(p.value(QStringLiteral("lifecyclestage")));
        else
            ++noStage;
        emptyPhone +=
            p.contains(QStringLiteral("phone")) && p.value(QStringLiteral("phone")).isEmpty();
        // Creation order follows the index, as HubSpot ids follow creation.
        const QString created = p.value(QStringLiteral("createdate"));
        QVERIFY(created > previousCreated);
        previousCreated = created;
    }
    int duplicated = 0;
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        duplicated += it.value() > 1;
    QVERIFY(noName > n / 200);
    QVERIFY(duplicated > n / 100);
    QVERIFY(cjk > 0);
    QVERIFY(fullWidth > 0);
    QVERIFY(accented > 0);
    QVERIFY(emptyPhone > 0);
    QCOMPARE(stages.size(), 9); // 8 defaults + the numeric custom stage
    QVERIFY(stages.contains(QStringLiteral("1234567")));
    QVERIFY(noStage > n / 20);
}

void TestGenerator::contactsCompaniesAndEmails()
{
    const Generator g({42, 300, 3000});
    int none = 0, one = 0, several = 0, noEmail = 0;
    QSet<QString> emails;
    for (qint64 i = 0; i < 3000; ++i) {
        const QList<qint64> companies = g.contactCompanies(i);
        none += companies.isEmpty();
        one += companies.size() == 1;
        several += companies.size() > 1;
        for (qint64 c : companies)
            QVERIFY(c >= 0 && c < 300);
        QCOMPARE(QSet<qint64>(companies.cbegin(), companies.cend()).size(), companies.size());
        const QString email = g.contact(i).value(QStringLiteral("email"));
        if (email.isEmpty()) {
            ++noEmail;
            continue;
        }
        QVERIFY2(!emails.contains(email.toLower()), qPrintable(email)); // HubSpot's unique key
        emails.insert(email.toLower());
        QCOMPARE(g.contactIndexForEmail(email), i);
        QCOMPARE(g.contactIndexForEmail(email.toUpper()), i);
    }
    QVERIFY(none > 100);
    QVERIFY(one > 1000);
    QVERIFY(several > 100);
    QVERIFY(noEmail > 0);
    QCOMPARE(g.contactIndexForEmail(QStringLiteral("nobody1@nowhere.invalid")), -1);
    QCOMPARE(g.contactIndexForEmail(QStringLiteral("not-an-email")), -1);
}

void TestGenerator::valuesFitPropertyDefinitions()
{
    const Generator g({5, 400, 400});
    for (ObjectKind kind : {ObjectKind::Company, ObjectKind::Contact}) {
        QSet<QString> filled;
        for (qint64 i = 0; i < 400; ++i) {
            const Props p = kind == ObjectKind::Company ? g.company(i) : g.contact(i);
            for (auto it = p.cbegin(); it != p.cend(); ++it) {
                const PropertyDef *def = HubSpotProperties::find(kind, it.key());
                QVERIFY2(def, qPrintable(it.key()));
                if (!it.value().isEmpty())
                    filled.insert(def->name);
                if (def->readOnlyValue || it.value().isEmpty())
                    continue;
                // Every generated writable value is one the fake would accept on write.
                const PropertyWrite w = HubSpotProperties::checkWrite(kind, it.key(), it.value());
                QVERIFY2(w.ok, qPrintable(it.key() + QLatin1String(": ") + w.message));
            }
        }
        // Every property type is filled somewhere (ids are added by the fake, not generated).
        for (const PropertyDef &def : HubSpotProperties::definitions(kind)) {
            if (def.name == QLatin1String("hs_object_id") ||
                def.name == QLatin1String("associatedcompanyid"))
                continue;
            QVERIFY2(filled.contains(def.name), qPrintable(def.name));
        }
    }
}

void TestGenerator::haloSeedsOverlapHubSpot()
{
    const Generator g({42, 1000, 4000});
    const QList<HaloClientSeed> clients = g.haloClients();
    QVERIFY(clients.size() > 150 && clients.size() < 350);
    int exact = 0, variant = 0, unrelated = 0, inactive = 0;
    QHash<QString, int> names;
    for (const HaloClientSeed &c : clients) {
        ++names[c.name];
        inactive += c.inactive;
        if (c.companyIndex < 0) {
            ++unrelated;
            continue;
        }
        const QString hub = g.company(c.companyIndex).value(QStringLiteral("name"));
        if (c.name == hub)
            ++exact;
        else
            ++variant;
        // A variant still matches once case, spacing and width are normalised.
        const auto norm = [](const QString &s) {
            return s.normalized(QString::NormalizationForm_KC)
                .simplified()
                .toCaseFolded()
                .replace(QStringLiteral("ß"), QStringLiteral("ss"));
        };
        QCOMPARE(norm(c.name), norm(hub));
    }
    int ambiguous = 0;
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        ambiguous += it.value() > 1;
    QVERIFY(exact > 0);
    QVERIFY(variant > exact);
    QVERIFY(unrelated >= 3);
    QVERIFY(inactive > 0);
    QVERIFY(ambiguous > 0);

    const QList<HaloUserSeed> users = g.haloUsers();
    int sameAddressOtherCase = 0;
    for (const HaloUserSeed &u : users) {
        QVERIFY(u.clientIndex >= 0 && u.clientIndex < clients.size());
        // Halo has no nameless users (it refuses to save one).
        QVERIFY(!(u.firstname + u.surname).trimmed().isEmpty());
        if (u.contactIndex < 0)
            continue;
        const QString hub = g.contact(u.contactIndex).value(QStringLiteral("email"));
        QCOMPARE(u.email.toLower(), hub.toLower());
        sameAddressOtherCase += u.email != hub;
    }
    QVERIFY(sameAddressOtherCase > 10);
}

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
