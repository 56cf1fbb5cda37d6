// Tests of RollingWindow: the request limit, expiry of old requests and the Retry-After it
// computes.
#include "RollingWindow.h"

#include <QTest>

using halospot::sandbox::RollingWindow;

class TestRollingWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allowsUpToTheLimitWithinAWindow()
    {
        RollingWindow window(3, 1000);
        QVERIFY(window.tryAcquire(0));
        QVERIFY(window.tryAcquire(10));
        QVERIFY(window.tryAcquire(20));
        QCOMPARE(window.remaining(20), 0);
        qint64 retryAfter = -1;
        QVERIFY(!window.tryAcquire(30, &retryAfter));
        // The oldest request (t=0) leaves the window at t=1000.
        QCOMPARE(retryAfter, 970);
        // A refused request does not count.
        QCOMPARE(window.remaining(30), 0);
    }

    void oldRequestsExpire()
    {
        RollingWindow window(2, 1000);
        QVERIFY(window.tryAcquire(0));
        QVERIFY(window.tryAcquire(500));
        QVERIFY(!window.tryAcquire(999));
        // At exactly t=1000 the first request is a full window old and no longer counts.
        QVERIFY(window.tryAcquire(1000));
        QCOMPARE(window.remaining(1000), 0);
        QCOMPARE(window.remaining(1500), 1);
        QCOMPARE(window.remaining(2000), 2);
    }

    void retryAfterPointsAtTheFirstFreeSlot()
    {
        RollingWindow window(2, 10000);
        QVERIFY(window.tryAcquire(100));
        QVERIFY(window.tryAcquire(4000));
        qint64 retryAfter = 0;
        QVERIFY(!window.tryAcquire(5000, &retryAfter));
        QCOMPARE(retryAfter, 5100);
        QVERIFY(!window.tryAcquire(5000 + retryAfter - 1));
        QVERIFY(window.tryAcquire(5000 + retryAfter));
        // Next slot frees when the t=4000 request leaves.
        QVERIFY(!window.tryAcquire(10100, &retryAfter));
        QCOMPARE(retryAfter, 14000 - 10100);
    }

    void nullRetryAfterIsAllowed()
    {
        RollingWindow window(1, 100);
        QVERIFY(window.tryAcquire(0, nullptr));
        QVERIFY(!window.tryAcquire(1, nullptr));
    }

    void zeroMaxMeansUnlimited()
    {
        RollingWindow window(0, 1000);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(window.tryAcquire(i));
    }

    void reconfigureAndReset()
    {
        RollingWindow window(1, 1000);
        QVERIFY(window.tryAcquire(0));
        QVERIFY(!window.tryAcquire(1));
        window.reconfigure(3, 500);
        QCOMPARE(window.max(), 3);
        QCOMPARE(window.windowMs(), 500);
        QVERIFY(window.tryAcquire(2));
        QVERIFY(window.tryAcquire(3));
        QVERIFY(!window.tryAcquire(4));
        // The shorter window applies to requests already counted.
        QVERIFY(window.tryAcquire(500));
        window.reset();
        QCOMPARE(window.remaining(501), 3);
    }
};

QTEST_GUILESS_MAIN(TestRollingWindow)
#include "tst_rollingwindow.moc"
