"""Read press releases in the press office's plain-text format.

A release file looks like demo/data/kreisblatt-2017-10-06.txt: a kicker and the release
date, the headline, the lead, photo captions, body paragraphs with quotes, and a contact block at
the end. This package turns such a text into a `ParsedRelease`. It is a pure parser: no
database, no files; its only project import is the list of kinds (press.kinds).
`releases.importing` stores the result; `releases.exporting` writes the same format, which
this parser must read back unchanged (round trip).

Everything here is a heuristic over free text, so every step is linear in the length of the text
and every guess that could be wrong is either conservative or reported as a warning.

Modules, lowest first; each imports only from the ones before it
(result → decoding, dates, names → attributions → quotes, contacts, blocks → parser, escaping):

- `result`: the result dataclasses (`ParsedRelease`, `Block`, `Caption`, `ParsedQuote`,
  `Contact`), the kind constants with `kind_label()`, `ReleaseFormatError`, and the time
  budget of a parse (`Deadline`, raising `OverBudgetError`);
- `decoding`: bytes to text (`decode()` with its size budget, `MAX_BYTES`), `normalise()` and
  `source_hash()`;
- `dates`: date, label and embargo lines (`parse_meta_line()`), `german_date()`, `BERLIN`;
- `names`: words and persons' names (`name_key()`, `squash()`);
- `attributions`: who a quote is attributed to, from the words around it;
- `quotes`: quotes in running text and their speakers (`QuoteFinder`, `parse_quote_line()`);
- `contacts`: photo captions, the contact block and the sign-off line;
- `blocks`: the text in blocks of lines, lists (also without bullets), paragraphs and
  subheadings;
- `parser`: `ReleaseParser` and `parse_release()`, the entry point;
- `escaping`: which texts the writer must escape (`escape_line()`, `escape_body()`).

This module only re-exports what the rest of the project uses.
"""

from .dates import BERLIN, german_date
from .decoding import MAX_BYTES, decode, source_hash
from .escaping import escape_body, escape_line
from .names import name_key, squash
from .parser import parse_release
from .result import (
    KREISBLATT,
    Block,
    Caption,
    Contact,
    Deadline,
    OverBudgetError,
    ParsedQuote,
    ParsedRelease,
    ReleaseFormatError,
    kind_label,
)

__all__ = [
    "BERLIN",
    "KREISBLATT",
    "MAX_BYTES",
    "Block",
    "Caption",
    "Contact",
    "Deadline",
    "OverBudgetError",
    "ParsedQuote",
    "ParsedRelease",
    "ReleaseFormatError",
    "decode",
    "escape_body",
    "escape_line",
    "german_date",
    "kind_label",
    "name_key",
    "parse_release",
    "source_hash",
    "squash",
]
