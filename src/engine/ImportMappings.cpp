// resolveFieldMappings: a mapping's property by name, its field by id or name (with or without
// Halo's "CF" prefix), and whether the one can be written to the other.
#include "ImportMappings.h"

#include "JobClients.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

namespace halospot::engine {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("halospot::engine::ImportMappings", text);
}

} // namespace

Result<QList<core::MappingRule>> resolveFieldMappings(const QList<core::FieldMapping> &mappings,
                                                      const QList<api::HubSpotProperty> &properties,
                                                      const QList<core::HaloFieldDef> &fields,
                                                      core::Entity entity)
{
    const bool contacts = entity == core::Entity::Contact;
    QHash<QString, core::PropertyDef> byName;
    for (const api::HubSpotProperty &p : properties)
        byName.insert(p.name, toPropertyDef(p));
    QList<core::MappingRule> rules;
    QStringList errors;
    for (const core::FieldMapping &m : mappings) {
        const auto property = byName.constFind(m.hubspotProperty);
        if (property == byName.constEnd()) {
            errors << (contacts ? tr("The field mapping of HubSpot property \"%1\" cannot be used: "
                                     "HubSpot has no contact property with that name.")
                                : tr("The field mapping of HubSpot property \"%1\" cannot be used: "
                                     "HubSpot has no company property with that name."))
                          .arg(m.hubspotProperty);
            continue;
        }
        const core::HaloFieldDef *field = nullptr;
        for (const core::HaloFieldDef &f : fields) {
            const bool match =
                m.haloFieldId
                    ? f.id == *m.haloFieldId
                    : f.name.compare(m.haloFieldName, Qt::CaseInsensitive) == 0 ||
                          f.name.mid(2).compare(m.haloFieldName, Qt::CaseInsensitive) == 0;
            if (match) {
                field = &f;
                break;
            }
        }
        if (!field) {
            errors << (contacts ? tr("The field mapping of HubSpot property %1 cannot be used: "
                                     "Halo has no user field %2.")
                                : tr("The field mapping of HubSpot property %1 cannot be used: "
                                     "Halo has no customer field %2."))
                          .arg(property->describe(),
                               m.haloFieldId ? tr("with id %1").arg(*m.haloFieldId)
                                             : QStringLiteral("\"%1\"").arg(m.haloFieldName));
            continue;
        }
        core::HaloFieldDef def = *field;
        // The fields were asked for by table (typeid=4: users, typeid=2: customers).
        if (def.usage == core::HaloFieldUsage::Unknown)
            def.usage = contacts ? core::HaloFieldUsage::User : core::HaloFieldUsage::Customer;
        const Result<core::MappingRule> rule = core::canMap(*property, def, entity);
        if (!rule) {
            errors << rule.error();
            continue;
        }
        rules.append(rule.value());
    }
    if (!errors.isEmpty()) {
        return Result<QList<core::MappingRule>>::failure(
            tr("The import did not start because of its field mappings; nothing was written. %1")
                .arg(errors.join(QLatin1Char(' '))));
    }
    return rules;
}

} // namespace halospot::engine
