// The sandbox's seeded data generator: every value derives from (seed, salt, index) only.
#include "Generator.h"

#include "GeneratorParts.h"

#include <QSet>

namespace halospot::sandbox {

using namespace generator_detail;

Generator::Generator(GeneratorConfig config)
    : m_config(config)
{}

QString Generator::baseCompanyName(quint64 salt, qint64 index) const
{
    Rng rng(m_config.seed, salt, index);
    const qint64 style = rng.below(100);
    if (style < 6) {
        static const QStringList jp = words("東京|大阪|名古屋|横浜");
        static const QStringList jpSuffix = words("テクノロジー株式会社|商事株式会社|システムズ");
        static const QStringList cn = words("北京|上海|深圳|杭州");
        static const QStringList cnSuffix = words("科技有限公司|贸易有限公司|网络有限公司");
        if (style < 3)
            return rng.pick(jp) + rng.pick(jpSuffix);
        return rng.pick(cn) + rng.pick(cnSuffix);
    }
    QString name = rng.pick(firstWords());
    if (style < 9)
        name = toFullWidth(name);
    name += QLatin1Char(' ') + rng.pick(secondWords());
    if (rng.chance(0.3))
        name += QLatin1Char(' ') + rng.pick(cities());
    const QString &legal = rng.pick(legalForms());
    if (!legal.isEmpty())
        name += QLatin1Char(' ') + legal;
    return name;
}

QString Generator::companyName(qint64 index) const
{
    Rng rng(m_config.seed, SaltDuplicate, index);
    const qint64 roll = rng.below(1000);
    if (index > 0 && roll < 50) {
        const qint64 other = rng.below(index);
        const QString base = baseCompanyName(SaltCompanyName, other);
        // 2 % are exact duplicates of an earlier company, 3 % look-alikes of one.
        return roll < 20 ? base : lookAlike(base, rng);
    }
    return baseCompanyName(SaltCompanyName, index);
}

QString Generator::companyDomain(qint64 index) const
{
    Rng rng(m_config.seed, SaltDuplicate, index);
    const qint64 roll = rng.below(1000);
    qint64 source = index;
    if (index > 0 && roll < 20) {
        const qint64 other = rng.below(index);
        // Half of the exact duplicates are the same company entered twice (same domain).
        if (rng.chance(0.5))
            source = other;
    }
    Rng domainRng(m_config.seed, SaltCompanyName + 100, source);
    static const QStringList tlds = words("com|de|co.uk|fr|io|net|ch|at|jp");
    QString s = slug(baseCompanyName(SaltCompanyName, source));
    if (s.isEmpty())
        s = QStringLiteral("kaisha%1").arg(source);
    else if (domainRng.chance(0.5))
        s += QString::number(source);
    return s + QLatin1Char('.') + domainRng.pick(tlds);
}

Props Generator::company(qint64 index) const
{
    Props p;
    Rng rng(m_config.seed, SaltCompany, index);
    if (!rng.chance(0.01))
        p.insert(QStringLiteral("name"), companyName(index));
    if (!rng.chance(0.08)) {
        const QString domain = companyDomain(index);
        p.insert(QStringLiteral("domain"), domain);
        if (rng.chance(0.8))
            p.insert(QStringLiteral("website"), rng.chance(0.7)
                                                    ? QStringLiteral("https://www.") + domain
                                                    : QStringLiteral("http://") + domain + u'/');
    }
    if (rng.chance(0.05))
        p.insert(QStringLiteral("phone"), QString()); // present but empty
    else if (rng.chance(0.8))
        p.insert(QStringLiteral("phone"), phoneNumber(rng));
    putAddress(p, rng);
    if (rng.chance(0.85))
        p.insert(QStringLiteral("industry"), rng.pick(industries()));
    if (rng.chance(0.8))
        p.insert(QStringLiteral("numberofemployees"), QString::number(1 + rng.below(5000)));
    const bool hasRevenue = rng.chance(0.6);
    const qint64 revenueCents = 1000000 + rng.below(5000000000LL);
    if (hasRevenue)
        p.insert(QStringLiteral("annualrevenue"),
                 QStringLiteral("%1.%2")
                     .arg(revenueCents / 100)
                     .arg(revenueCents % 100, 2, 10, QLatin1Char('0')));
    if (rng.chance(0.4))
        p.insert(QStringLiteral("description"),
                 QStringLiteral("Kunde seit %1 – «Support» & Wartung.\nNotes: naïve café ✓ 日本語")
                     .arg(2010 + rng.below(15)));
    if (rng.chance(0.7))
        p.insert(QStringLiteral("type"), rng.pick(companyTypes()));
    const qint64 stage = rng.below(10); // 9 options plus "no stage"
    if (stage < 9)
        p.insert(QStringLiteral("lifecyclestage"), lifecycleStages().at(stage));
    if (rng.chance(0.1))
        p.insert(QStringLiteral("hs_additional_domains"),
                 QStringLiteral("alt%1.com;legacy%1.de").arg(index));
    const qint64 created = createdMs(index, m_config.companies, rng);
    p.insert(QStringLiteral("createdate"), isoDateTime(created));
    p.insert(QStringLiteral("hs_lastmodifieddate"),
             isoDateTime(created + rng.below(RangeEndMs - created)));
    if (rng.chance(0.7))
        p.insert(QStringLiteral("is_public"),
                 rng.chance(0.3) ? QStringLiteral("true") : QStringLiteral("false"));
    p.insert(QStringLiteral("hs_was_imported"),
             rng.chance(0.4) ? QStringLiteral("true") : QStringLiteral("false"));
    if (rng.chance(0.4))
        p.insert(QStringLiteral("services_offered"), multi(services(), rng));
    if (rng.chance(0.5))
        p.insert(QStringLiteral("key_account"),
                 rng.chance(0.2) ? QStringLiteral("True") : QStringLiteral("False"));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("hs_ideal_customer_profile"), rng.pick(tiers()));
    if (rng.chance(0.4))
        p.insert(QStringLiteral("contract_start_date"), isoDate(created + rng.below(400) * DayMs));
    if (rng.chance(0.5))
        p.insert(QStringLiteral("notes_last_contacted"),
                 isoDateTime(created + rng.below(RangeEndMs - created)));
    if (rng.chance(0.2))
        p.insert(QStringLiteral("next_review_at"),
                 isoDateTime(RangeEndMs + rng.below(365) * DayMs + rng.below(DayMs)));
    if (rng.chance(0.15))
        p.insert(QStringLiteral("contract_document"),
                 QStringLiteral("https://files.sandbox.invalid/contracts/%1.pdf").arg(index));
    if (rng.chance(0.2))
        p.insert(QStringLiteral("about_us"),
                 QStringLiteral("<p>We are <b>%1</b> &amp; friends.</p>").arg(rng.pick(cities())));
    if (hasRevenue)
        p.insert(QStringLiteral("hs_annual_revenue_label"),
                 revenueCents >= 100000000LL ? QStringLiteral("1M+") : QStringLiteral("<1M"));
    p.insert(QStringLiteral("hs_num_child_companies"), QString::number(rng.below(4)));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("hs_total_deal_value"), QString::number(rng.below(1000000)));
    p.insert(QStringLiteral("hs_company_score"), QString::number(rng.below(101)));
    if (rng.chance(0.4))
        p.insert(QStringLiteral("hs_time_in_lead"), QString::number(rng.below(90) * DayMs));
    putInternal(p, rng, index);
    return p;
}

