// Halo's several error body shapes, and which kind of failure the fake answers with which shape.
// Real Halo has no single error format (reference/halo-api.md §7.3); the fake uses each shape for
// one kind of failure, deterministically, so that a client's error parser meets all of them:
//   bare JSON string            404: an id that does not exist (GET, DELETE, POST update)
//   {"error", "error_description"}  /auth/token failures (OAuth / OpenIddict style)
//   {"ClassName", "Message"}    400: a body that is not JSON or not an array of objects; 500s
//   {"Message"}                 401 without a valid token; 403 when the token's scope does not
//                               cover customers (FakeHalo::scopeCanReadCustomers / …Edit…);
//                               405; unknown routes; refused deletes
//   {"resultCode", "errorMessage"}  400: custom-field values (unknown field, bad value for its
//   type)
//   {"<field>": "<message>"}    400: validation of ordinary fields, keyed "[<index>].<field>"
//   bare JSON string            429: the rolling-window limit ("Rate Limit Reached - …")
#pragma once

#include "HttpService.h"

#include <QString>

namespace halospot::sandbox {

enum class HaloErrorShape
{
    BareString,
    OAuth,
    ClassName,
    Message,
    ResultCode,
    Field,
};

struct HaloError
{
    int status = 400;
    HaloErrorShape shape = HaloErrorShape::Message;
    QString message;
    // OAuth: the error code; ClassName: the .NET class name; Field: the key.
    QString key;

    Response toResponse() const;
    HaloError withStatus(int newStatus) const
    {
        HaloError e = *this;
        e.status = newStatus;
        return e;
    }

    static HaloError notFound(const QString &message)
    {
        return {404, HaloErrorShape::BareString, message, {}};
    }
    static HaloError oauth(int status, const QString &code, const QString &description)
    {
        return {status, HaloErrorShape::OAuth, description, code};
    }
    static HaloError
    badBody(const QString &message,
            const QString &className = QStringLiteral("Newtonsoft.Json.JsonSerializationException"))
    {
        return {400, HaloErrorShape::ClassName, message, className};
    }
    static HaloError plain(int status, const QString &message)
    {
        return {status, HaloErrorShape::Message, message, {}};
    }
    static HaloError customField(const QString &message)
    {
        return {400, HaloErrorShape::ResultCode, message, {}};
    }
    static HaloError field(const QString &key, const QString &message)
    {
        return {400, HaloErrorShape::Field, message, key};
    }
};

} // namespace halospot::sandbox
