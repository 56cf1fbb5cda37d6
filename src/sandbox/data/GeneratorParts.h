// Internals of the data generator: the per-record RNG, word lists and value formatters.
#pragma once

#include "Generator.h"

#include <QStringList>

namespace halospot::sandbox::generator_detail {

enum Salt : quint64
{
    SaltCompany = 1,
    SaltCompanyName,
    SaltDuplicate,
    SaltContact,
    SaltContactName,
    SaltAssociations,
    SaltHaloClient,
    SaltHaloUser,
    SaltUnrelated,
};

// splitmix64: cheap, well mixed, and seeded per record so records are independent of each other.
class Rng final
{
public:
    Rng(quint64 seed, quint64 salt, qint64 index)
        : m_state(seed ^ (salt * 0xD1B54A32D192ED03ULL) ^ (quint64(index) * 0x9E3779B97F4A7C15ULL))
    {
        next();
    }
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    qint64 below(qint64 n) { return n <= 0 ? 0 : qint64(next() % quint64(n)); }
    bool chance(double p) { return double(next() >> 11) * (1.0 / 9007199254740992.0) < p; }
    const QString &pick(const QStringList &list) { return list.at(below(list.size())); }

private:
    quint64 m_state;
};

inline constexpr qint64 RangeStartMs = 1546300800000LL; // 2019-01-01T00:00:00Z
inline constexpr qint64 RangeEndMs = 1780272000000LL;   // 2026-06-01T00:00:00Z
inline constexpr qint64 DayMs = 86400000LL;

QStringList words(const char *text);
const QStringList &firstWords();
const QStringList &secondWords();
const QStringList &legalForms();
const QStringList &cities();
const QStringList &countries();
const QStringList &firstNames(); // display forms, paired by position with firstNamesAscii()
const QStringList &firstNamesAscii();
const QStringList &lastNames();
const QStringList &lastNamesAscii();
const QStringList &jobTitles();
const QStringList &freeMailDomains();
QString toFullWidth(const QString &text);
QString lookAlike(const QString &name, Rng &rng);
QString slug(const QString &text);
QString isoDateTime(qint64 ms);
QString isoDate(qint64 ms);
qint64 createdMs(qint64 index, qint64 count, Rng &rng);
QString phoneNumber(Rng &rng);
QString multi(const QStringList &options, Rng &rng);
void putAddress(Props &p, Rng &rng);
void putInternal(Props &p, Rng &rng, qint64 index);

} // namespace halospot::sandbox::generator_detail
