// Reading Halo's several error shapes into one sentence.
#include "HaloErrorText.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace halospot::api {

namespace {

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().trimmed();
    if (v.isArray()) {
        QStringList parts;
        const QJsonArray a = v.toArray();
        for (const QJsonValue &item : a) {
            const QString t = valueText(item);
            if (!t.isEmpty())
                parts << t;
        }
        return parts.join(QStringLiteral("; "));
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (const auto key : {QLatin1String("message"), QLatin1String("Message"),
                               QLatin1String("errorMessage"), QLatin1String("error_description")}) {
            if (o.value(key).isString())
                return o.value(key).toString().trimmed();
        }
    }
    return QString();
}

// "[1].emailaddress", "[0]", "users[2].name", "name": record index and field.
void splitKey(const QString &key, HaloErrorDetail &d)
{
    static const QRegularExpression indexed(QStringLiteral("^\\w*\\[(\\d+)\\]\\.?(.*)$"));
    const auto m = indexed.match(key);
    if (m.hasMatch()) {
        d.recordIndex = m.captured(1).toInt();
        d.field = m.captured(2);
    } else {
        d.field = key;
    }
}

HaloErrorDetail fromObject(const QJsonObject &o)
{
    HaloErrorDetail d;
    // OAuth (OpenIddict) shape first: the description is the readable part.
    if (o.value(QLatin1String("error_description")).isString()) {
        d.text = o.value(QLatin1String("error_description")).toString().trimmed();
        const QString code = o.value(QLatin1String("error")).toString();
        if (!code.isEmpty() && !d.text.contains(code))
            d.text += QStringLiteral(" (%1)").arg(code);
        return d;
    }
    for (const auto key :
         {QLatin1String("error"), QLatin1String("Message"), QLatin1String("message"),
          QLatin1String("errorMessage"), QLatin1String("ErrorMessage"), QLatin1String("title")}) {
        const QString t = valueText(o.value(key));
        if (!t.isEmpty()) {
            d.text = t;
            break;
        }
    }
    // ASP.NET validation problem: {"title": …, "errors": {"Name": ["…"]}}.
    const QJsonObject errors = o.value(QLatin1String("errors")).toObject();
    if (!errors.isEmpty()) {
        const QString key = errors.begin().key();
        splitKey(key, d);
        d.text = valueText(errors.begin().value());
        return d;
    }
    if (!d.text.isEmpty())
        return d;
    // Field-keyed validation: {"<field>": "<message>"} (several keys: the first, plus a count).
    QStringList keys;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!valueText(it.value()).isEmpty())
            keys << it.key();
    }
    if (!keys.isEmpty()) {
        splitKey(keys.first(), d);
        d.text = valueText(o.value(keys.first()));
        if (keys.size() > 1) {
            QStringList more;
            for (qsizetype i = 1; i < keys.size(); ++i)
                more << QStringLiteral("%1: %2").arg(keys.at(i), valueText(o.value(keys.at(i))));
            d.text += QStringLiteral("; ") + more.join(QStringLiteral("; "));
        }
    }
    return d;
}

QString recordNoun(const ApiRequest &request)
{
    const QString path = request.url.path().toLower();
    if (path.endsWith(QLatin1String("/client")) || path.contains(QLatin1String("/client/")))
        return QStringLiteral("client");
    if (path.endsWith(QLatin1String("/site")) || path.contains(QLatin1String("/site/")))
        return QStringLiteral("site");
    if (path.endsWith(QLatin1String("/users")) || path.contains(QLatin1String("/users/")))
        return QStringLiteral("user");
    if (path.contains(QLatin1String("/fieldinfo")))
        return QStringLiteral("custom field");
    return QStringLiteral("record");
}

} // namespace

