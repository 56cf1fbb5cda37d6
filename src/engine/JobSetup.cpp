// makeJobSpec: which settings and credentials a job runs with, and the sentences for what is
// missing.
#include "JobSetup.h"

#include "ConnectionCheck.h"

namespace halospot::engine {

namespace {

QString tr(const char *text)
{
    return JobSetupText::tr(text);
}

QString envName(const char *variable)
{
    return QString::fromLatin1(variable);
}

} // namespace

Result<JobSpec> makeJobSpec(const core::Profile &profile, const api::SecretSet &secrets,
                            const JobSetupOptions &options)
{
    using R = Result<JobSpec>;
    const core::ConnectionConfig &connection = profile.connection;
    QStringList problems;

    // A keychain that could not be read explains every missing secret below; it comes first.
    const bool keychainFailed = secrets.outcome != api::SecretOutcome::Ok;
    const QString keychainNote =
        keychainFailed && !secrets.message.isEmpty()
            ? QLatin1Char(' ') + tr("(The keychain could not be read: %1)").arg(secrets.message)
            : QString();

    JobSpec spec;
    spec.kind = options.kind;
    spec.dryRun = options.dryRun;
    spec.storePath = options.storePath;
    spec.companies = profile.companies;
    spec.contacts = profile.contacts;
    spec.writeHubSpotIdToHalo = profile.linking.writeHubSpotIdToHalo;

    // HubSpot: a static token, or the OAuth app (client ID in the profile, client secret and
    // refresh token in the keychain).
    spec.hubspot = api::hubSpotSettings(connection.hubspot);
    if (connection.hubspot.apiBase.isEmpty() || !connection.hubspot.apiBase.isValid()) {
        problems << tr("HubSpot has no API address: set hubspot.api_base in the profile "
                       "(`halospot config import FILE`).");
    } else if (connection.hubspot.auth == core::HubSpotAuthMode::StaticToken) {
        if (!secrets.has(api::Secret::HubSpotStaticToken)) {
            problems << tr("HubSpot is not connected: run `halospot auth hubspot --token-stdin` or "
                           "set %1.")
                                .arg(envName(api::kEnvHubSpotToken)) +
                            keychainNote;
        } else {
            spec.hubspotCredentials.staticToken = secrets.value(api::Secret::HubSpotStaticToken);
        }
    } else {
        HubSpotCredentials &c = spec.hubspotCredentials;
        c.clientId = connection.hubspot.clientId;
        c.clientSecret = secrets.value(api::Secret::HubSpotClientSecret);
        c.refreshToken = secrets.value(api::Secret::HubSpotRefreshToken);
        if (c.clientId.isEmpty() || c.clientSecret.isEmpty() || c.refreshToken.isEmpty()) {
            QStringList lacking;
            if (c.clientId.isEmpty())
                lacking << tr("the app's client ID (hubspot.client_id)");
            if (c.clientSecret.isEmpty())
                lacking << tr("its client secret");
            if (c.refreshToken.isEmpty())
                lacking << tr("a refresh token from signing in");
            problems << tr("HubSpot is not connected (missing %1): connect in HaloSpot's window, "
                           "or use a private-app token with `halospot auth hubspot "
                           "--token-stdin` or %2.")
                                .arg(lacking.join(QStringLiteral(", ")),
                                     envName(api::kEnvHubSpotToken)) +
                            keychainNote;
            c = HubSpotCredentials();
        }
    }

    // Halo: the instance and the API application's client ID in the profile, its secret in the
    // keychain or the environment.
    const core::HaloConnectionConfig &halo = connection.halo;
    if (!halo.isConfigured()) {
        QStringList lacking;
        if (halo.url.isEmpty() || !halo.url.isValid())
            lacking << tr("the Halo URL (halo.url)");
        if (halo.clientId.isEmpty())
            lacking << tr("the client ID (halo.client_id)");
        problems << tr("Halo is not set up (missing %1): run `halospot auth halo --url URL "
                       "--client-id ID --secret-stdin`.")
                        .arg(lacking.join(QStringLiteral(", ")));
    } else if (!secrets.has(api::Secret::HaloClientSecret)) {
        problems << tr("Halo has no client secret: run `halospot auth halo --secret-stdin` or set "
                       "%1.")
                            .arg(envName(api::kEnvHaloSecret)) +
                        keychainNote;
    }
    spec.halo = api::haloSettings(halo, secrets.value(api::Secret::HaloClientSecret));

    if (options.storePath.isEmpty())
        problems << tr("No HaloSpot database was given for the job's results.");

    if (!problems.isEmpty())
        return R::failure(problems.join(QLatin1Char('\n')));
    return spec;
}

} // namespace halospot::engine
