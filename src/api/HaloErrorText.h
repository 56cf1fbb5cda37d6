// Halo has no single error format (a bare JSON string, {"error"[, "error_description"]},
// {"ClassName","Message"}, {"Message"}, {"resultCode","errorMessage"}, field-keyed validation
// objects, plain text). These functions turn any of them into one sentence that names the record
// and the field when Halo does.
#pragma once

#include "ApiResult.h"

#include <QString>

namespace halospot::api {

struct HaloErrorDetail
{
    QString text;         // Halo's own words, e.g. "Name is required"
    QString field;        // e.g. "name", when Halo keyed the message by field
    int recordIndex = -1; // index into the posted array, when known
};

// Halo's message(s) from an error body; empty text when the body says nothing useful.
HaloErrorDetail parseHaloError(const QByteArray &body);
// "record 2 (“Acme Ltd”)" for an element of the posted array; empty when out of range.
QString haloRecordLabel(const QByteArray &requestBody, int index);
// The sentence for a failed reply, e.g. "Halo refused to create clients: record 1 (“Acme”),
// field “website”: Website is not a valid URL (HTTP 400)."
QString haloErrorSentence(const ApiRequest &request, const ApiResponse &response);

} // namespace halospot::api
