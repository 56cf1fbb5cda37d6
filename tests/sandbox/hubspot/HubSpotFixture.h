// Test fixture: a FakeHubSpot on a loopback port with a small generated dataset, and JSON calls
// against it with the static token.
#pragma once

#include "../common/LoopbackHttp.h"
#include "FakeHubSpot.h"
#include "Generator.h"

#include <QJsonArray>
#include <QTest>

#include <memory>

namespace halospot::sandbox::test {

class HubSpotFixture final
{
public:
    HubSpotFixture(GeneratorConfig data, HubSpotConfig config = {})
        : generator(data)
        , clock(1.0)
    {
        service = std::make_unique<FakeHubSpot>(&generator, config, HubSpotAppConfig{}, &clock);
        port = service->listen(0);
    }

    HttpResult call(const QByteArray &method, const QString &pathAndQuery,
                    const QJsonObject &body = {}, const QString &token = {})
    {
        const QByteArray bytes = body.isEmpty() && method != "POST" && method != "PATCH"
                                     ? QByteArray()
                                     : QJsonDocument(body).toJson(QJsonDocument::Compact);
        return send(nam, method, urlFor(port, pathAndQuery), bytes,
                    {{"Authorization",
                      "Bearer " + (token.isEmpty() ? service->staticToken() : token).toLatin1()}});
    }
    HttpResult get(const QString &pathAndQuery) { return call("GET", pathAndQuery); }
    HttpResult post(const QString &path, const QJsonObject &body)
    {
        return call("POST", path, body);
    }

    Generator generator;
    Clock clock;
    std::unique_ptr<FakeHubSpot> service;
    quint16 port = 0;
    QNetworkAccessManager nam;
};

// The reply body as a QJsonValue, so that paths like v["a"][0]["b"] read naturally.
inline QJsonValue jv(const HttpResult &r)
{
    return QJsonValue(r.json());
}

inline QJsonArray idInputs(const QStringList &ids)
{
    QJsonArray inputs;
    for (const QString &id : ids)
        inputs.append(QJsonObject{{QStringLiteral("id"), id}});
    return inputs;
}

} // namespace halospot::sandbox::test
