// The private state of one request inside RestClient (shared by RestClient*.cpp only).
#pragma once

#include "RestClient.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

namespace halospot::api {

struct RestClient::Job
{
    ApiRequest request;
    QPointer<QObject> context;
    bool hasContext = false;
    Done done;
    int attempts = 0;       // attempts put on the wire
    int failures = 0;       // transient failures (5xx, timeouts, drops)
    int rateLimitWaits = 0; // 429 / 423 waits
    bool replayedAfter401 = false;
    bool finished = false;
    QPointer<QNetworkReply> reply;
    QPointer<QTimer> timer;
    QUrl refusedRedirect; // set when we aborted a redirect
    bool cancelledByUs = false;
    QByteArray requestId;
    QElapsedTimer elapsed;
    QElapsedTimer onWire; // since the current attempt was handed to QNAM
    QNetworkRequest sent; // the current attempt as sent (headers included)
};

} // namespace halospot::api
