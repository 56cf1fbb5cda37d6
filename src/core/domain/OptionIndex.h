// Lookup tables for matching selection options between a HubSpot property and a Halo field, built
// once per mapping so that converting a record costs hash lookups, not normalising every option.
#pragma once

#include <QHash>
#include <QString>

#include <optional>

namespace halospot::core {

struct PropertyDef;
struct HaloFieldDef;

class OptionIndex final
{
public:
    OptionIndex() = default;
    OptionIndex(const PropertyDef &property, const HaloFieldDef &field);

    // True when neither side has options (then there is nothing to look up).
    bool isEmpty() const { return m_haloIdByName.isEmpty() && m_hubspotByValue.isEmpty(); }

    // The Halo option whose label equals `name` under normalizeName; the first one wins.
    std::optional<qint64> haloIdForName(const QString &name) const;
    // The index in PropertyDef::options of the option with exactly this internal value, or -1.
    qsizetype hubspotIndexForValue(const QString &value) const;
    // The HubSpot option for a Halo option label: by label, then by value (normalised), or -1.
    qsizetype hubspotIndexForName(const QString &haloName) const;

private:
    QHash<QString, qint64> m_haloIdByName;
    QHash<QString, qsizetype> m_hubspotByValue;
    QHash<QString, qsizetype> m_hubspotByLabelKey;
    QHash<QString, qsizetype> m_hubspotByValueKey;
};

} // namespace halospot::core
