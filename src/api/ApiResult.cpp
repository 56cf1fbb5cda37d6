// Names for ApiError values, for logs.
#include "ApiResult.h"

namespace halospot::api {

QString apiErrorName(ApiError error)
{
    switch (error) {
    case ApiError::None:
        return QStringLiteral("None");
    case ApiError::Network:
        return QStringLiteral("Network");
    case ApiError::Timeout:
        return QStringLiteral("Timeout");
    case ApiError::Http:
        return QStringLiteral("Http");
    case ApiError::RateLimited:
        return QStringLiteral("RateLimited");
    case ApiError::DailyLimit:
        return QStringLiteral("DailyLimit");
    case ApiError::Unauthorized:
        return QStringLiteral("Unauthorized");
    case ApiError::ReconnectNeeded:
        return QStringLiteral("ReconnectNeeded");
    case ApiError::OutcomeUnknown:
        return QStringLiteral("OutcomeUnknown");
    case ApiError::Malformed:
        return QStringLiteral("Malformed");
    case ApiError::Cancelled:
        return QStringLiteral("Cancelled");
    case ApiError::Refused:
        return QStringLiteral("Refused");
    }
    return QStringLiteral("Unknown");
}

} // namespace halospot::api
