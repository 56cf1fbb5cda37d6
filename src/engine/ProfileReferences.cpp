// ProfileReferenceCheck: reading the live data a profile refers to, and the sentences for every
// reference that does not hold.
#include "ProfileReferences.h"

#include "HaloClient.h"
#include "JobClients.h"

#include <QPointer>
#include <QUrlQuery>

namespace halospot::engine {

namespace {

QString tr(const char *text)
{
    return ProfileReferencesText::tr(text);
}

// As the import resolves a field: by id, or by name with or without Halo's "CF" prefix.
const core::HaloFieldDef *findField(const QList<core::HaloFieldDef> &fields,
                                    const core::FieldMapping &m)
{
    for (const core::HaloFieldDef &f : fields) {
        const bool match =
            m.haloFieldId ? f.id == *m.haloFieldId
                          : f.name.compare(m.haloFieldName, Qt::CaseInsensitive) == 0 ||
                                f.name.mid(2).compare(m.haloFieldName, Qt::CaseInsensitive) == 0;
        if (match)
            return &f;
    }
    return nullptr;
}

void checkStages(const QString &section, const QStringList &stages,
                 const QHash<QString, core::PropertyDef> &properties, const QString &objectName,
                 QStringList &problems)
{
    const core::PropertyDef *stage = nullptr;
    const auto it = properties.constFind(QStringLiteral("lifecyclestage"));
    if (it != properties.constEnd())
        stage = &it.value();
    QStringList known;
    if (stage) {
        for (const core::PropertyOption &o : stage->options)
            known << o.value;
    }
    for (qsizetype i = 0; i < stages.size(); ++i) {
        const QString value = stages.at(i).trimmed();
        if (value.isEmpty() || known.contains(value))
            continue;
        problems << QStringLiteral("%1.lifecycle_stages[%2]: ").arg(section).arg(i) +
                        tr("HubSpot has no %1 lifecycle stage \"%2\" (its stages are: %3).")
                            .arg(objectName, value, known.join(QStringLiteral(", ")));
    }
}

void checkFieldMappings(const QString &section, const QList<core::FieldMapping> &mappings,
                        const QHash<QString, core::PropertyDef> &properties,
                        const QList<core::HaloFieldDef> &fields, core::Entity entity,
                        QStringList &problems)
{
    const bool company = entity == core::Entity::Company;
    for (qsizetype i = 0; i < mappings.size(); ++i) {
        const core::FieldMapping &m = mappings.at(i);
        const QString path = QStringLiteral("%1.field_mappings[%2]").arg(section).arg(i);
        const auto property = properties.constFind(m.hubspotProperty);
        if (property == properties.constEnd()) {
            problems << path + QStringLiteral(".hubspot_property: ") +
                            (company ? tr("HubSpot has no company property \"%1\".")
                                     : tr("HubSpot has no contact property \"%1\"."))
                                .arg(m.hubspotProperty);
        }
        const core::HaloFieldDef *field = findField(fields, m);
        if (!field) {
            const QString which =
                company ? tr("Halo has no customer field %1.") : tr("Halo has no user field %1.");
            if (m.haloFieldId) {
                problems << path + QStringLiteral(".halo_field_id: ") +
                                which.arg(tr("with id %1").arg(*m.haloFieldId));
            } else {
                problems << path + QStringLiteral(".halo_field_name: ") +
                                which.arg(QStringLiteral("\"%1\"").arg(m.haloFieldName));
            }
        }
        if (property == properties.constEnd() || !field)
            continue;
        core::HaloFieldDef def = *field;
        if (def.usage == core::HaloFieldUsage::Unknown) // read by typeid: it is one of these
            def.usage = company ? core::HaloFieldUsage::Customer : core::HaloFieldUsage::User;
        const Result<core::MappingRule> rule = core::canMap(property.value(), def, entity);
        if (!rule.ok()) {
            problems << path + QStringLiteral(": ") + rule.error();
            continue;
        }
        QString reason;
        if (m.syncBack && !core::canSyncBack(property.value(), &reason))
            problems << path + QStringLiteral(".sync_back: ") + reason;
    }
}

} // namespace

QStringList checkProfileReferences(const core::Profile &profile, const ReferenceData &data)
{
    QStringList problems;
    const QHash<QString, core::PropertyDef> companies =
        data.properties.value(QStringLiteral("companies"));
    const QHash<QString, core::PropertyDef> contacts =
        data.properties.value(QStringLiteral("contacts"));
    if (data.hasCompanyProperties) {
        checkStages(QStringLiteral("companies"), profile.companies.lifecycleStages, companies,
                    tr("company"), problems);
    }
    if (data.hasCompanyProperties && data.hasCustomerFields) {
        checkFieldMappings(QStringLiteral("companies"), profile.companies.fieldMappings, companies,
                           data.customerFields, core::Entity::Company, problems);
    }
    if (data.hasCustomers) {
        const QList<core::CustomerMapping> &mappings = profile.companies.customerMappings;
        for (qsizetype i = 0; i < mappings.size(); ++i) {
            const core::CustomerMapping &m = mappings.at(i);
            const QString path = QStringLiteral("companies.customer_mappings[%1]").arg(i);
            if (!data.customers.contains(m.haloClientId)) {
                problems << path + QStringLiteral(".halo_client_id: ") +
                                tr("Halo has no customer with id %1.").arg(m.haloClientId);
                continue;
            }
            if (!m.haloSiteId || !data.hasSites)
                continue;
            const auto site = data.siteClients.constFind(*m.haloSiteId);
            if (site == data.siteClients.constEnd()) {
                problems << path + QStringLiteral(".halo_site_id: ") +
                                tr("Halo has no site with id %1.").arg(*m.haloSiteId);
            } else if (site.value() != m.haloClientId) {
                problems << path + QStringLiteral(".halo_site_id: ") +
                                tr("Halo's site %1 belongs to customer %2, not to customer %3.")
                                    .arg(*m.haloSiteId)
                                    .arg(site.value())
                                    .arg(m.haloClientId);
            }
        }
    }
    if (data.hasContactProperties) {
        checkStages(QStringLiteral("contacts"), profile.contacts.lifecycleStages, contacts,
                    tr("contact"), problems);
    }
    if (data.hasContactProperties && data.hasUserFields) {
        checkFieldMappings(QStringLiteral("contacts"), profile.contacts.fieldMappings, contacts,
                           data.userFields, core::Entity::Contact, problems);
    }
    if (data.hasSites && profile.contacts.defaultSiteId &&
        !data.siteClients.contains(*profile.contacts.defaultSiteId)) {
        problems << QStringLiteral("contacts.default_site_id: ") +
                        tr("Halo has no site with id %1.").arg(*profile.contacts.defaultSiteId);
    }
    return problems;
}

struct ProfileReferenceCheck::Run
{
    core::Profile profile;
    Done done;
    ReferenceData data;
    int pending = 0;
    bool failed = false;
    QString error;
    api::ApiError apiError = api::ApiError::None;