Props Generator::contact(qint64 index) const
{
    Props p;
    Rng nameRng(m_config.seed, SaltContactName, index);
    const qint64 first = nameRng.below(firstNames().size());
    const qint64 last = nameRng.below(lastNames().size());
    const bool hasFirst = !nameRng.chance(0.03);
    const bool hasLast = !nameRng.chance(0.03);
    if (hasFirst)
        p.insert(QStringLiteral("firstname"), firstNames().at(first));
    if (hasLast)
        p.insert(QStringLiteral("lastname"), lastNames().at(last));
    if (!nameRng.chance(0.04)) {
        const QString &f = firstNamesAscii().at(first);
        const QString &l = lastNamesAscii().at(last);
        QString local;
        switch (nameRng.below(4)) {
        case 0:
            local = f + u'.' + l;
            break;
        case 1:
            local = f.left(1) + l;
            break;
        case 2:
            local = f + u'_' + l;
            break;
        default:
            local = l + u'.' + f.left(1);
            break;
        }
        const QList<qint64> companies = contactCompanies(index);
        QString domain;
        if (!companies.isEmpty() && nameRng.chance(0.8))
            domain = companyDomain(companies.first());
        if (domain.isEmpty())
            domain = nameRng.pick(freeMailDomains());
        // The index closes the local part: unique, and reversible by contactIndexForEmail().
        p.insert(QStringLiteral("email"), local + QString::number(index) + u'@' + domain);
    }

    Rng rng(m_config.seed, SaltContact, index);
    if (rng.chance(0.6))
        p.insert(QStringLiteral("phone"), phoneNumber(rng));
    if (rng.chance(0.4))
        p.insert(QStringLiteral("mobilephone"), phoneNumber(rng));
    if (rng.chance(0.05))
        p.insert(QStringLiteral("fax"), rng.chance(0.5) ? QString() : phoneNumber(rng));
    if (rng.chance(0.6))
        p.insert(QStringLiteral("jobtitle"), rng.pick(jobTitles()));
    const QList<qint64> companies = contactCompanies(index);
    if (!companies.isEmpty() && rng.chance(0.7)) {
        const QString name = companyName(companies.first());
        p.insert(QStringLiteral("company"), rng.chance(0.8) ? name : lookAlike(name, rng));
    }
    putAddress(p, rng);
    if (rng.chance(0.1))
        p.insert(QStringLiteral("website"),
                 QStringLiteral("https://blog%1.sandbox.invalid").arg(index));
    if (rng.chance(0.1))
        p.insert(QStringLiteral("message"),
                 QStringLiteral("Bitte Rückruf.\nCall me back — merci! 谢谢"));
    const qint64 stage = rng.below(10);
    if (stage < 9)
        p.insert(QStringLiteral("lifecyclestage"), lifecycleStages().at(stage));
    if (rng.chance(0.5))
        p.insert(QStringLiteral("hs_lead_status"), rng.pick(leadStatuses()));
    if (rng.chance(0.5))
        p.insert(QStringLiteral("hs_timezone"), rng.pick(timezones()));
    if (rng.chance(0.05))
        p.insert(QStringLiteral("hs_additional_emails"),
                 QStringLiteral("alt%1@sandbox.invalid;old%1@sandbox.invalid").arg(index));
    const qint64 created = createdMs(index, m_config.contacts, rng);
    p.insert(QStringLiteral("createdate"), isoDateTime(created));
    p.insert(QStringLiteral("lastmodifieddate"),
             isoDateTime(created + rng.below(RangeEndMs - created)));
    if (rng.chance(0.6))
        p.insert(QStringLiteral("newsletter_opt_in"),
                 rng.chance(0.5) ? QStringLiteral("true") : QStringLiteral("false"));
    p.insert(QStringLiteral("currentlyinworkflow"),
             rng.chance(0.1) ? QStringLiteral("True") : QStringLiteral("False"));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("date_of_birth"),
                 isoDate(-315619200000LL + rng.below(14000) * DayMs)); // 1960 onwards
    if (rng.chance(0.4))
        p.insert(QStringLiteral("hs_last_sales_activity_timestamp"),
                 isoDateTime(created + rng.below(RangeEndMs - created)));
    p.insert(QStringLiteral("hubspotscore"), QString::number(rng.below(100)));
    p.insert(QStringLiteral("hs_is_contact"), QStringLiteral("true"));
    p.insert(QStringLiteral("num_associated_deals"), QString::number(rng.below(5)));
    if (hasFirst || hasLast || p.contains(QStringLiteral("email")))
        p.insert(QStringLiteral("hs_full_name_or_email"),
                 hasFirst || hasLast ? QStringList{p.value(QStringLiteral("firstname")),
                                                   p.value(QStringLiteral("lastname"))}
                                           .join(u' ')
                                           .trimmed()
                                     : p.value(QStringLiteral("email")));
    if (stage == 5)
        p.insert(QStringLiteral("hs_lifecyclestage_customer_date"),
                 isoDateTime(created + rng.below(RangeEndMs - created)));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("support_areas"), multi(supportAreas(), rng));
    if (rng.chance(0.05))
        p.insert(QStringLiteral("signature_file"),
                 QStringLiteral("https://files.sandbox.invalid/signatures/%1.png").arg(index));
    if (rng.chance(0.1))
        p.insert(QStringLiteral("bio"), QStringLiteral("<p>Likes <i>Käsespätzle</i></p>"));
    p.insert(QStringLiteral("hs_is_unworked"),
             rng.chance(0.5) ? QStringLiteral("true") : QStringLiteral("false"));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("hs_predictivescoringtier"), rng.pick(tiers()));
    if (rng.chance(0.3))
        p.insert(QStringLiteral("nps_score"), QString::number(rng.below(11)));
    if (rng.chance(0.2))
        p.insert(QStringLiteral("next_followup_at"),
                 isoDateTime(RangeEndMs + rng.below(200) * DayMs + rng.below(DayMs)));
    putInternal(p, rng, index);
    return p;
}

