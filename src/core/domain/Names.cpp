// Normalised names and e-mail addresses for matching HubSpot records to Halo records.
#include "Names.h"

namespace halospot::core {

namespace {

bool isInvisible(QChar ch)
{
    // ZERO WIDTH SPACE and ZERO WIDTH NO-BREAK SPACE (BOM); NFKC keeps both.
    return ch.unicode() == 0x200B || ch.unicode() == 0xFEFF;
}

} // namespace

QString normalizeName(const QString &name)
{
    // NFKC before folding maps compatibility forms (full-width, ligatures) to the letters that
    // fold; NFKC again after folding recomposes what folding decomposed (the NFKC_Casefold idea).
    const QString folded = name.normalized(QString::NormalizationForm_KC)
                               .toCaseFolded()
                               .normalized(QString::NormalizationForm_KC);
    QString out;
    out.reserve(folded.size());
    bool pendingSpace = false;
    for (const QChar ch : folded) {
        if (isInvisible(ch))
            continue;
        if (ch.isSpace()) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace) {
            out.append(QLatin1Char(' '));
            pendingSpace = false;
        }
        out.append(ch);
    }
    return out;
}

QString normalizeEmail(const QString &email)
{
    return email.trimmed().toCaseFolded();
}

} // namespace halospot::core
