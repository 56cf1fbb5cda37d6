// Tests HaloCheck (Halo's "Test connection") against the fake Halo over loopback: every step ok,
// and the specific sentence for a wrong secret or client ID, a wrong tenant, a refused port, an
// unresolvable name, a TLS failure, a read-only scope (warning) and a scope without customer
// rights (403, later steps skipped).
#include "ApiTestSupport.h"
#include "ConnectionCheck.h"

#include "Clock.h"
#include "FakeHalo.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace halospot::api;
using namespace halospot::sandbox;

namespace {

using State = HaloStepResult::State;

struct Outcome
{
    bool finished = false;
    bool ok = false;
    QList<HaloStepResult> results;
    QList<HaloStepResult> reported; // stepFinished, in order

    State state(HaloStep step) const
    {
        for (const HaloStepResult &r : results) {
            if (r.step == step)
                return r.state;
        }
        return State::Skipped;
    }
    QString message(HaloStep step) const
    {
        for (const HaloStepResult &r : results) {
            if (r.step == step)
                return r.message;
        }
        return QString();
    }
    QString all() const
    {
        QStringList lines;
        for (const HaloStepResult &r : results)
            lines << QStringLiteral("%1 [%2]: %3").arg(r.title).arg(int(r.state)).arg(r.message);
        return lines.join(QLatin1Char('\n'));
    }
};

Outcome runCheck(const HaloSettings &settings)
{
    Outcome out;
    HaloCheck check(settings);
    QObject::connect(&check, &HaloCheck::stepFinished,
                     [&out](const HaloStepResult &r) { out.reported << r; });
    QObject::connect(&check, &HaloCheck::finished,
                     [&out](bool ok, const QList<HaloStepResult> &results) {
                         out.finished = true;
                         out.ok = ok;
                         out.results = results;
                     });
    check.run();
    if (!check.isRunning())
        return out;
    if (!QTest::qWaitFor([&out] { return out.finished; }, 30000))
        return out;
    if (check.isRunning())
        out.finished = false;
    return out;
}

} // namespace

class TestHaloCheck final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<FakeHalo> m_halo;

    FakeHalo &startHalo()
    {
        m_clock = std::make_unique<Clock>();
        m_halo = std::make_unique<FakeHalo>(HaloConfig{}, m_clock.get());
        if (m_halo->listen() == 0)
            qFatal("FakeHalo did not listen");
        m_halo->addClient(QStringLiteral("Acme Ltd"));
        m_halo->addClient(QStringLiteral("Globex"));
        return *m_halo;
    }

    HaloSettings settings() const
    {
        HaloSettings s;
        s.url = m_halo->baseUrl();
        s.clientId = m_halo->config().clientId;
        s.clientSecret = m_halo->config().clientSecret;
        return s;
    }

    // Asserts that every step after `failed` was skipped and that the check as a whole failed.
    static void verifyFailedAt(const Outcome &out, HaloStep failed)
    {
        QVERIFY2(out.finished, "the check did not finish");
        QVERIFY(!out.ok);
        QCOMPARE(out.results.size(), 4);
        QCOMPARE(out.reported.size(), 4);
        bool after = false;
        for (const HaloStepResult &r : out.results) {
            if (r.step == failed) {
                QCOMPARE(r.state, State::Failed);
                after = true;
            } else if (after) {
                QCOMPARE(r.state, State::Skipped);
                QVERIFY(!r.message.isEmpty());
            } else {
                QCOMPARE(r.state, State::Ok);
            }
        }
    }

    // Runs the check, which must stop at the token step, and returns that step's sentence.
    static QString tokenFailure(const HaloSettings &s)
    {
        const Outcome out = runCheck(s);
        verifyFailedAt(out, HaloStep::Token);
        return out.message(HaloStep::Token);
    }