HaloErrorDetail parseHaloError(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return {};
    QJsonParseError error;
    // Wrapping lets a bare JSON string (Halo's simplest shape) parse like anything else.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + trimmed + "]", &error);
    if (error.error == QJsonParseError::NoError && doc.isArray() && !doc.array().isEmpty()) {
        const QJsonValue v = doc.array().first();
        if (v.isString())
            return HaloErrorDetail{v.toString().trimmed(), {}, -1};
        if (v.isObject())
            return fromObject(v.toObject());
        if (v.isArray()) {
            const QJsonArray a = v.toArray();
            for (qsizetype i = 0; i < a.size(); ++i) {
                HaloErrorDetail d = a.at(i).isObject()
                                        ? fromObject(a.at(i).toObject())
                                        : HaloErrorDetail{valueText(a.at(i)), {}, -1};
                if (!d.text.isEmpty())
                    return d;
            }
        }
        return {};
    }
    // Plain text; an HTML error page says nothing a user can act on.
    if (trimmed.startsWith('<'))
        return {};
    QString text = QString::fromUtf8(trimmed).simplified();
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("…");
    return HaloErrorDetail{text, {}, -1};
}

QString haloRecordLabel(const QByteArray &requestBody, int index)
{
    const QJsonDocument doc = QJsonDocument::fromJson(requestBody);
    const QJsonArray records = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
    if (index < 0 || index >= records.size() || !records.at(index).isObject())
        return QString();
    const QJsonObject r = records.at(index).toObject();
    QString name = r.value(QLatin1String("name")).toString();
    if (name.isEmpty()) {
        name = QStringList{r.value(QLatin1String("firstname")).toString(),
                           r.value(QLatin1String("surname")).toString()}
                   .join(QLatin1Char(' '))
                   .trimmed();
    }
    if (name.isEmpty())
        name = r.value(QLatin1String("emailaddress")).toString();
    if (name.isEmpty() && r.contains(QLatin1String("id")))
        name = QStringLiteral("ID %1").arg(r.value(QLatin1String("id")).toVariant().toString());
    const QString label = QStringLiteral("record %1").arg(index + 1);
    return name.isEmpty() ? label : QStringLiteral("%1 (“%2”)").arg(label, name);
}

QString haloErrorSentence(const ApiRequest &request, const ApiResponse &response)
{
    const QString what =
        request.what.isEmpty() ? QStringLiteral("complete the request") : request.what;
    HaloErrorDetail d = parseHaloError(response.body);
    QString lead;
    switch (response.status) {
    case 401:
        lead =
            QStringLiteral("Halo did not accept HaloSpot's sign-in while it tried to %1").arg(what);
        break;
    case 403:
        lead = QStringLiteral("Halo refused permission to %1 (the API application or its agent "
                              "lacks a permission)")
                   .arg(what);
        break;
    case 404:
        lead = QStringLiteral("Halo could not find the %1 needed to %2")
                   .arg(recordNoun(request), what);
        break;
    default:
        lead =
            response.status >= 500
                ? QStringLiteral("Halo had an internal error while HaloSpot tried to %1").arg(what)
                : QStringLiteral("Halo refused to %1").arg(what);
        break;
    }
    // A field-keyed message about a posted array names the record; with one record it is that one.
    int index = d.recordIndex;
    if (index < 0 && request.method == "POST") {
        const QJsonDocument body = QJsonDocument::fromJson(request.body);
        if (body.isArray() && body.array().size() == 1)
            index = 0;
    }
    const QString record = haloRecordLabel(request.body, index);
    QStringList where;
    if (!record.isEmpty() && (d.recordIndex >= 0 || !d.field.isEmpty()))
        where << record;
    if (!d.field.isEmpty() && d.field.compare(QLatin1String("error"), Qt::CaseInsensitive) != 0)
        where << QStringLiteral("field “%1”").arg(d.field);
    QString sentence = lead;
    if (!d.text.isEmpty()) {
        sentence += QStringLiteral(": ");
        if (!where.isEmpty())
            sentence += where.join(QStringLiteral(", ")) + QStringLiteral(": ");
        sentence += d.text;
    }
    if (!sentence.endsWith(QLatin1Char('.')))
        sentence += QStringLiteral(" (HTTP %1).").arg(response.status);
    else
        sentence.insert(sentence.size() - 1, QStringLiteral(" (HTTP %1)").arg(response.status));
    return sentence;
}

} // namespace halospot::api
