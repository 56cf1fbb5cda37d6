// The whole sandbox in one object: a scaled clock, the seeded data, the fake HubSpot and Halo
// services (each behind a fault proxy) and random credentials. Used in-process by tests and the
// demo mode, and by `halospot sandbox`.
#pragma once

#include "Clock.h"
#include "FakeHalo.h"
#include "FakeHubSpot.h"
#include "FaultPlan.h"
#include "FaultProxy.h"
#include "Generator.h"

#include "Result.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <memory>

namespace halospot::sandbox {

struct SandboxOptions
{
    quint16 hubspotPort =
        0; // the advertised port (the proxy's when proxy is on); 0 = any free port
    quint16 haloPort = 0;
    GeneratorConfig data;
    FaultRates faults;
    double timeScale = 1.0;
    HubSpotConfig hubspot;
    int haloWindowMax = 500;
    qint64 haloWindowMs = 180000;
    bool proxy = true; // put a FaultProxy in front of each service (needed for Drop faults)
};

class Sandbox final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sandbox)

public:
    explicit Sandbox(SandboxOptions options, QObject *parent = nullptr);
    ~Sandbox() override;

    // Both services listening on 127.0.0.1 (behind their FaultProxy when options.proxy). On failure
    // nothing listens and the error names the port that could not be used.
    Status start();
    bool isStarted() const { return m_started; }

    // The --print-json object: hubspot_api_url, hubspot_auth_url, hubspot_token, hubspot_client_id,
    // hubspot_client_secret, halo_url, halo_client_id, halo_client_secret.
    QJsonObject describe() const;

    // The URLs clients should use (the proxies' when there are proxies); empty before start().
    QUrl hubspotUrl() const;
    QUrl haloUrl() const;

    // Sets the same fault rates on both services and so on their proxies (each plan keeps its own
    // seeded random sequence); a tokenLifetimeSec >= 0 shortens tokens issued from now on.
    void setFaultRates(const FaultRates &rates);
    // "Tokens expiring mid-run": every access token issued so far by either service stops working
    // (static HubSpot tokens excepted, as private-app tokens do not expire).
    void expireAllTokens();
    // Keeps the clock continuous; rate windows and token lifetimes follow at once.
    void setTimeScale(double scale) { m_clock.setScale(scale); }

    FakeHubSpot &hubspot() { return *m_hubspot; }
    FakeHalo &halo() { return *m_halo; }
    Clock &clock() { return m_clock; }
    const Generator &generator() const { return m_generator; }
    const SandboxOptions &options() const { return m_options; }
    // nullptr when the sandbox runs without proxies.
    FaultProxy *hubspotProxy() const { return m_hubspotProxy; }
    FaultProxy *haloProxy() const { return m_haloProxy; }

private:
    void seedHalo();
    void stop();

    SandboxOptions m_options;
    Clock m_clock;
    Generator m_generator;
    FakeHubSpot *m_hubspot = nullptr;
    FakeHalo *m_halo = nullptr;
    FaultProxy *m_hubspotProxy = nullptr;
    FaultProxy *m_haloProxy = nullptr;
    bool m_started = false;
};

} // namespace halospot::sandbox
