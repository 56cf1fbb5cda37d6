// Internals of the data generator: word lists (with Unicode and look-alikes) and formatters.
#include "GeneratorParts.h"

#include <QDateTime>
#include <QTimeZone>

namespace halospot::sandbox::generator_detail {

QStringList words(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char('|'));
}

const QStringList &firstWords()
{
    static const QStringList w = words(
        "Acme|Nordwind|Bergmann|Müller|Schäfer|Blue River|Silverline|Hofmann|Zenith|Polaris|Atlas|"
        "Vertex|Horizon|Lumière|Kowalski|Søndergaard|Øresund|Čapek|Dvořák|García|Peña|Crédit|Élan|"
        "Fjord|Orion|Nova|Apex|Summit|Granite|Maple|Cedar|Alpine|Baltic|Iberia|Kessler|Lindqvist|"
        "Nakamura|Okafor|Rossi|Bianchi|Fischer|Weber|Wagner|Becker|Quantum|Pixel|Cobalt|Amber|"
        "Großmann|Ångström");
    return w;
}

const QStringList &secondWords()
{
    static const QStringList w = words(
        "Consulting|Logistik|Technologies|Solutions|Systems|Software|Trading|Services|Partners|"
        "Holdings|Industries|Medical|Bau|Energie|Foods|Analytics|Networks|Labs|Design|Media|Handel|"
        "Immobilien|Transport|Pharma|Robotics|Security|Finance|Cloud|Data|Textiles");
    return w;
}

const QStringList &legalForms()
{
    static const QStringList w = words("GmbH|AG|Ltd|Inc.|LLC|S.A.|SARL|B.V.|AB|Oy|S.p.A.|"
                                       "Sp. z o.o.|KG|GmbH & Co. KG||Corp.");
    return w;
}

const QStringList &cities()
{
    static const QStringList w = words(
        "Berlin|München|Köln|Zürich|Wien|Paris|Lyon|Málaga|São Paulo|London|Manchester|"
        "Kraków|Göteborg|København|Tokyo|Osaka|Seoul|Shanghai|New York|Austin|Toronto|Dublin");
    return w;
}

const QStringList &countries()
{
    static const QStringList w = words("Germany|Deutschland|Austria|Switzerland|France|Spain|"
                                       "Brazil|United Kingdom|Poland|Sweden|Denmark|Japan|日本|"
                                       "South Korea|China|United States|USA|Canada|Ireland");
    return w;
}

// Display form and ASCII form (for e-mail addresses), paired by position.
const QStringList &firstNames()
{
    static const QStringList w = words(
        "Anna|Jürgen|José|Zoë|Łukasz|Søren|François|Chloé|Mehmet|Aisha|Liam|Olivia|Noah|Emma|Jan|"
        "Sofia|Mateo|Björn|Ines|Ana|Yuki|太郎|민준|伟|Ólafur|Renée|Max|Lena|Paul|Marie");
    return w;
}

const QStringList &firstNamesAscii()
{
    static const QStringList w =
        words("anna|juergen|jose|zoe|lukasz|soren|francois|chloe|mehmet|aisha|liam|olivia|noah|"
              "emma|jan|sofia|mateo|bjorn|ines|ana|yuki|taro|minjun|wei|olafur|renee|max|lena|paul|"
              "marie");
    return w;
}

const QStringList &lastNames()
{
    static const QStringList w = words(
        "Müller|Schmidt|Meyer|Schäfer|García|Fernández|Dubois|Lefèvre|Nowak|Kowalski|Nielsen|"
        "Öztürk|Smith|Johnson|O'Brien|Brown|van der Berg|De Luca|Rossi|Ångström|Tanaka|山田|김|王|"
        "Sigurðsson|Wagner|Becker|Hoffmann|Novák|Silva");
    return w;
}

const QStringList &lastNamesAscii()
{
    static const QStringList w =
        words("mueller|schmidt|meyer|schaefer|garcia|fernandez|dubois|lefevre|nowak|kowalski|"
              "nielsen|ozturk|smith|johnson|obrien|brown|vanderberg|deluca|rossi|angstrom|tanaka|"
              "yamada|kim|wang|sigurdsson|wagner|becker|hoffmann|novak|silva");
    return w;
}

