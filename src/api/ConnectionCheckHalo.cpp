// HaloCheck: Halo's "Test connection", step by step, with a specific sentence for each common
// failure (wrong client ID or secret, wrong tenant, unreachable host, TLS, missing permission).
#include "ConnectionCheck.h"

#include "ConnectionProbe.h"
#include "HaloErrorText.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMetaObject>

namespace halospot::api {

namespace {

const HaloStep kSteps[] = {HaloStep::Token, HaloStep::ReadCustomers, HaloStep::ReadFields,
                           HaloStep::WritePermission};

int stepIndex(HaloStep step)
{
    for (int i = 0; i < int(std::size(kSteps)); ++i) {
        if (kSteps[i] == step)
            return i;
    }
    return 0;
}

// What Halo said in an error body, as « (Halo: “…”)», or nothing.
QString haloSaid(const ApiResponse &response)
{
    const QString text = parseHaloError(response.body).text;
    return text.isEmpty() ? QString() : QStringLiteral(" (Halo: “%1”)").arg(text);
}

QUrl apiUrl(const HaloSettings &settings, const QString &resource)
{
    QUrl url = settings.url;
    url.setPath(settings.url.path() + QStringLiteral("/api/") + resource);
    return url;
}

} // namespace

struct HaloCheck::Run
{
    HaloClient *client = nullptr; // this run's own client (deleted with the run's end)
    QList<HaloStepResult> results;
};

HaloCheck::HaloCheck(HaloSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{}

HaloCheck::~HaloCheck()
{
    m_run.reset();
}

QString HaloCheck::stepTitle(HaloStep step)
{
    switch (step) {
    case HaloStep::Token:
        return tr("Get a token");
    case HaloStep::ReadCustomers:
        return tr("Read customers");
    case HaloStep::ReadFields:
        return tr("Read custom fields");
    case HaloStep::WritePermission:
        return tr("Permission to write");
    }
    return QString();
}

bool HaloCheck::isRunning() const
{
    return m_run != nullptr;
}

void HaloCheck::run()
{
    cancel();
    auto run = std::make_shared<Run>();
    for (HaloStep step : kSteps) {
        HaloStepResult r;
        r.step = step;
        r.state = HaloStepResult::State::Skipped;
        r.title = stepTitle(step);
        run->results << r;
    }
    run->client = new HaloClient(m_settings, {}, this);
    // Interactive: one quick retry of a transient failure instead of a run's long backoff.
    RetryPolicy policy = HaloClient::defaultRetryPolicy(m_settings);
    policy.maxAttempts = 2;
    policy.backoffBaseMs = 300;
    policy.maxRateLimitWaits = 2;
    run->client->rest().setRetryPolicy(policy);
    m_run = run;
    QMetaObject::invokeMethod(
        this,
        [this, run] {
            if (isCurrent(run))
                getToken(run);
        },
        Qt::QueuedConnection);
}

void HaloCheck::cancel()
{
    if (!m_run)
        return;
    const RunPtr run = std::move(m_run);
    m_run.reset();
    // The cancelled requests' callbacks see that their run is no longer current.
    run->client->rest().cancelAll();
    run->client->deleteLater();
}

void HaloCheck::getToken(const RunPtr &run)
{
    run->client->connectToHalo(this, [this, run](const ApiResponse &response) {
        if (!isCurrent(run))
            return;
        if (response.ok()) {
            const QString tenant = run->client->tenant();
            const bool continues = stepDone(
                run, HaloStep::Token, HaloStepResult::State::Ok,
                tenant.isEmpty()
                    ? tr("Halo issued a token to the API application.")
                    : tr("Halo issued a token to the API application (tenant “%1”).").arg(tenant));
            if (continues)
                readCustomers(run);
            return;
        }
        const QString sentence = tokenFailureSentence(run, response);
        if (response.error != ApiError::Network) {
            stepDone(run, HaloStep::Token, HaloStepResult::State::Failed, sentence);
            return;
        }
        // The sign-in server may live elsewhere (hosted Halo): probe the one that failed.
        const QUrl where =
            run->client->tokenUrl().isValid() ? run->client->tokenUrl() : m_settings.url;
        probeReachability(where, this, m_settings.transferTimeoutMs,
                          [this, run, where, sentence](const Reachability &reach) {
                              if (!isCurrent(run))
                                  return;
                              stepDone(run, HaloStep::Token, HaloStepResult::State::Failed,
                                       reachabilitySentence(QStringLiteral("Halo"), where, reach,
                                                            m_settings.transferTimeoutMs,
                                                            sentence));
                          });
    });
}

QString HaloCheck::tokenFailureSentence(const RunPtr &run, const ApiResponse &response) const
{
    if (response.error == ApiError::Timeout) {
        Reachability silent;
        silent.problem = ReachProblem::Timeout;
        const QUrl where =
            run->client->tokenUrl().isValid() ? run->client->tokenUrl() : m_settings.url;
        return reachabilitySentence(QStringLiteral("Halo"), where, silent,
                                    m_settings.transferTimeoutMs, response.message);
    }
    const ApiResponse &failure = run->client->lastTokenFailure();
    if (failure.status > 0) {
        const QJsonObject body = failure.json.object();
        const QString code = body.value(QStringLiteral("error")).toString();
        const QString description = body.value(QStringLiteral("error_description")).toString();
        if (description.contains(QLatin1String("tenant"), Qt::CaseInsensitive)) {
            return tr("Halo does not know the tenant “%1”. Copy the tenant from Configuration > "
                      "Integrations > Halo API > API Details, or leave it empty so that HaloSpot "
                      "asks Halo for it.")
                .arg(run->client->tenant());
        }
        if (code == QLatin1String("invalid_client") || failure.status == 401) {
            return tr("Halo did not accept the client ID and secret: the client ID is unknown or "
                      "the client secret is wrong. Copy both again from Configuration > "
                      "Integrations > Halo API > View Applications (a secret is shown only once, "
                      "when it is generated), and check that the application is active and uses "
                      "“Client ID and Secret (Services)”.");
        }
        if (code == QLatin1String("invalid_scope")) {
            return tr("Halo refused the requested scope “%1”%2. Use “all”, or scopes such as "
                      "“read:customers edit:customers”.")
                .arg(m_settings.scope, haloSaid(failure));
        }
        if (failure.status == 404) {
            // The URL the token request went to: HaloClient appends /token to the auth server.
            QUrl tokenUrl = run->client->tokenUrl();
            if (!tokenUrl.path().endsWith(QLatin1String("/token")))
                tokenUrl.setPath(tokenUrl.path() + QStringLiteral("/token"));
            return tr("No Halo sign-in server answers at %1 (HTTP 404). Check the Halo URL (for "
                      "example https://yourcompany.halopsa.com) and, if you entered one, the "
                      "authorisation server URL.")
                .arg(tokenUrl.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo));
        }
    }
    return response.message;
}

void HaloCheck::readCustomers(const RunPtr &run)
{
    ApiRequest request;
    request.url = apiUrl(run->client->settings(), QStringLiteral("Client"));
    request.url.setQuery(QStringLiteral("pageinate=true&page_size=1&page_no=1"));
    request.what = tr("read customers");
    run->client->rest().send(request, this, [this, run](const ApiResponse &response) {
        if (!isCurrent(run))
            return;
        if (response.ok()) {
            const QJsonObject body = response.json.object();
            const qint64 count = body.value(QStringLiteral("record_count")).toInteger(-1);
            const bool continues =
                stepDone(run, HaloStep::ReadCustomers, HaloStepResult::State::Ok,
                         count >= 0 ? tr("Halo lists %1 customers.").arg(count)
                                    : tr("Halo let HaloSpot read its customers."));
            if (continues)
                readFields(run);
            return;
        }
        QString sentence = response.message;
        if (response.status == 403) {
            sentence = tr("Halo refused to let the API application read customers (HTTP 403)%1. "
                          "Give the application the permission read:customers and "
                          "edit:customers (or all) on its Permissions tab in Halo, make sure the "
                          "agent it logs in as may see customers, and include the permission in "
                          "HaloSpot's scope setting (now “%2”).")
                           .arg(haloSaid(response), m_settings.scope);
        } else if (response.status == 401 || response.error == ApiError::Unauthorized) {
            sentence = tr("Halo issued a token but then refused it when HaloSpot read customers "
                          "(HTTP 401). Check that the API application's login type is Agent and "
                          "that its agent is active.");
        }
        stepDone(run, HaloStep::ReadCustomers, HaloStepResult::State::Failed, sentence);
    });
}

void HaloCheck::readFields(const RunPtr &run)
{
    ApiRequest request;
    request.url = apiUrl(run->client->settings(), QStringLiteral("FieldInfo"));
    request.what = tr("read the custom field definitions");
    run->client->rest().send(request, this, [this, run](const ApiResponse &response) {
        if (!isCurrent(run))
            return;
        if (response.ok()) {
            const QJsonArray fields = response.json.array();
            const bool continues =
                stepDone(run, HaloStep::ReadFields, HaloStepResult::State::Ok,
                         tr("Halo lists %1 custom field definitions.").arg(fields.size()));
            if (continues)
                checkWritePermission(run);
            return;
        }
        QString sentence = response.message;
        if (response.status == 403) {
            sentence = tr("Halo refused to list the custom field definitions (HTTP 403)%1. Give "
                          "the API application read access to customers (or all) in Halo.")
                           .arg(haloSaid(response));
        }
        stepDone(run, HaloStep::ReadFields, HaloStepResult::State::Failed, sentence);
    });
}

void HaloCheck::checkWritePermission(const RunPtr &run)
{
    const QString granted = run->client->grantedScope();
    const QStringList scopes = granted.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (scopes.isEmpty()) {
        stepDone(run, HaloStep::WritePermission, HaloStepResult::State::Warning,
                 tr("Halo did not say which permissions the token carries, so HaloSpot cannot "
                    "tell yet whether it may create and update customers; the first import "
                    "will show it."));
        return;
    }
    for (const char *writer : {"all", "all:standard", "admin", "edit:customers"}) {
        if (scopes.contains(QLatin1String(writer))) {
            stepDone(run, HaloStep::WritePermission, HaloStepResult::State::Ok,
                     tr("The granted scope “%1” allows creating and updating customers, sites "
                        "and users.")
                         .arg(granted));
            return;
        }
    }
    stepDone(run, HaloStep::WritePermission, HaloStepResult::State::Warning,
             tr("The API application may only read customers (granted scope “%1”): HaloSpot "
                "can preview imports, but Halo will refuse to create or update customers, sites "
                "and users. Give the application edit:customers (or all) in Halo and add it to "
                "HaloSpot's scope setting.")
                 .arg(granted));
}

bool HaloCheck::stepDone(const RunPtr &run, HaloStep step, HaloStepResult::State state,
                         const QString &message)
{
    const int index = stepIndex(step);
    HaloStepResult &result = run->results[index];
    result.state = state;
    result.message = message;
    // A receiver may cancel, restart or even delete the check while the signal is delivered.
    const QPointer<HaloCheck> self(this);
    Q_EMIT stepFinished(result);
    if (!self || !isCurrent(run))
        return false;
    if (state == HaloStepResult::State::Failed) {
        for (int i = index + 1; i < run->results.size(); ++i) {
            HaloStepResult &later = run->results[i];
            later.state = HaloStepResult::State::Skipped;
            later.message = tr("Not tried, because “%1” failed.").arg(result.title);
            Q_EMIT stepFinished(later);
            if (!self || !isCurrent(run))
                return false;
        }
        finish(run);
        return false;
    }
    if (index == int(std::size(kSteps)) - 1) {
        finish(run);
        return false;
    }
    return true;
}

void HaloCheck::finish(const RunPtr &run)
{
    if (!isCurrent(run))
        return;
    m_run.reset();
    run->client->deleteLater();
    bool ok = true;
    for (const HaloStepResult &r : std::as_const(run->results))
        ok = ok && r.state != HaloStepResult::State::Failed;
    Q_EMIT finished(ok, run->results);
}

} // namespace halospot::api