QList<qint64> Generator::contactCompanies(qint64 index) const
{
    QList<qint64> out;
    if (m_config.companies <= 0)
        return out;
    Rng rng(m_config.seed, SaltAssociations, index);
    const qint64 roll = rng.below(100);
    const int count = roll < 15 ? 0 : roll < 85 ? 1 : 2 + int(rng.below(2));
    for (int i = 0; i < count; ++i) {
        const qint64 c = rng.below(m_config.companies);
        if (!out.contains(c))
            out << c;
    }
    return out;
}

qint64 Generator::contactIndexForEmail(const QString &email) const
{
    const qsizetype at = email.indexOf(u'@');
    if (at <= 0)
        return -1;
    qsizetype start = at;
    while (start > 0 && email.at(start - 1).isDigit() && email.at(start - 1).unicode() < 128)
        --start;
    if (start == at || at - start > 15)
        return -1;
    bool ok = false;
    const qint64 index = email.mid(start, at - start).toLongLong(&ok);
    if (!ok || index < 0 || index >= m_config.contacts)
        return -1;
    const QString generated = contact(index).value(QStringLiteral("email"));
    return generated.compare(email, Qt::CaseInsensitive) == 0 ? index : -1;
}

QList<HaloClientSeed> Generator::haloClients() const
{
    QList<HaloClientSeed> out;
    for (qint64 i = 0; i < m_config.companies; ++i) {
        Rng rng(m_config.seed, SaltHaloClient, i);
        if (!rng.chance(0.2))
            continue;
        const Props c = company(i);
        QString name = c.value(QStringLiteral("name"));
        if (name.trimmed().isEmpty())
            continue;
        switch (rng.below(5)) {
        case 0:
            name = name.toUpper();
            break;
        case 1:
            name = name.toLower();
            break;
        case 2:
            name = QStringLiteral(" ") + QString(name).replace(u' ', QStringLiteral("  ")) + u' ';
            break;
        case 3:
            name = toFullWidth(name);
            break;
        default:
            break; // exact
        }
        HaloClientSeed seed;
        seed.name = name;
        seed.companyIndex = i;
        if (rng.chance(0.5))
            seed.website = c.value(QStringLiteral("website"));
        seed.inactive = rng.chance(0.03);
        out << seed;
        if (rng.chance(0.1)) { // about 2 % of companies: the same name twice in Halo
            HaloClientSeed twin = seed;
            twin.website.clear();
            twin.inactive = false;
            out << twin;
        }
    }
    const qint64 unrelated = qMax<qint64>(3, m_config.companies / 20);
    for (qint64 k = 0; k < unrelated; ++k) {
        HaloClientSeed seed;
        seed.name = baseCompanyName(SaltUnrelated, k) + QStringLiteral(" (Halo)");
        Rng rng(m_config.seed, SaltUnrelated, k);
        seed.inactive = rng.chance(0.1);
        out << seed;
    }
    return out;
}

