// Tests for normalizeName / normalizeEmail: which spellings match under SPEC §2.
#include "Names.h"

#include <QTest>

using namespace halospot::core;

class TestNames final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalizedForm_data();
    void normalizedForm();
    void equalNames_data();
    void equalNames();
    void differentNames_data();
    void differentNames();
    void idempotent_data();
    void idempotent();
    void email_data();
    void email();
};

void TestNames::normalizedForm_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("Acme") << QStringLiteral("acme");
    QTest::newRow("trimmed") << QStringLiteral("  Acme Ltd \t") << QStringLiteral("acme ltd");
    QTest::newRow("inner runs") << QStringLiteral("Acme \t\n  Ltd") << QStringLiteral("acme ltd");
    QTest::newRow("nbsp") << QStringLiteral("Acme\u00A0Ltd") << QStringLiteral("acme ltd");
    QTest::newRow("ideographic space")
        << QStringLiteral("Acme\u3000\u3000Ltd") << QStringLiteral("acme ltd");
    QTest::newRow("narrow nbsp + em space")
        << QStringLiteral("Acme\u202F\u2003Ltd") << QStringLiteral("acme ltd");
    QTest::newRow("full-width letters")
        << QStringLiteral("\uFF21\uFF43\uFF4D\uFF45") << QStringLiteral("acme");
    QTest::newRow("full-width digits")
        << QStringLiteral("Team \uFF11\uFF12") << QStringLiteral("team 12");
    QTest::newRow("ligature fi") << QStringLiteral("\uFB01nance") << QStringLiteral("finance");
    // Qt's toCaseFolded is Unicode simple case folding: ß stays ß (full folding would give ss).
    QTest::newRow("sharp s stays") << QStringLiteral("Straße") << QStringLiteral("straße");
    QTest::newRow("capital sharp s") << QStringLiteral("STRA\u1E9EE") << QStringLiteral("straße");
    QTest::newRow("greek final sigma") << QStringLiteral("ΟΔΟΣ") << QStringLiteral("οδοσ");
    QTest::newRow("accent kept") << QStringLiteral("CAFÉ") << QStringLiteral("café");
    QTest::newRow("zero-width space dropped")
        << QStringLiteral("Ac\u200Bme") << QStringLiteral("acme");
    QTest::newRow("bom dropped") << QStringLiteral("\uFEFFAcme") << QStringLiteral("acme");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("only spaces") << QStringLiteral(" \u00A0\t\u3000") << QString();
    QTest::newRow("punctuation kept")
        << QStringLiteral("Smith & Sons, Inc.") << QStringLiteral("smith & sons, inc.");
}

void TestNames::normalizedForm()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(normalizeName(input), expected);
}

void TestNames::equalNames_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::newRow("case") << QStringLiteral("ACME Corp") << QStringLiteral("acme corp");
    QTest::newRow("composed vs decomposed")
        << QStringLiteral("Caf\u00E9") << QStringLiteral("Cafe\u0301");
    QTest::newRow("decomposed upper vs composed lower")
        << QStringLiteral("CAFE\u0301") << QStringLiteral("caf\u00E9");
    QTest::newRow("full-width vs ascii")
        << QStringLiteral("\uFF21\uFF23\uFF2D\uFF25\u3000\uFF2C\uFF54\uFF44")
        << QStringLiteral("Acme Ltd");
    QTest::newRow("spacing") << QStringLiteral(" Acme   Ltd ") << QStringLiteral("Acme Ltd");
    QTest::newRow("tab vs nbsp") << QStringLiteral("Acme\tLtd") << QStringLiteral("Acme\u00A0Ltd");
    QTest::newRow("capital sharp s")
        << QStringLiteral("STRA\u1E9EE GmbH") << QStringLiteral("Straße GmbH");
    QTest::newRow("angstrom sign vs letter")
        << QStringLiteral("\u212Bngstr\u00F6m") << QStringLiteral("\u00C5ngstr\u00F6m");
    QTest::newRow("kelvin sign") << QStringLiteral("\u212Aelvin AB") << QStringLiteral("kelvin ab");
    QTest::newRow("cyrillic case")
        << QStringLiteral("ООО Ромашка") << QStringLiteral("ооо ромашка");
    QTest::newRow("japanese half-width katakana")
        << QStringLiteral("\uFF71\uFF72") << QStringLiteral("\u30A2\u30A4");
}

void TestNames::equalNames()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QCOMPARE(normalizeName(a), normalizeName(b));
}

void TestNames::differentNames_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    // SPEC §2: NFKC + case folding only; accents are part of a name.
    QTest::newRow("accent matters") << QStringLiteral("Café") << QStringLiteral("Cafe");
    QTest::newRow("umlaut matters") << QStringLiteral("Müller") << QStringLiteral("Muller");
    QTest::newRow("inner space matters") << QStringLiteral("Acme Ltd") << QStringLiteral("AcmeLtd");
    QTest::newRow("punctuation matters")
        << QStringLiteral("Acme, Inc.") << QStringLiteral("Acme Inc");
    QTest::newRow("look-alike cyrillic a") << QStringLiteral("Acme") << QStringLiteral("\u0410cme");
    QTest::newRow("sharp s vs ss (simple folding)")
        << QStringLiteral("Straße") << QStringLiteral("STRASSE");
    QTest::newRow("suffix") << QStringLiteral("Acme") << QStringLiteral("Acme Ltd");
}

void TestNames::differentNames()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QVERIFY2(normalizeName(a) != normalizeName(b), qPrintable(normalizeName(a)));
}

void TestNames::idempotent_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("mixed") << QStringLiteral("  \uFF21cme\u3000STRAßE  Cafe\u0301 \uFB01 ");
    QTest::newRow("turkish dotted I") << QStringLiteral("\u0130stanbul Ltd");
    QTest::newRow("emoji") << QStringLiteral("Happy \U0001F600 Co");
}

void TestNames::idempotent()
{
    QFETCH(QString, input);
    const QString once = normalizeName(input);
    QCOMPARE(normalizeName(once), once);
    QVERIFY(!once.startsWith(QLatin1Char(' ')) && !once.endsWith(QLatin1Char(' ')));
    QVERIFY(!once.contains(QStringLiteral("  ")));
}

void TestNames::email_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("case") << QStringLiteral("Jane.Doe@Example.COM")
                          << QStringLiteral("jane.doe@example.com") << true;
    QTest::newRow("trim") << QStringLiteral("  jane@example.com\t")
                          << QStringLiteral("jane@example.com") << true;
    QTest::newRow("dots significant")
        << QStringLiteral("jane.doe@example.com") << QStringLiteral("janedoe@example.com") << false;
    QTest::newRow("plus tag significant")
        << QStringLiteral("jane+x@example.com") << QStringLiteral("jane@example.com") << false;
    QTest::newRow("domain differs")
        << QStringLiteral("jane@example.com") << QStringLiteral("jane@example.org") << false;
}

void TestNames::email()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(normalizeEmail(a) == normalizeEmail(b), same);
    QCOMPARE(normalizeEmail(QStringLiteral(" Jane@Example.COM ")),
             QStringLiteral("jane@example.com"));
}

QTEST_GUILESS_MAIN(TestNames)
#include "tst_names.moc"
