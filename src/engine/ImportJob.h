// What the engine needs of an import job (companies, contacts): start, cancel, progress, the
// results settled since the last look, and the end. Lives on the engine thread.
#pragma once

#include "EngineTypes.h"

#include <QList>
#include <QObject>

namespace halospot::engine {

class ImportJob : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportJob)

public:
    using QObject::QObject;
    ~ImportJob() override;

    virtual void start() = 0;
    // Finishes the job as cancelled at once; writes whose outcome is not known stay in the
    // intent journal for the next run.
    virtual void cancel() = 0;
    virtual bool isFinished() const = 0;
    virtual Progress progress() const = 0;
    // Results settled since the last call, in settling order.
    virtual QList<core::RunItem> takeResults() = 0;

Q_SIGNALS:
    void finished(const halospot::engine::RunReport &report);
    // HubSpot rotated the refresh token: it must reach the keychain.
    void hubspotRefreshTokenChanged(const QString &refreshToken);
};

} // namespace halospot::engine