QList<HaloUserSeed> Generator::haloUsers() const
{
    const QList<HaloClientSeed> clients = haloClients();
    QHash<qint64, int> clientOfCompany;
    for (int i = 0; i < clients.size(); ++i) {
        if (clients.at(i).companyIndex >= 0 &&
            !clientOfCompany.contains(clients.at(i).companyIndex))
            clientOfCompany.insert(clients.at(i).companyIndex, i);
    }
    QList<HaloUserSeed> out;
    for (qint64 j = 0; j < m_config.contacts; ++j) {
        const QList<qint64> companies = contactCompanies(j);
        if (companies.isEmpty() || !clientOfCompany.contains(companies.first()))
            continue;
        Rng rng(m_config.seed, SaltHaloUser, j);
        if (!rng.chance(0.3))
            continue;
        const Props c = contact(j);
        const QString email = c.value(QStringLiteral("email"));
        if (email.isEmpty())
            continue;
        HaloUserSeed user;
        user.clientIndex = clientOfCompany.value(companies.first());
        user.contactIndex = j;
        user.firstname = c.value(QStringLiteral("firstname"));
        user.surname = c.value(QStringLiteral("lastname"));
        // Halo requires a name: an administrator who entered a nameless contact used the address.
        if (user.firstname.trimmed().isEmpty() && user.surname.trimmed().isEmpty())
            user.firstname = email.section(QLatin1Char('@'), 0, 0);
        // The same address in another case: matching must ignore case.
        user.email = rng.chance(0.5) ? email.toUpper() : email.left(1).toUpper() + email.mid(1);
        out << user;
    }
    // A few users Halo has that HubSpot does not know.
    for (int i = 0; i < clients.size(); i += 20) {
        Rng rng(m_config.seed, SaltHaloUser + 100, i);
        HaloUserSeed user;
        user.clientIndex = i;
        user.firstname = rng.pick(firstNames());
        user.surname = rng.pick(lastNames());
        user.email = QStringLiteral("halo.only%1@sandbox.invalid").arg(i);
        out << user;
    }
    return out;
}

} // namespace halospot::sandbox
