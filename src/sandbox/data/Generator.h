// The sandbox's seeded data generator: HubSpot companies and contacts computed lazily from
// (seed, index), plus the Halo customers and users that already exist before an import.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace halospot::sandbox {

struct GeneratorConfig
{
    quint64 seed = 42;
    qint64 companies = 200;
    qint64 contacts = 1000;
};

struct HaloClientSeed
{
    QString name;
    QString website;
    bool inactive = false;
    qint64 companyIndex = -1; // the HubSpot company this customer mirrors; -1 = unrelated
};

struct HaloUserSeed
{
    int clientIndex = -1; // index into haloClients()
    QString firstname, surname, email;
    qint64 contactIndex = -1; // the HubSpot contact this user mirrors; -1 = unrelated
};

using Props =
    QHash<QString, QString>; // HubSpot property name -> string value; absent key = no value

// Nothing is materialised: every record is recomputed from a cheap per-index RNG, so a generator
// for 500 000 contacts costs a few bytes; the fake HubSpot keeps only an overlay of changes.
class Generator final
{
public:
    explicit Generator(GeneratorConfig config = {});

    const GeneratorConfig &config() const { return m_config; }

    Props company(qint64 index) const; // 0 <= index < companies
    Props contact(qint64 index) const; // 0 <= index < contacts
    // Company indexes, primary first; may be empty.
    QList<qint64> contactCompanies(qint64 index) const;
    QList<HaloClientSeed> haloClients() const;
    QList<HaloUserSeed> haloUsers() const;

    // The contact index whose generated e-mail equals `email` (case-insensitively), or -1.
    // Generated e-mails end their local part with the contact index, so this needs no index in
    // memory.
    qint64 contactIndexForEmail(const QString &email) const;

    // Enumeration option values the generator draws from (the fake's property definitions offer
    // exactly these, so that every generated value is valid).
    static const QStringList &lifecycleStages(); // 8 defaults + one custom numeric stage
    static const QStringList &industries();
    static const QStringList &companyTypes();
    static const QStringList &services();
    static const QStringList &leadStatuses();
    static const QStringList &timezones();
    static const QStringList &ownerIds();
    static const QStringList &tiers();
    static const QStringList &supportAreas();

private:
    QString companyName(qint64 index) const;
    QString baseCompanyName(quint64 salt, qint64 index) const;
    QString companyDomain(qint64 index) const;

    GeneratorConfig m_config;
};

} // namespace halospot::sandbox
