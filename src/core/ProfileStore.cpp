// The profile's sections as JSON settings, read back through parseProfile.
#include "ProfileStore.h"

#include "ConnectionConfig.h"
#include "Store.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <utility>

namespace halospot::core {

namespace {

// The profile's own section names; each is kept as one setting "profile.<section>".
constexpr std::array<const char *, 5> kSections = {"companies", "contacts", "linking", "sync",
                                                   "schedule"};

QString settingKey(const char *section)
{
    return QStringLiteral("profile.") + QString::fromLatin1(section);
}

QJsonObject documentOf(const Profile &profile)
{
    return QJsonDocument::fromJson(serializeProfile(profile)).object();
}

} // namespace

Result<Profile> loadProfile(const Store &store)
{
    const Result<ConnectionConfig> connection = ConnectionConfig::load(store);
    if (!connection.ok())
        return Result<Profile>::failure(connection.error());
    Profile base;
    base.connection = connection.value();
    // Start from a complete document (format, version, connection, defaults) and put in what is
    // stored, so parseProfile validates stored sections exactly as an imported file.
    QJsonObject document = documentOf(base);
    for (const char *section : kSections) {
        const Result<QString> raw = store.setting(settingKey(section));
        if (!raw.ok())
            return Result<Profile>::failure(raw.error());
        if (raw.value().isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument stored = QJsonDocument::fromJson(raw.value().toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !stored.isObject()) {
            return Result<Profile>::failure(
                Store::tr("The stored setting %1 is not a JSON object; import a profile to "
                          "replace it.")
                    .arg(settingKey(section)));
        }
        document.insert(QString::fromLatin1(section), stored.object());
    }
    return parseProfile(QJsonDocument(document).toJson(QJsonDocument::Compact));
}

Status saveProfile(Store &store, const Profile &profile)
{
    const QByteArray bytes = serializeProfile(profile);
    const Result<Profile> checked = parseProfile(bytes);
    if (!checked.ok())
        return Status::failure(checked.error());
    const QJsonObject document = QJsonDocument::fromJson(bytes).object();

    // One transaction: the connection settings and every section, or nothing.
    QList<std::pair<QString, QString>> values = checked.value().connection.settings();
    for (const char *section : kSections) {
        const QJsonObject object = document.value(QString::fromLatin1(section)).toObject();
        values.append({settingKey(section),
                       QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact))});
    }
    return store.setSettings(values);
}

} // namespace halospot::core
