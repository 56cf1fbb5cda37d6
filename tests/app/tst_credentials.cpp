// Tests of Credentials against the real keychain (gnome-keyring in CI): distinct keys per profile
// and secret, writes that stay within their profile, and loadAll() with the environment winning.
#include "Credentials.h"
#include "SecretTestSupport.h"

#include <QSet>
#include <QTest>
#include <QUuid>

using namespace halospot::api;
using namespace halospot::api::test;

namespace {

constexpr Secret kAll[] = {Secret::HubSpotClientSecret, Secret::HubSpotRefreshToken,
                           Secret::HubSpotStaticToken, Secret::HaloClientSecret};

struct Loaded
{
    SecretSet set;
    bool completed = false;
    bool ranInsideCall = false;
};

Loaded loadAll(Credentials &credentials, const QProcessEnvironment &environment)
{
    Loaded loaded;
    bool returned = false;
    credentials.loadAll(environment, [&](const SecretSet &set) {
        loaded.set = set;
        loaded.ranInsideCall = !returned;
        loaded.completed = true;
    });
    returned = true;
    if (!QTest::qWaitFor([&] { return loaded.completed; }, 30000))
        return Loaded();
    return loaded;
}

Completion write(Credentials &c, Secret secret, const QString &value)
{
    return await(*c.store(),
                 [&](SecretStore::Done done) { c.write(secret, value, std::move(done)); });
}

Completion read(Credentials &c, Secret secret)
{
    return await(*c.store(), [&](SecretStore::Done done) { c.read(secret, std::move(done)); });
}

Completion remove(Credentials &c, Secret secret)
{
    return await(*c.store(), [&](SecretStore::Done done) { c.remove(secret, std::move(done)); });
}

QString newProfile()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

class TestCredentials final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        for (Credentials *c : {&m_a, &m_b}) {
            for (const Secret s : kAll)
                remove(*c, s);
        }
    }

    void keysAreDistinctPerProfileAndSecret()
    {
        QSet<QString> keys;
        for (const QString &profile : {m_a.profileId(), m_b.profileId()}) {
            for (const Secret s : kAll) {
                const QString key = secretKey(profile, s);
                QVERIFY2(key.startsWith(profile + QLatin1Char('/')), qPrintable(key));
                keys.insert(key);
            }
        }
        QCOMPARE(keys.size(), 8);
        QCOMPARE(secretKey(QStringLiteral("P"), Secret::HubSpotRefreshToken),
                 QStringLiteral("P/hubspot/refresh-token"));
    }

    void writesStayInTheirProfile()
    {
        const QString a = randomSecret(40);
        const QString b = randomSecret(40);
        QCOMPARE(write(m_a, Secret::HubSpotStaticToken, a).result.outcome, SecretOutcome::Ok);
        QCOMPARE(read(m_b, Secret::HubSpotStaticToken).result.outcome, SecretOutcome::NotFound);
        QCOMPARE(write(m_b, Secret::HubSpotStaticToken, b).result.outcome, SecretOutcome::Ok);
        QCOMPARE(read(m_a, Secret::HubSpotStaticToken).result.value, a);
        QCOMPARE(read(m_b, Secret::HubSpotStaticToken).result.value, b);
        // Another secret of the same profile is another entry.
        QCOMPARE(read(m_a, Secret::HaloClientSecret).result.outcome, SecretOutcome::NotFound);
        QCOMPARE(remove(m_a, Secret::HubSpotStaticToken).result.outcome, SecretOutcome::Ok);
        QCOMPARE(read(m_a, Secret::HubSpotStaticToken).result.outcome, SecretOutcome::NotFound);
        QCOMPARE(read(m_b, Secret::HubSpotStaticToken).result.value, b);
    }

    void loadAllReadsTheKeychain()
    {
        const QString refresh = randomSecret(40);
        const QString halo = randomSecret(30);
        QVERIFY(write(m_a, Secret::HubSpotRefreshToken, refresh).result.ok());
        QVERIFY(write(m_a, Secret::HaloClientSecret, halo).result.ok());
        const Loaded loaded = loadAll(m_a, QProcessEnvironment());
        QVERIFY(loaded.completed);
        QVERIFY(!loaded.ranInsideCall);
        QCOMPARE(loaded.set.outcome, SecretOutcome::Ok);
        QCOMPARE(loaded.set.values.size(), 2); // missing entries are simply absent
        QCOMPARE(loaded.set.value(Secret::HubSpotRefreshToken), refresh);
        QCOMPARE(loaded.set.value(Secret::HaloClientSecret), halo);
        QVERIFY(!loaded.set.has(Secret::HubSpotStaticToken));
        QVERIFY(!loaded.set.has(Secret::HubSpotClientSecret));
    }

    void environmentWinsOverTheKeychain()
    {
        const QString keychainToken = randomSecret(40);
        const QString keychainHalo = randomSecret(30);
        const QString refresh = randomSecret(40);
        QVERIFY(write(m_a, Secret::HubSpotStaticToken, keychainToken).result.ok());
        QVERIFY(write(m_a, Secret::HaloClientSecret, keychainHalo).result.ok());
        QVERIFY(write(m_a, Secret::HubSpotRefreshToken, refresh).result.ok());

        const QString envToken = randomSecret(40);
        const QString envHalo = randomSecret(30);
        QProcessEnvironment env;
        env.insert(QString::fromLatin1(kEnvHubSpotToken), envToken);
        Loaded loaded = loadAll(m_a, env);
        QVERIFY(loaded.completed);
        QCOMPARE(loaded.set.value(Secret::HubSpotStaticToken), envToken);
        QCOMPARE(loaded.set.value(Secret::HaloClientSecret), keychainHalo);
        QCOMPARE(loaded.set.value(Secret::HubSpotRefreshToken), refresh); // no override exists

        env.insert(QString::fromLatin1(kEnvHaloSecret), envHalo);
        loaded = loadAll(m_a, env);
        QCOMPARE(loaded.set.value(Secret::HaloClientSecret), envHalo);
        // The environment is only read, never copied into the keychain.
        QCOMPARE(read(m_a, Secret::HubSpotStaticToken).result.value, keychainToken);
        QCOMPARE(read(m_a, Secret::HaloClientSecret).result.value, keychainHalo);

        // Only from the environment, for a profile with nothing stored: still delivered later.
        loaded = loadAll(m_b, env);
        QVERIFY(loaded.completed);
        QVERIFY(!loaded.ranInsideCall);
        QCOMPARE(loaded.set.values.size(), 2);
        QCOMPARE(loaded.set.value(Secret::HubSpotStaticToken), envToken);
    }

    void noCallbackAfterTheCredentialsAreGone()
    {
        bool called = false;
        {
            Credentials gone(&m_store, newProfile());
            gone.loadAll(QProcessEnvironment(), [&called](const SecretSet &) { called = true; });
        }
        QTest::qWait(500);
        QVERIFY(!called);
    }

private:
    SecretStore m_store{QStringLiteral("HaloSpot-test-credentials")};
    Credentials m_a{&m_store, newProfile()};
    Credentials m_b{&m_store, newProfile()};
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
