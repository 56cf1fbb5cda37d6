// `halospot sandbox`: option parsing, the service start-up, the URL/credential printout and the
// serve-until-signalled loop.
#include "SandboxCommand.h"

#include "CommandLine.h"
#include "StopSignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

#include <cmath>

namespace halospot::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("halospot sandbox", text);
}

// Reads option values into typed fields, collecting the first error.
class ValueReader final
{
public:
    explicit ValueReader(const QCommandLineParser &parser)
        : m_parser(parser)
    {}

    const QString &error() const { return m_error; }

    template<typename T>
    void integer(const QCommandLineOption &option, T *out, qint64 min, qint64 max)
    {
        if (!m_error.isEmpty() || !m_parser.isSet(option))
            return;
        const QString text = m_parser.value(option);
        bool ok = false;
        const qint64 value = text.toLongLong(&ok);
        if (!ok || value < min || value > max) {
            fail(option, text, tr("a whole number from %1 to %2").arg(min).arg(max));
            return;
        }
        *out = T(value);
    }

    void seed(const QCommandLineOption &option, quint64 *out)
    {
        if (!m_error.isEmpty() || !m_parser.isSet(option))
            return;
        const QString text = m_parser.value(option);
        bool ok = false;
        const quint64 value = text.toULongLong(&ok);
        if (!ok) {
            fail(option, text, tr("a non-negative whole number"));
            return;
        }
        *out = value;
    }

    void real(const QCommandLineOption &option, double *out, double min, double max,
              bool minExclusive = false)
    {
        if (!m_error.isEmpty() || !m_parser.isSet(option))
            return;
        const QString text = m_parser.value(option);
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (!ok || !std::isfinite(value) || value < min || value > max ||
            (minExclusive && value == min)) {
            const QString range =
                minExclusive ? tr("a number above %1, at most %2") : tr("a number from %1 to %2");
            fail(option, text, range.arg(min).arg(max));
            return;
        }
        *out = value;
    }

private:
    void fail(const QCommandLineOption &option, const QString &text, const QString &expected)
    {
        m_error = tr("Invalid value '%1' for --%2: expected %3.")
                      .arg(text, option.names().constFirst(), expected);
    }

    const QCommandLineParser &m_parser;
    QString m_error;
};

QCommandLineOption valueOption(const char *name, const char *description, const char *valueName)
{
    return QCommandLineOption(QString::fromLatin1(name), tr(description),
                              QString::fromLatin1(valueName));
}

void printHuman(const QJsonObject &d, QTextStream &out)
{
    const auto line = [&d, &out](const char *label, const char *key) {
        out << "  " << (tr(label) + QLatin1Char(':')).leftJustified(21) << ' '
            << d.value(QString::fromLatin1(key)).toString() << '\n';
    };
    out << tr("HubSpot sandbox") << '\n';
    line("API URL", "hubspot_api_url");
    line("OAuth URL", "hubspot_auth_url");
    line("Private app token", "hubspot_token");
    line("OAuth client ID", "hubspot_client_id");
    line("OAuth client secret", "hubspot_client_secret");
    out << tr("Halo sandbox") << '\n';
    line("URL", "halo_url");
    line("Client ID", "halo_client_id");
    line("Client secret", "halo_client_secret");
    out << Qt::flush;
}

// QCommandLineParser names the executable from QCoreApplication in its usage line; the command's
// own name reads better.
QString helpFor(const QCommandLineParser &parser, const QString &name)
{
    QString text = parser.helpText();
    const qsizetype firstBreak = text.indexOf(QLatin1Char('\n'));
    if (firstBreak >= 0)
        text.replace(0, firstBreak, tr("Usage: %1 [options]").arg(name));
    return text;
}

} // namespace