private Q_SLOTS:
    void cleanup()
    {
        m_halo.reset();
        m_clock.reset();
    }

    void everyStepOk()
    {
        startHalo();
        const Outcome out = runCheck(settings());
        QVERIFY2(out.finished, qPrintable(out.all()));
        QVERIFY2(out.ok, qPrintable(out.all()));
        QCOMPARE(out.results.size(), 4);
        const HaloStep order[] = {HaloStep::Token, HaloStep::ReadCustomers, HaloStep::ReadFields,
                                  HaloStep::WritePermission};
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(out.results.at(i).step, order[i]);
            QCOMPARE(out.reported.at(i).step, order[i]);
            QCOMPARE(out.results.at(i).state, State::Ok);
            QCOMPARE(out.results.at(i).title, HaloCheck::stepTitle(order[i]));
            QVERIFY(!out.results.at(i).message.isEmpty());
        }
        QVERIFY2(out.message(HaloStep::ReadCustomers).contains(QLatin1String("2 customers")),
                 qPrintable(out.all()));
        QVERIFY(out.message(HaloStep::Token).contains(QLatin1String("sandbox")));
        QVERIFY(out.message(HaloStep::WritePermission).contains(QStringLiteral("“all”")));
        QVERIFY(!out.all().contains(settings().clientSecret));
    }

    void wrongCredentials_data()
    {
        QTest::addColumn<bool>("wrongId");
        QTest::newRow("wrong secret") << false;
        QTest::newRow("unknown client ID") << true;
    }
    void wrongCredentials()
    {
        QFETCH(bool, wrongId);
        startHalo();
        HaloSettings s = settings();
        if (wrongId)
            s.clientId = QStringLiteral("no-such-client");
        else
            s.clientSecret = QStringLiteral("not-the-secret");
        const Outcome out = runCheck(s);
        verifyFailedAt(out, HaloStep::Token);
        const QString message = out.message(HaloStep::Token);
        QVERIFY2(message.contains(QLatin1String("did not accept the client ID and secret")),
                 qPrintable(message));
        QVERIFY(!out.all().contains(settings().clientSecret));
    }

    void wrongTenant()
    {
        startHalo();
        HaloSettings s = settings();
        s.tenant = QStringLiteral("acme-typo");
        const QString message = tokenFailure(s);
        QVERIFY2(message.contains(QStringLiteral("does not know the tenant “acme-typo”")),
                 qPrintable(message));
    }

    void unreachable_data()
    {
        halospot::apitest::addUnreachableRows("url", QStringLiteral("halo.invalid"));
    }
    void unreachable()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        startHalo();
        // https to FakeHalo's plain-HTTP port: the TLS handshake cannot succeed.
        url.replace(QLatin1String("PLAIN"), QString::number(m_halo->port()));
        HaloSettings s = settings();
        s.url = QUrl(url);
        const QString message = tokenFailure(s);
        QVERIFY2(message.contains(expected), qPrintable(message));
        if (url.contains(QLatin1String("invalid")))
            QVERIFY(message.contains(QStringLiteral("“halo.invalid”")));
    }

    // A scope Halo does not know: invalid_scope, named in the sentence.
    void unknownScope()
    {
        startHalo();
        HaloSettings s = settings();
        s.scope = QStringLiteral("read:everything");
        const QString message = tokenFailure(s);
        QVERIFY2(message.contains(QStringLiteral("refused the requested scope “read:everything”")),
                 qPrintable(message));
    }

    // An address that answers, but not as Halo: no authinfo, no sign-in server (404).
    void notAHaloServer()
    {
        startHalo();
        halospot::apitest::ScriptedService other(m_clock.get());
        other.handler = [](const Request &) { return Response::text(404, "Not Found"); };
        QVERIFY(other.listen(0) != 0);
        HaloSettings s = settings();
        s.url = other.baseUrl();
        const QString message = tokenFailure(s);
        QVERIFY2(message.contains(QLatin1String("No Halo sign-in server answers at")),
                 qPrintable(message));
        QVERIFY(message.contains(QLatin1String("/auth/token")));
    }

    // A read-only application: everything reads, the write step warns, the check passes.
    void readOnlyScopeWarns()
    {
        startHalo();
        HaloSettings s = settings();
        s.scope = QStringLiteral("read:customers");
        const Outcome out = runCheck(s);
        QVERIFY2(out.finished, qPrintable(out.all()));
        QVERIFY2(out.ok, qPrintable(out.all()));
        QCOMPARE(out.state(HaloStep::Token), State::Ok);
        QCOMPARE(out.state(HaloStep::ReadCustomers), State::Ok);
        QCOMPARE(out.state(HaloStep::ReadFields), State::Ok);
        QCOMPARE(out.state(HaloStep::WritePermission), State::Warning);
        const QString message = out.message(HaloStep::WritePermission);
        QVERIFY2(message.contains(QLatin1String("may only read customers")), qPrintable(message));
        QVERIFY(message.contains(QLatin1String("edit:customers")));
    }

    void editScopeIsEnough()
    {
        startHalo();
        HaloSettings s = settings();
        s.scope = QStringLiteral("read:customers edit:customers");
        const Outcome out = runCheck(s);
        QVERIFY2(out.ok, qPrintable(out.all()));
        QCOMPARE(out.state(HaloStep::WritePermission), State::Ok);
    }

    // A scope without customer rights: Halo answers 403 on reading customers.
    void missingPermissionFails()
    {
        startHalo();
        HaloSettings s = settings();
        s.scope = QStringLiteral("read:tickets");
        const Outcome out = runCheck(s);
        verifyFailedAt(out, HaloStep::ReadCustomers);
        const QString message = out.message(HaloStep::ReadCustomers);
        QVERIFY2(message.contains(QLatin1String("refused to let the API application read "
                                                "customers (HTTP 403)")),
                 qPrintable(message));
        QVERIFY(message.contains(QLatin1String("read:customers")));
        QVERIFY(out.message(HaloStep::ReadFields).contains(QLatin1String("Read customers")));
    }

    // A receiver may delete the check while it reports a step: nothing runs on afterwards.
    void deletedByReceiver()
    {
        startHalo();
        auto *check = new HaloCheck(settings());
        int steps = 0;
        QObject::connect(check, &HaloCheck::stepFinished, [&steps, &check](const HaloStepResult &) {
            ++steps;
            delete check;
            check = nullptr;
        });
        check->run();
        QTRY_COMPARE_WITH_TIMEOUT(steps, 1, 30000);
        QVERIFY(check == nullptr);
        QTest::qWait(200); // requests of the deleted check would land here
        QCOMPARE(steps, 1);
    }

    // Cancel: no finished signal; a second run afterwards works.
    void cancelAndRerun()
    {
        startHalo();
        HaloCheck check(settings());
        int finishedCount = 0;
        QObject::connect(
            &check, &HaloCheck::finished,
            [&finishedCount](bool, const QList<HaloStepResult> &) { ++finishedCount; });
        check.run();
        QVERIFY(check.isRunning());
        check.cancel();
        QVERIFY(!check.isRunning());
        check.run();
        QTRY_COMPARE_WITH_TIMEOUT(finishedCount, 1, 30000);
        QVERIFY(!check.isRunning());
        QTest::qWait(50);
        QCOMPARE(finishedCount, 1);
    }
};

QTEST_GUILESS_MAIN(TestHaloCheck)
#include "tst_halocheck.moc"
