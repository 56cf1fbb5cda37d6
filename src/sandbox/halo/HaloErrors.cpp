// Turns a HaloError into the reply body of its shape.
#include "HaloErrors.h"

namespace halospot::sandbox {

Response HaloError::toResponse() const
{
    switch (shape) {
    case HaloErrorShape::BareString:
        return Response::json(status, QJsonValue(message));
    case HaloErrorShape::OAuth:
        return Response::json(status, QJsonObject{{QStringLiteral("error"), key},
                                                  {QStringLiteral("error_description"), message}});
    case HaloErrorShape::ClassName:
        return Response::json(status, QJsonObject{{QStringLiteral("ClassName"), key},
                                                  {QStringLiteral("Message"), message},
                                                  {QStringLiteral("Data"), QJsonValue()},
                                                  {QStringLiteral("InnerException"), QJsonValue()},
                                                  {QStringLiteral("HResult"), -2146233088}});
    case HaloErrorShape::Message:
        return Response::json(status, QJsonObject{{QStringLiteral("Message"), message}});
    case HaloErrorShape::ResultCode:
        return Response::json(status, QJsonObject{{QStringLiteral("resultCode"), 1},
                                                  {QStringLiteral("errorMessage"), message}});
    case HaloErrorShape::Field:
        return Response::json(status, QJsonObject{{key, message}});
    }
    return Response::json(status, QJsonValue(message));
}

} // namespace halospot::sandbox
