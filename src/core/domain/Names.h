// How two spellings of one name or e-mail address are recognised as the same (SPEC §2 matching).
#pragma once

#include <QString>

namespace halospot::core {

// The key under which a company or customer name is matched: Unicode NFKC (so full-width letters,
// ligatures and composed/decomposed accents compare equal), case-folded, trimmed, every run of
// whitespace (tabs, NBSP, ideographic space, ...) collapsed to one ASCII space. Invisible
// zero-width spaces and byte-order marks are dropped: they come from copy and paste, never from
// intent. Accents are kept on purpose: SPEC §2 asks for NFKC + case folding only, so "Café" and
// "Cafe" are different names (they can be different companies), while "Café" typed with a
// combining accent equals "Café" typed precomposed. Case folding is Qt's (Unicode simple case
// folding): "ẞ" and "ß" match, "ß" and "ss" do not.
QString normalizeName(const QString &name);

// The key under which e-mail addresses are matched: trimmed and case-folded (SPEC §2: the e-mail
// comparison is case-insensitive). Nothing else is changed: dots and "+tags" are significant.
QString normalizeEmail(const QString &email);

} // namespace halospot::core
