// StopSignal: a signal handler that raises a flag, and a timer on the event loop that acts on it.
#include "StopSignal.h"

#include <QCoreApplication>

#include <atomic>
#include <csignal>

namespace halospot::app {

namespace {

// A std::signal handler may only touch lock-free atomics, so it raises a flag that a QTimer on the
// event loop polls. Chosen over a self-pipe + QSocketNotifier because it is the same code on
// Windows (where Ctrl+C arrives as SIGINT on another thread) and on Unix; the cost is up to one
// poll interval of delay before the exit.
std::atomic<bool> g_stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free);
constexpr int kPollMs = 100;

extern "C" void onStopSignal(int)
{
    g_stopRequested.store(true);
}

} // namespace

StopSignal::StopSignal()
{
    g_stopRequested.store(false);
    m_previousInt = std::signal(SIGINT, onStopSignal);
    m_previousTerm = std::signal(SIGTERM, onStopSignal);
    m_poll.setInterval(kPollMs);
    QObject::connect(&m_poll, &QTimer::timeout, &m_poll, [] {
        if (g_stopRequested.load())
            QCoreApplication::quit();
    });
    m_poll.start();
}

StopSignal::~StopSignal()
{
    std::signal(SIGINT, m_previousInt == SIG_ERR ? SIG_DFL : m_previousInt);
    std::signal(SIGTERM, m_previousTerm == SIG_ERR ? SIG_DFL : m_previousTerm);
}

bool StopSignal::requested()
{
    return g_stopRequested.load();
}

} // namespace halospot::app