const QStringList &jobTitles()
{
    static const QStringList w =
        words("CEO|CTO|IT Manager|Office Manager|Geschäftsführer|Head of IT|Buchhaltung|"
              "Directeur Général|Service Desk Lead|Procurement|システム管理者|Owner");
    return w;
}

const QStringList &freeMailDomains()
{
    static const QStringList w =
        words("gmail.com|outlook.com|web.de|gmx.de|yahoo.co.jp|orange.fr|icloud.com");
    return w;
}

QString toFullWidth(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (QChar c : text) {
        const ushort u = c.unicode();
        if (u == 0x20)
            out += QChar(0x3000);
        else if (u > 0x20 && u < 0x7F)
            out += QChar(ushort(u + 0xFEE0));
        else
            out += c;
    }
    return out;
}

// A name a human would consider the same company: other case, umlauts spelled out, '&' as "and",
// punctuation dropped, stray spaces.
QString lookAlike(const QString &name, Rng &rng)
{
    QString v = name;
    switch (rng.below(6)) {
    case 0:
        return v.toUpper();
    case 1:
        v.replace(QStringLiteral("ü"), QStringLiteral("ue"));
        v.replace(QStringLiteral("ö"), QStringLiteral("oe"));
        v.replace(QStringLiteral("ä"), QStringLiteral("ae"));
        v.replace(QStringLiteral("é"), QStringLiteral("e"));
        v.replace(QStringLiteral("ß"), QStringLiteral("ss"));
        return v == name ? v.toLower() : v;
    case 2:
        v.replace(QLatin1Char('.'), QString());
        return v == name ? v + QStringLiteral(" Group") : v;
    case 3:
        v.replace(QLatin1Char('&'), QStringLiteral("and"));
        return v == name ? v + QLatin1Char('.') : v;
    case 4:
        return v + QLatin1Char(' ');
    default:
        return v.replace(QLatin1Char(' '), QStringLiteral("  "));
    }
}

QString slug(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD).toLower();
    QString out;
    for (QChar c : decomposed) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
            (c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            out += c;
        else if (c == QLatin1Char(' ') && !out.isEmpty() && !out.endsWith(QLatin1Char('-')))
            out += QLatin1Char('-');
    }
    while (out.endsWith(QLatin1Char('-')))
        out.chop(1);
    return out;
}

QString isoDateTime(qint64 ms)
{
    // Spelled out: Qt 6.4 writes "+00:00" instead of "Z" for a QTimeZone::utc() date-time.
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

QString isoDate(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms - ms % DayMs, QTimeZone::utc())
        .date()
        .toString(Qt::ISODate);
}

// Creation times grow with the index so that id order and creation order agree, as in HubSpot.
qint64 createdMs(qint64 index, qint64 count, Rng &rng)
{
    const qint64 step = qMax<qint64>(1, (RangeEndMs - RangeStartMs) / qMax<qint64>(1, count));
    return RangeStartMs + index * step + rng.below(step);
}

QString phoneNumber(Rng &rng)
{
    const qint64 n = 1000000 + rng.below(8999999);
    switch (rng.below(5)) {
    case 0:
        return QStringLiteral("+49 30 %1").arg(n);
    case 1:
        return QStringLiteral("(%1) %2-%3").arg(200 + rng.below(700)).arg(n / 10000).arg(n % 10000);
    case 2:
        return QStringLiteral("030/%1").arg(n);
    case 3:
        return QStringLiteral("+81-3-%1-%2").arg(n / 10000).arg(n % 10000);
    default:
        return QStringLiteral("+44 20 7946 %1").arg(n % 10000, 4, 10, QLatin1Char('0'));
    }
}

