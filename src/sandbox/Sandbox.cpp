// Composition of the sandbox: clock, data, services, proxies and credentials.
#include "Sandbox.h"

#include <QRandomGenerator>
#include <QTcpServer>
#include <QUuid>

namespace halospot::sandbox {

namespace {

// A secret of `bytes` random bytes from the system's CSPRNG, hex-encoded.
QString randomSecret(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

QString randomClientId()
{
    // QUuid::createUuid is random (v4), but not documented as cryptographic; an id need not be.
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

HubSpotAppConfig hubspotApp()
{
    HubSpotAppConfig app;
    app.clientId = randomClientId();
    app.clientSecret = randomSecret(24);
    return app;
}

HaloConfig haloConfig(const SandboxOptions &options)
{
    HaloConfig config;
    config.clientId = randomClientId();
    config.clientSecret = randomSecret(32);
    config.windowMax = options.haloWindowMax;
    config.windowMs = options.haloWindowMs;
    return config;
}

QUrl origin(quint16 port)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    return url;
}

// Starts one service, behind a proxy when there is one; returns the advertised port or 0.
quint16 listenBehind(HttpService &service, FaultProxy *proxy, quint16 port, QString *error)
{
    if (!proxy) {
        const quint16 bound = service.listen(port);
        if (!bound)
            *error = service.error();
        return bound;
    }
    const quint16 inner = service.listen(0);
    if (!inner) {
        *error = service.error();
        return 0;
    }
    const quint16 bound = proxy->listen(port, inner);
    if (!bound)
        *error = QStringLiteral("%1: %2").arg(service.name(), proxy->error());
    service.setPublicPort(bound);
    return bound;
}

} // namespace

Sandbox::Sandbox(SandboxOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(m_options.timeScale)
    , m_generator(m_options.data)
{
    m_hubspot = new FakeHubSpot(&m_generator, m_options.hubspot, hubspotApp(), &m_clock, this);
    m_halo = new FakeHalo(haloConfig(m_options), &m_clock, this);

    // Different seeds so that the two services' random faults do not fire in lockstep; both derive
    // from the data seed so that a run with the same options is repeatable.
    const quint64 seed = m_options.data.seed;
    m_hubspot->faults() = FaultPlan(seed * 2 + 1);
    m_halo->faults() = FaultPlan(seed * 2 + 2);
    setFaultRates(m_options.faults);

    if (m_options.proxy) {
        m_hubspotProxy = new FaultProxy(&m_hubspot->faults(), this);
        m_haloProxy = new FaultProxy(&m_halo->faults(), this);
    }
    seedHalo();
}

Sandbox::~Sandbox()
{
    // Proxies first (their connections talk to the services), then the services, which hold
    // pointers to the clock and the generator: both are members and die before QObject's children.
    delete m_hubspotProxy;
    delete m_haloProxy;
    delete m_hubspot;
    delete m_halo;
}

void Sandbox::seedHalo()
{
    const QList<HaloClientSeed> clients = m_generator.haloClients();
    QList<int> siteOfClient;
    siteOfClient.reserve(clients.size());
    for (const HaloClientSeed &client : clients) {
        const int clientId = m_halo->addClient(client.name, client.website, client.inactive);
        // addClient creates the client's main site; the seeded users go there.
        const HaloClientRec *rec = m_halo->store().client(clientId);
        siteOfClient.append(rec ? rec->mainSiteId : 0);
    }
    const QList<HaloUserSeed> users = m_generator.haloUsers();
    for (const HaloUserSeed &user : users) {
        if (user.clientIndex < 0 || user.clientIndex >= siteOfClient.size() ||
            siteOfClient.at(user.clientIndex) <= 0)
            continue;
        m_halo->addUser(siteOfClient.at(user.clientIndex), user.firstname, user.surname,
                        user.email);
    }
}

Status Sandbox::start()
{
    if (m_started)
        return Status();
    QString error;
    if (!listenBehind(*m_hubspot, m_hubspotProxy, m_options.hubspotPort, &error) ||
        !listenBehind(*m_halo, m_haloProxy, m_options.haloPort, &error)) {
        stop();
        return Status::failure(error);
    }
    m_started = true;
    return Status();
}

void Sandbox::stop()
{
    // QAbstractHttpServer cannot unbind in Qt 6.4; closing its QTcpServer children does the job.
    for (HttpService *service :
         {static_cast<HttpService *>(m_hubspot), static_cast<HttpService *>(m_halo)}) {
        const QList<QTcpServer *> servers = service->findChildren<QTcpServer *>();
        for (QTcpServer *server : servers)
            server->close();
    }
    if (m_hubspotProxy)
        m_hubspotProxy->close();
    if (m_haloProxy)
        m_haloProxy->close();
}

QUrl Sandbox::hubspotUrl() const
{
    if (!m_started)
        return QUrl();
    return origin(m_hubspotProxy ? m_hubspotProxy->port() : m_hubspot->port());
}

QUrl Sandbox::haloUrl() const
{
    if (!m_started)
        return QUrl();
    return origin(m_haloProxy ? m_haloProxy->port() : m_halo->port());
}

void Sandbox::setFaultRates(const FaultRates &rates)
{
    m_hubspot->faults().setRates(rates);
    m_halo->faults().setRates(rates);
}

void Sandbox::expireAllTokens()
{
    m_hubspot->oauth().expireAllAccessTokens();
    m_halo->expireAllTokens();
}

QJsonObject Sandbox::describe() const
{
    const QString hubspot = hubspotUrl().toString();
    const HubSpotAppConfig &app = m_hubspot->oauth().config();
    const HaloConfig &halo = m_halo->config();
    return QJsonObject{
        {QStringLiteral("hubspot_api_url"), hubspot},
        {QStringLiteral("hubspot_auth_url"), hubspot},
        {QStringLiteral("hubspot_token"), m_hubspot->staticToken()},
        {QStringLiteral("hubspot_client_id"), app.clientId},
        {QStringLiteral("hubspot_client_secret"), app.clientSecret},
        {QStringLiteral("halo_url"), haloUrl().toString()},
        {QStringLiteral("halo_client_id"), halo.clientId},
        {QStringLiteral("halo_client_secret"), halo.clientSecret},
    };
}

} // namespace halospot::sandbox
