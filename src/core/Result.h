// A small result type: a value, or a sentence a user can act on. Errors are values, not exceptions.
#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace halospot {

template<typename T>
class Result final
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}

    static Result failure(QString error)
    {
        Result r;
        r.m_error = std::move(error);
        return r;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const QString &error() const { return m_error; }

private:
    Result() = default;
    std::optional<T> m_value;
    QString m_error;
};

template<>
class Result<void> final
{
public:
    Result() = default;
    static Result failure(QString error)
    {
        Result r;
        r.m_error = std::move(error);
        r.m_ok = false;
        return r;
    }
    bool ok() const { return m_ok; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    bool m_ok = true;
    QString m_error;
};

using Status = Result<void>;

} // namespace halospot