Result<SandboxCommandOptions> parseSandboxArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs the fake HubSpot and Halo services on 127.0.0.1 until interrupted (Ctrl+C, "
           "SIGTERM), and prints their URLs and credentials. Rates are fractions of requests "
           "from 0 to 1."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help."));
    const QCommandLineOption hubspotPort =
        valueOption("hubspot-port", "HubSpot's port (0 = any free port; default 0).", "port");
    const QCommandLineOption haloPort =
        valueOption("halo-port", "Halo's port (0 = any free port; default 0).", "port");
    const QCommandLineOption companies =
        valueOption("companies", "Number of HubSpot companies (default 200).", "n");
    const QCommandLineOption contacts =
        valueOption("contacts", "Number of HubSpot contacts (default 1000).", "n");
    const QCommandLineOption seed =
        valueOption("seed", "Seed of the generated data and random faults (default 42).", "n");
    const QCommandLineOption timeScale = valueOption(
        "time-scale", "Run the services' clock this many times faster (default 1).", "factor");
    const QCommandLineOption latency =
        valueOption("latency-ms", "Add this latency to every reply.", "ms");
    const QCommandLineOption jitter =
        valueOption("jitter-ms", "Add a random 0..ms more latency to every reply.", "ms");
    const QCommandLineOption errorRate =
        valueOption("error-rate", "Share of requests answered with a 5xx.", "rate");
    const QCommandLineOption rateLimitRate =
        valueOption("rate-limit-rate", "Share of requests answered with an extra 429.", "rate");
    const QCommandLineOption noRetryAfter(QStringLiteral("no-retry-after"),
                                          tr("Send the extra 429s without Retry-After."));
    const QCommandLineOption malformedRate =
        valueOption("malformed-rate", "Share of replies with truncated JSON.", "rate");
    const QCommandLineOption stallRate =
        valueOption("stall-rate", "Share of requests never answered.", "rate");
    const QCommandLineOption dropRate = valueOption(
        "drop-rate", "Share of replies cut off mid-body with the connection closed.", "rate");
    const QCommandLineOption tokenLifetime = valueOption(
        "token-lifetime", "Access tokens issued expire after this many seconds.", "seconds");
    const QCommandLineOption hubspotBurst = valueOption(
        "hubspot-burst", "HubSpot requests allowed per 10-second window (default 110).", "n");
    const QCommandLineOption haloWindow =
        valueOption("halo-window", "Halo requests allowed per 3-minute window (default 500).", "n");
    const QCommandLineOption printJson(
        QStringLiteral("print-json"),
        tr("Print one JSON line with the URLs and credentials on stdout once both listen."));
    parser.addOptions({help, hubspotPort, haloPort, companies, contacts, seed, timeScale, latency,
                       jitter, errorRate, rateLimitRate, noRetryAfter, malformedRate, stallRate,
                       dropRate, tokenLifetime, hubspotBurst, haloWindow, printJson});

    if (!parser.parse(arguments))
        return Result<SandboxCommandOptions>::failure(parser.errorText());

    SandboxCommandOptions result;
    result.helpText = helpFor(parser, arguments.value(0, QStringLiteral("halospot sandbox")));
    if (parser.isSet(help)) {
        result.help = true;
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        return Result<SandboxCommandOptions>::failure(
            tr("Unexpected argument '%1'.").arg(parser.positionalArguments().constFirst()));
    }

    sandbox::SandboxOptions &o = result.sandbox;
    constexpr qint64 kMaxRecords = 100'000'000;
    constexpr qint64 kMaxMs = 3'600'000;
    ValueReader read(parser);
    read.integer(hubspotPort, &o.hubspotPort, 0, 65535);
    read.integer(haloPort, &o.haloPort, 0, 65535);
    read.integer(companies, &o.data.companies, 0, kMaxRecords);
    read.integer(contacts, &o.data.contacts, 0, kMaxRecords);
    read.seed(seed, &o.data.seed);
    read.real(timeScale, &o.timeScale, 0, 1'000'000, true);
    read.integer(latency, &o.faults.latencyMs, 0, kMaxMs);
    read.integer(jitter, &o.faults.jitterMs, 0, kMaxMs);
    read.real(errorRate, &o.faults.serverError, 0, 1);
    read.real(rateLimitRate, &o.faults.rateLimited, 0, 1);
    read.real(malformedRate, &o.faults.malformed, 0, 1);
    read.real(stallRate, &o.faults.stall, 0, 1);
    read.real(dropRate, &o.faults.drop, 0, 1);
    read.integer(tokenLifetime, &o.faults.tokenLifetimeSec, 0, 365LL * 24 * 3600);
    read.integer(hubspotBurst, &o.hubspot.burstMax, 1, 1'000'000);
    read.integer(haloWindow, &o.haloWindowMax, 1, 1'000'000);
    if (!read.error().isEmpty())
        return Result<SandboxCommandOptions>::failure(read.error());
    o.faults.retryAfter = !parser.isSet(noRetryAfter);
    if (o.hubspotPort != 0 && o.hubspotPort == o.haloPort) {
        return Result<SandboxCommandOptions>::failure(
            tr("--hubspot-port and --halo-port must differ."));
    }
    result.printJson = parser.isSet(printJson);
    return result;
}

int runSandboxCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString name = arguments.value(0, QStringLiteral("halospot sandbox"));

    const Result<SandboxCommandOptions> parsed = parseSandboxArguments(arguments);
    if (!parsed) {
        err << name << ": " << parsed.error() << '\n'
            << tr("Run '%1 --help' for the options.").arg(name) << Qt::endl;
        return ExitUsage;
    }
    if (parsed->help) {
        out << parsed->helpText << Qt::flush;
        return ExitOk;
    }
    if (!QCoreApplication::instance()) {
        err << name << ": " << tr("internal error: no application object.") << Qt::endl;
        return ExitUsage;
    }

    // Installed before the services start so that a signal during start-up is not lost.
    StopSignal stopSignal;
    sandbox::Sandbox box(parsed->sandbox);
    const Status started = box.start();
    if (!started) {
        err << name << ": " << tr("the sandbox could not start: %1").arg(started.error())
            << Qt::endl;
        return ExitUnreachable;
    }

    const QJsonObject description = box.describe();
    if (parsed->printJson) {
        out << QString::fromUtf8(QJsonDocument(description).toJson(QJsonDocument::Compact))
            << Qt::endl;
    } else {
        printHuman(description, out);
    }
    err << name << ": "
        << tr("HubSpot on %1, Halo on %2 (%3 companies, %4 contacts, seed %5); stop with Ctrl+C.")
               .arg(box.hubspotUrl().toString(), box.haloUrl().toString())
               .arg(parsed->sandbox.data.companies)
               .arg(parsed->sandbox.data.contacts)
               .arg(parsed->sandbox.data.seed)
        << Qt::endl;

    QCoreApplication::exec();
    err << name << ": " << tr("stopped.") << Qt::endl;
    return ExitOk;
}

} // namespace halospot::app
