// Tests of the sandbox Clock: scaled time, continuity when the scale changes, real-time conversion.
#include "Clock.h"

#include <QTest>
#include <QThread>

using halospot::sandbox::Clock;

class TestClock final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsNearZeroAndIsMonotonic()
    {
        Clock clock;
        const qint64 first = clock.nowMs();
        QVERIFY(first >= 0);
        qint64 previous = first;
        for (int i = 0; i < 1000; ++i) {
            const qint64 now = clock.nowMs();
            QVERIFY(now >= previous);
            previous = now;
        }
    }

    void scaledTimeRunsFaster()
    {
        // Only lower bounds: a loaded machine may make real time longer, never shorter.
        Clock clock(50.0);
        QThread::msleep(40);
        QVERIFY2(clock.nowMs() >= 40 * 50, qPrintable(QString::number(clock.nowMs())));
        QVERIFY(clock.nowUtc() >= QDateTime::currentDateTimeUtc().addMSecs(40 * 45));
    }

    void invalidScaleFallsBackToRealTime()
    {
        Clock zero(0);
        QCOMPARE(zero.scale(), 1.0);
        Clock negative(-3);
        QCOMPARE(negative.scale(), 1.0);
        negative.setScale(-1);
        QCOMPARE(negative.scale(), 1.0);
    }

    void changingScaleKeepsTimeContinuous()
    {
        Clock clock(1000.0);
        QThread::msleep(20);
        const qint64 before = clock.nowMs();
        QVERIFY(before >= 20000);
        // Nearly frozen from here on: the clock must neither jump back to real time nor restart.
        clock.setScale(0.001);
        const qint64 after = clock.nowMs();
        QVERIFY2(after >= before, qPrintable(QStringLiteral("%1 < %2").arg(after).arg(before)));
        QThread::msleep(30);
        const qint64 later = clock.nowMs();
        QVERIFY(later >= after);
        // 30 ms (or even a few hundred on a loaded machine) at 0.001x is well under one scaled ms.
        QVERIFY2(later - after <= 1, qPrintable(QStringLiteral("%1 -> %2").arg(after).arg(later)));
        clock.setScale(1.0);
        QThread::msleep(20);
        QVERIFY(clock.nowMs() >= later + 20);
    }

    void toRealMsDividesByScale()
    {
        Clock clock(10.0);
        QCOMPARE(clock.toRealMs(10000), 1000);
        QCOMPARE(clock.toRealMs(15), 2); // rounded up: never wake before the scaled time passed
        QCOMPARE(clock.toRealMs(0), 0);
        QCOMPARE(clock.toRealMs(-5), 0);
        clock.setScale(0.5);
        QCOMPARE(clock.toRealMs(1000), 2000);
    }
};

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