    void fail(const QString &message, api::ApiError kind)
    {
        if (failed)
            return;
        failed = true;
        error = message;
        apiError = kind;
    }
};

ProfileReferenceCheck::ProfileReferenceCheck(api::HubSpotClient *hubspot, api::HaloClient *halo,
                                             QObject *parent)
    : QObject(parent)
    , m_hubspot(hubspot)
    , m_halo(halo)
{}

ProfileReferenceCheck::~ProfileReferenceCheck() = default;

void ProfileReferenceCheck::cancel()
{
    m_run.reset();
}

void ProfileReferenceCheck::run(const core::Profile &profile, Done done)
{
    auto run = std::make_shared<Run>();
    run->profile = profile;
    run->done = std::move(done);
    m_run = run;
    const core::CompanySettings &companies = profile.companies;
    const core::ContactSettings &contacts = profile.contacts;
    bool anySite = contacts.defaultSiteId.has_value();
    for (const core::CustomerMapping &m : companies.customerMappings)
        anySite = anySite || m.haloSiteId.has_value();

    // One slot per read; the last one to finish checks. Nothing is read that the profile does
    // not refer to.
    const bool companyProperties =
        !companies.lifecycleStages.isEmpty() || !companies.fieldMappings.isEmpty();
    const bool contactProperties =
        !contacts.lifecycleStages.isEmpty() || !contacts.fieldMappings.isEmpty();
    const bool customerFields = !companies.fieldMappings.isEmpty();
    const bool userFields = !contacts.fieldMappings.isEmpty();
    const bool customers = !companies.customerMappings.isEmpty();
    run->pending = 1 + int(companyProperties) + int(contactProperties) + int(customerFields) +
                   int(userFields) + int(customers) + int(anySite);
    QPointer<ProfileReferenceCheck> self(this);
    std::weak_ptr<Run> weak = run;

    const auto readProperties = [&](const QString &objectType, bool ReferenceData::*flag) {
        m_hubspot->properties(
            objectType, [this, self, weak, objectType,
                         flag](const api::HubSpotReply<QList<api::HubSpotProperty>> &reply) {
                const std::shared_ptr<Run> r = weak.lock();
                if (!self || !r)
                    return;
                if (reply.ok()) {
                    QHash<QString, core::PropertyDef> &byName = r->data.properties[objectType];
                    for (const api::HubSpotProperty &p : reply.value)
                        byName.insert(p.name, toPropertyDef(p));
                    r->data.*flag = true;
                } else {
                    r->fail(reply.message, reply.error);
                }
                finishOne(r);
            });
    };
    const auto readHalo = [&](api::HaloResource resource, const QUrlQuery &query,
                              std::function<void(Run &, const QJsonArray &)> take) {
        m_halo->listAll(
            resource, query, this,
            [this, weak, take](const api::ApiResponse &response, const QJsonArray &rows) {
                const std::shared_ptr<Run> r = weak.lock();
                if (!r)
                    return;
                if (response.ok())
                    take(*r, rows);
                else
                    r->fail(response.message, response.error);
                finishOne(r);
            });
    };

    if (companyProperties)
        readProperties(QStringLiteral("companies"), &ReferenceData::hasCompanyProperties);
    if (contactProperties)
        readProperties(QStringLiteral("contacts"), &ReferenceData::hasContactProperties);
    const auto fieldQuery = [](int typeId) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("typeid"), QString::number(typeId));
        return q;
    };
    if (customerFields) {
        readHalo(api::HaloResource::FieldInfo, fieldQuery(2), [](Run &r, const QJsonArray &rows) {
            for (const QJsonValue &v : rows)
                r.data.customerFields.append(core::HaloFieldDef::fromJson(v.toObject()));
            r.data.hasCustomerFields = true;
        });
    }
    if (userFields) {
        readHalo(api::HaloResource::FieldInfo, fieldQuery(4), [](Run &r, const QJsonArray &rows) {
            for (const QJsonValue &v : rows)
                r.data.userFields.append(core::HaloFieldDef::fromJson(v.toObject()));
            r.data.hasUserFields = true;
        });
    }
    QUrlQuery inactiveToo;
    inactiveToo.addQueryItem(QStringLiteral("includeinactive"), QStringLiteral("true"));
    if (customers) {
        readHalo(api::HaloResource::Client, inactiveToo, [](Run &r, const QJsonArray &rows) {
            for (const QJsonValue &v : rows)
                r.data.customers.insert(v.toObject().value(QStringLiteral("id")).toInteger());
            r.data.hasCustomers = true;
        });
    }
    if (anySite) {
        readHalo(api::HaloResource::Site, inactiveToo, [](Run &r, const QJsonArray &rows) {
            for (const QJsonValue &v : rows) {
                const QJsonObject site = v.toObject();
                r.data.siteClients.insert(site.value(QStringLiteral("id")).toInteger(),
                                          site.value(QStringLiteral("client_id")).toInteger());
            }
            r.data.hasSites = true;
        });
    }
    // The first slot: done is never called inside run(), even with nothing to read.
    QMetaObject::invokeMethod(
        this,
        [this, weak] {
            if (const std::shared_ptr<Run> r = weak.lock())
                finishOne(r);
        },
        Qt::QueuedConnection);
}

void ProfileReferenceCheck::finishOne(const std::shared_ptr<Run> &run)
{
    if (--run->pending > 0 || m_run != run)
        return;
    m_run.reset();
    ReferenceCheckResult result;
    result.complete = !run->failed;
    result.error = run->error;
    result.apiError = run->apiError;
    result.problems = checkProfileReferences(run->profile, run->data);
    run->done(result);
}

} // namespace halospot::engine