QString multi(const QStringList &options, Rng &rng)
{
    QStringList picked;
    const int count = 1 + int(rng.below(3));
    for (int i = 0; i < count; ++i) {
        const QString &o = rng.pick(options);
        if (!picked.contains(o))
            picked << o;
    }
    return picked.join(QLatin1Char(';'));
}

void putAddress(Props &p, Rng &rng)
{
    if (rng.chance(0.75)) {
        static const QStringList streets = words("Hauptstraße|Rue de la Paix|Calle Mayor|"
                                                 "Baker Street|Königsallee|Ulica Długa|銀座");
        p.insert(QStringLiteral("address"),
                 QStringLiteral("%1 %2").arg(rng.pick(streets)).arg(1 + rng.below(200)));
    }
    if (rng.chance(0.8))
        p.insert(QStringLiteral("city"), rng.pick(cities()));
    if (rng.chance(0.7))
        p.insert(QStringLiteral("zip"), QString::number(10000 + rng.below(89999)));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("state"),
                 rng.chance(0.5) ? QStringLiteral("Bayern") : QStringLiteral("Île-de-France"));
    if (rng.chance(0.8))
        p.insert(QStringLiteral("country"), rng.pick(countries()));
}

// The "calculated", read-only and internal properties both object types share.
void putInternal(Props &p, Rng &rng, qint64 index)
{
    if (rng.chance(0.3))
        p.insert(QStringLiteral("hs_object_source_json"),
                 QStringLiteral("{\"source\":\"IMPORT\",\"sourceId\":\"%1\"}").arg(index));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("hs_geo_coordinates"),
                 QStringLiteral("%1,%2")
                     .arg(double(rng.below(180000) - 90000) / 1000.0)
                     .arg(double(rng.below(360000) - 180000) / 1000.0));
    if (rng.chance(0.1))
        p.insert(QStringLiteral("hs_whatsapp_phone_number"), phoneNumber(rng));
    if (rng.chance(0.6))
        p.insert(QStringLiteral("hubspot_owner_id"), rng.pick(Generator::ownerIds()));
}

} // namespace halospot::sandbox::generator_detail

namespace halospot::sandbox {

using namespace generator_detail;

const QStringList &Generator::lifecycleStages()
{
    static const QStringList w =
        words("subscriber|lead|marketingqualifiedlead|salesqualifiedlead|opportunity|customer|"
              "evangelist|other|1234567");
    return w;
}

const QStringList &Generator::industries()
{
    static const QStringList w =
        words("COMPUTER_SOFTWARE|INFORMATION_TECHNOLOGY_AND_SERVICES|HOSPITAL_HEALTH_CARE|"
              "CONSTRUCTION|LOGISTICS_AND_SUPPLY_CHAIN|FINANCIAL_SERVICES|RETAIL|LEGAL_SERVICES|"
              "EDUCATION_MANAGEMENT|MANUFACTURING");
    return w;
}

const QStringList &Generator::companyTypes()
{
    static const QStringList w = words("PROSPECT|PARTNER|RESELLER|VENDOR|OTHER");
    return w;
}

const QStringList &Generator::services()
{
    static const QStringList w = words("managed_it|cloud|security|voip|backup|consulting");
    return w;
}

const QStringList &Generator::leadStatuses()
{
    static const QStringList w = words("NEW|OPEN|IN_PROGRESS|OPEN_DEAL|UNQUALIFIED|"
                                       "ATTEMPTED_TO_CONTACT|CONNECTED|BAD_TIMING");
    return w;
}

const QStringList &Generator::timezones()
{
    static const QStringList w = words("europe_slash_berlin|europe_slash_london|europe_slash_paris|"
                                       "america_slash_new_york|asia_slash_tokyo");
    return w;
}

const QStringList &Generator::ownerIds()
{
    static const QStringList w = words("71000001|71000002|71000003|71000004");
    return w;
}

const QStringList &Generator::tiers()
{
    static const QStringList w = words("tier_1|tier_2|tier_3");
    return w;
}

const QStringList &Generator::supportAreas()
{
    static const QStringList w = words("network|printers|m365|erp|telephony|hardware");
    return w;
}

} // namespace halospot::sandbox
