// Building and querying the option lookup tables of a mapping.
#include "OptionIndex.h"

#include "FieldTypes.h"
#include "Names.h"

namespace halospot::core {

OptionIndex::OptionIndex(const PropertyDef &property, const HaloFieldDef &field)
{
    // Backwards, because QHash::insert overwrites and the first option with a name must win.
    for (auto it = field.options.crbegin(); it != field.options.crend(); ++it)
        m_haloIdByName.insert(normalizeName(it->name), it->id);
    for (qsizetype i = property.options.size() - 1; i >= 0; --i) {
        const PropertyOption &o = property.options.at(i);
        m_hubspotByValue.insert(o.value, i);
        m_hubspotByLabelKey.insert(normalizeName(o.label), i);
        m_hubspotByValueKey.insert(normalizeName(o.value), i);
    }
}

std::optional<qint64> OptionIndex::haloIdForName(const QString &name) const
{
    const auto it = m_haloIdByName.constFind(normalizeName(name));
    if (it == m_haloIdByName.constEnd())
        return std::nullopt;
    return *it;
}

qsizetype OptionIndex::hubspotIndexForValue(const QString &value) const
{
    return m_hubspotByValue.value(value, -1);
}

qsizetype OptionIndex::hubspotIndexForName(const QString &haloName) const
{
    const QString key = normalizeName(haloName);
    const qsizetype byLabel = m_hubspotByLabelKey.value(key, -1);
    return byLabel >= 0 ? byLabel : m_hubspotByValueKey.value(key, -1);
}

} // namespace halospot::core
