"""The keyword matcher: map a batch of records to the library's scan code, scan it once, map hits back.

Engine choice (measured, see ``docs/keyword-engine.md``): the scan code (``codec``) of a batch is
scanned with ``ahocorasick-rs`` (Rust, releases the GIL; ~140-210 MB of text per CPU-second with
20,000 Chinese terms here), not ``pyahocorasick`` (~1-3 MB/s: its trie scans child arrays linearly
and the Chinese root has thousands of children) nor a regex alternation (~0.1 MB/s).

Acceptance rules applied to every raw automaton match (all on the normalised text and its
offset map, so the naive reference in the tests can recompute them):

* **word boundary**: where a term begins (ends) with a word character (Latin letter, digit …;
  ``normalize.is_word_char``), the normalised character before (after) it must not be a word
  character *adjacent in the original* — so ``ass`` does not match inside ``class``, but matches
  in ``the ass`` and ``the.ass``;
* **no joined words**: inside a match, no character may have been deleted between two word
  characters — so ``a ss`` is not ``ass`` (noise removal is for ``炸 弹``, not for English words);
* ``exact`` entries: no character may have been deleted anywhere inside the match;
* **allowlist**: a term match lying inside an accepted allow match (same record, normalised
  span contains it, allow entry has no risk code or shares one) is suppressed;
* **combination rules**: ``a&b~c`` hits a record with an accepted, unsuppressed match of every
  ``&`` atom and no accepted match of any ``~`` atom.
"""

from __future__ import annotations

import operator
import pickle
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import ahocorasick_rs
import numpy as np

from gaisafe_desktop.core.detect.keywords.codec import BARRIER_BYTE, ScanCodec, char_index
from gaisafe_desktop.core.detect.keywords.library import Entry, Expression, parse_expressions, validate_entry
from gaisafe_desktop.core.detect.keywords.normalize import BARRIER, BARRIER_CP, normalize_codes, tables, to_codes
from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_

_ROLE_TERM, _ROLE_ALL, _ROLE_NONE, _ROLE_ALLOW = range(4)


# A hit as the scanner ships it: (record, entry, spans, matched).
_Flat = tuple[int, int, tuple[tuple[int, int], ...], tuple[str, ...]]


class Hit(NamedTuple):
    """One keyword hit in one record.

    ``spans`` are ``(start, end)`` character offsets in the *original* record text (one span for
    a plain term, one per ``&`` atom for a rule); ``matched`` the original text of each span.
    """

    record: int
    entry: int
    term: str
    risks: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    matched: tuple[str, ...]


class KeywordMatcher:
    """A compiled library. Build once, scan many batches; picklable (rebuilt from entries)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = tuple(entries)
        exprs: list[Expression] = parse_expressions(self.entries)
        atoms: dict[str, int] = {}
        roles: list[list[tuple[int, int, frozenset[int]]]] = []
        for i, (entry, expr) in enumerate(zip(self.entries, exprs, strict=True)):
            validate_entry(entry, expr)
            if entry.kind == "allow":
                pairs = [(expr.all_of[0], _ROLE_ALLOW, expr.gaps_all[0])]
            elif expr.is_simple:
                pairs = [(expr.all_of[0], _ROLE_TERM, expr.gaps_all[0])]
            else:
                pairs = [(a, _ROLE_ALL, g) for a, g in zip(expr.all_of, expr.gaps_all, strict=True)]
                pairs += [(a, _ROLE_NONE, g) for a, g in zip(expr.none_of, expr.gaps_none, strict=True)]
            for atom, role, gaps in pairs:
                idx = atoms.setdefault(atom, len(atoms))
                if idx == len(roles):
                    roles.append([])
                roles[idx].append((i, role, gaps))
        self._atoms = list(atoms)
        self._roles = roles
        self._exact = [e.match == "exact" for e in self.entries]
        # What the acceptance rules need of the entries (a worker process gets only these).
        self._risks = [e.risks for e in self.entries]
        self._rule_atoms = {i: x.all_of for i, x in enumerate(exprs) if not x.is_simple}
        self._analyse()
        self._build()

    def _analyse(self) -> None:
        """What the scan needs beyond the entries: done once, then shipped to worker processes."""
        word = _word_bytes()
        # Atoms with no word character at an edge or next to another need no boundary checks
        # (all-CJK terms): their matches are accepted without looking at the offset map.
        self._needs_check = [
            bool(_MAYBE_WORD.search(a))
            and bool(
                word[ord(a[0])]
                or word[ord(a[-1])]
                or any(word[ord(x)] and word[ord(y)] for x, y in zip(a, a[1:], strict=False))
            )
            for a in self._atoms
        ]
        # Atoms that some allow entry contains: only their matches can ever be suppressed by one.
        allow_atoms = [a for k, a in enumerate(self._atoms) if any(r == _ROLE_ALLOW for _, r, _ in self._roles[k])]
        suppressible: set[int] = set()
        if allow_atoms:
            probe = ahocorasick_rs.AhoCorasick(self._atoms)
            for a in allow_atoms:
                suppressible.update(m[0] for m in probe.find_matches_as_indexes(a, overlapping=True))
        # Atoms whose every use is a plain term needing no check and that no allow entry contains:
        # their hits are built directly.
        self._plain = [
            not need
            and k not in suppressible
            and all(role == _ROLE_TERM and not self._exact[i] for i, role, _ in self._roles[k])
            for k, need in enumerate(self._needs_check)
        ]
        # The entries a match of a plain atom is a hit of.
        self._atom_entries = [
            tuple(i for i, _, _ in roles) if p else () for p, roles in zip(self._plain, self._roles, strict=True)
        ]
        self._codec = ScanCodec(self._atoms)
        self._patterns = [self._codec.encode_str(a) for a in self._atoms]

    def _build(self) -> None:
        """The per-process parts: the automaton (it cannot be pickled) and lookup forms."""
        # A bytearray, not the numpy table: indexing it from Python is several times faster.
        self._word = _word_bytes()
        self._plain_np = np.array(self._plain, dtype=bool)
        # The atoms are scanned in the library's scan code (``codec``), by a contiguous NFA: on the
        # benchmark it scans ~1.6x faster than the library's default choice (docs/keyword-engine.md).
        self._ac = (
            ahocorasick_rs.BytesAhoCorasick(self._patterns, implementation=ahocorasick_rs.Implementation.ContiguousNFA)
            if self._patterns
            else None
        )
        self._pickled: bytes | None = None

    def __getstate__(self) -> dict:
        # Entries as plain tuples (unpickling 10^5 NamedTuples through their Python-level
        # ``__new__`` costs ~2 us each); the automaton is rebuilt.
        state = {k: v for k, v in self.__dict__.items() if k not in ("_ac", "_word", "_plain_np", "_pickled")}
        state["entries"] = [tuple(e) for e in self.entries]
        return state

    def __setstate__(self, state: dict) -> None:
        state["entries"] = tuple(map(Entry._make, state["entries"]))
        self.__dict__.update(state)
        self._build()

    def worker_state(self) -> bytes:
        """What a worker process needs to scan, pickled once (no entries).

        A worker returns hits as ``scan_joined_flat`` tuples, which name entries by number; the
        caller holds the entries. Loading this takes ~0.1 s for 20,000 terms.
        """
        if self._pickled is None:
            skip = ("entries", "_ac", "_word", "_plain_np", "_pickled")
            self._pickled = pickle.dumps({k: v for k, v in self.__dict__.items() if k not in skip})
        return self._pickled

    @classmethod
    def from_worker_state(cls, blob: bytes) -> KeywordMatcher:
        """A matcher that can only ``scan_joined_flat``/``scan_batch_flat`` (see ``worker_state``)."""
        obj = cls.__new__(cls)
        obj.__dict__.update(pickle.loads(blob))
        obj.entries = ()
        obj._build()
        return obj

    @property
    def atom_count(self) -> int:
        return len(self._atoms)

    def scan(self, text: str) -> list[Hit]:
        """Hits in one text (``record`` is 0)."""
        return self.scan_batch([text])[0]

    def scan_batch(self, texts: Sequence[str]) -> list[list[Hit]]:
        """Hits per text for a batch of texts (one normalisation and one automaton pass)."""
        result: list[list[Hit]] = [[] for _ in texts]
        for rec, hits in self.scan_batch_sparse(texts).items():
            result[rec] = hits
        return result

    def scan_batch_sparse(self, texts: Sequence[str]) -> dict[int, list[Hit]]:
        """Like ``scan_batch`` but only the texts with hits: ``{index: hits}`` in index order."""
        return self._grouped(self.scan_batch_flat(texts))

    def scan_batch_flat(self, texts: Sequence[str], base: int = 0) -> list[_Flat]:
        """Hits of a batch of texts as ``scan_joined_flat`` tuples (``base`` + index in ``texts``)."""
        if self._ac is None or not texts:
            return []
        joined = BARRIER.join(texts)
        if joined.count(BARRIER) != len(texts) - 1:
            # A BARRIER inside a record would split it: replace it by a space (same length, noise).
            joined = BARRIER.join(t.replace(BARRIER, " ") for t in texts)
        return self.scan_joined_flat(joined, texts, base)

    def _grouped(self, flat: list[_Flat]) -> dict[int, list[Hit]]:
        out: dict[int, list[Hit]] = {}
        entries = self.entries
        for rec, entry_idx, spans, matched in flat:
            e = entries[entry_idx]
            out.setdefault(rec, []).append(Hit(rec, entry_idx, e.term, e.risks, spans, matched))
        return out

    def scan_joined_flat(self, joined: str, texts: Sequence[str] | None = None, base: int = 0) -> list[_Flat]:
        """Hits as ``(base + record, entry, spans, matched)`` tuples in record order.

        The scanner's form: a chunk of lines becomes ``joined`` with one ``str.replace`` and its
        hits cross process boundaries as these plain tuples.

        One pass maps the original characters straight to scan bytes (``codec``) and scans them.
        Matches of plain terms become hits directly; a record with any match that needs the
        acceptance rules is normalised and scanned again on its own (``_scan_checked``).
        """
        if self._ac is None:
            return []
        codes = to_codes(joined)
        data, lengths = self._codec.encode(codes)
        raw = self._ac.find_matches_as_indexes(data, overlapping=True)
        if not raw:
            return []
        arr = np.array(raw, dtype=np.int32)
        arr = arr[np.lexsort((arr[:, 2], arr[:, 1]))]  # text order, so record order too
        # int32 throughout: a batch is far below 2**31 characters, and searchsorted would convert
        # the whole running sum to the queries' type.
        ends = np.cumsum(lengths, dtype=np.int32)
        starts = char_index(ends, arr[:, 1])
        stops = char_index(ends, arr[:, 2] - 1) + 1
        # Record boundaries from the BARRIER bytes of the (short) scan code, not the code points.
        barriers = char_index(ends, np.flatnonzero(data == BARRIER_BYTE).astype(np.int32))
        recs = np.searchsorted(barriers, starts)
        rec_starts = np.concatenate(([0], barriers + 1))
        checked = np.unique(recs[~self._plain_np[arr[:, 0]]])
        if checked.size:
            keep = ~np.isin(recs, checked)
            arr, starts, stops, recs = arr[keep], starts[keep], stops[keep], recs[keep]
        offsets = rec_starts[recs]
        out = []
        append = out.append
        atom_entries = self._atom_entries
        for rec, r, atom_idx, sa, sb, a, b in zip(
            recs.tolist(),
            (recs + base).tolist(),
            arr[:, 0].tolist(),
            starts.tolist(),
            stops.tolist(),
            (starts - offsets).tolist(),
            (stops - offsets).tolist(),
            strict=True,
        ):
            span = ((a, b),)
            matched = (joined[sa:sb] if texts is None else texts[rec][a:b],)
            for entry_idx in atom_entries[atom_idx]:
                append((r, entry_idx, span, matched))
        if checked.size:
            order = checked.tolist()
            rec_ends = np.concatenate((barriers, [codes.size]))
            rtexts = [texts[r] if texts is not None else joined[int(rec_starts[r]) : int(rec_ends[r])] for r in order]
            out += self._scan_checked(order, rtexts, base)
            out.sort(key=_record)  # stable: keeps each record's hits in their order
        return out

    def _scan_checked(self, recs: list[int], rtexts: list[str], base: int) -> list[_Flat]:
        """Records scanned on their normal form, with the acceptance rules (``recs``: their numbers).

        The word-boundary rules are decided for all matches at once (numpy); only a match with a
        character deleted or expanded inside it is checked character by character (``_accept``).
        """
        # A BARRIER inside an original record is noise there, like the space that replaces it.
        norm = normalize_codes(BARRIER.join(t.replace(BARRIER, " ") for t in rtexts), records=True)
        data, lengths = self._codec.encode(norm.codes)
        arr = np.array(self._ac.find_matches_as_indexes(data, overlapping=True), dtype=np.int64).reshape(-1, 3)
        ends = np.cumsum(lengths, dtype=np.int64)
        ns = char_index(ends, arr[:, 1])
        ne = char_index(ends, arr[:, 2] - 1) + 1
        codes = norm.codes
        n = codes.size
        barriers = np.flatnonzero(codes == BARRIER_CP)
        origin = norm.origin_map
        word = np.take(tables().word, codes)
        # Steps of the offset map other than +1 (a deleted or an expanded character) before each
        # position: a match with none inside passes the inner rules whatever its entry.
        irregular = np.concatenate(([0], np.cumsum(np.diff(origin) != 1)))
        plain_inside = irregular[ne - 1] == irregular[ns]
        prev = np.maximum(ns - 1, 0)
        nxt = np.minimum(ne, n - 1)
        joined_before = (ns > 0) & word[ns] & word[prev] & (origin[prev] >= origin[ns] - 1)
        joined_after = (ne < n) & word[ne - 1] & word[nxt] & (origin[nxt] <= origin[ne - 1] + 1)
        verdict = np.where(plain_inside, np.where(joined_before | joined_after, 0, 1), 2).tolist()
        subs = np.searchsorted(barriers, ns)
        # Original offsets of the records: one past the original index of each barrier.
        rec_starts = np.concatenate(([0], origin[barriers] + 1))[subs]
        by_record: dict[int, list[tuple]] = defaultdict(list)
        for sub, m, s_, e_, a_, b_, v in zip(
            subs.tolist(),
            arr[:, 0].tolist(),
            ns.tolist(),
            ne.tolist(),
            (origin[ns] - rec_starts).tolist(),
            (origin[ne - 1] + 1 - rec_starts).tolist(),
            verdict,
            strict=True,
        ):
            by_record[sub].append((m, s_, e_, a_, b_, _VERDICT[v]))
        out: list[_Flat] = []
        for sub, matches in by_record.items():
            out += self._evaluate(base + recs[sub], matches, norm.text, origin, rtexts[sub])
        return out

    # -- per record -------------------------------------------------------------------------

    def _accept(self, ns: int, ne: int, exact: bool, gaps: frozenset[int], text: str, o: np.ndarray) -> bool:
        """The acceptance rules of the module docstring, character by character (``o``: offset map)."""
        word = self._word
        if ns > 0 and word[ord(text[ns])] and word[ord(text[ns - 1])] and o[ns - 1] >= o[ns] - 1:
            return False
        if ne < len(text) and word[ord(text[ne - 1])] and word[ord(text[ne])] and o[ne] <= o[ne - 1] + 1:
            return False
        for k in range(ns, ne - 1):
            if (
                o[k + 1] > o[k] + 1
                and (k - ns) not in gaps
                and (exact or (word[ord(text[k])] and word[ord(text[k + 1])]))
            ):
                return False
        return True

    def _evaluate(self, rec: int, matches: list[tuple], text: str, origin: np.ndarray, rtext: str) -> list[_Flat]:
        """Hits of one record from its matches ``(atom, ns, ne, start, end, verdict)``.

        ``ns, ne``: normalised span; ``start, end``: original span in the record; ``verdict``: the
        acceptance rules' result when no character was deleted inside, else ``None``.
        """
        roles = self._roles
        exact = self._exact
        needs = self._needs_check
        risks_of = self._risks
        allows: list[tuple[int, int, tuple[str, ...]]] = []
        terms: list[tuple[int, int, int, int, int]] = []  # ns, ne, entry, start, end
        rule_all: dict[int, dict[str, list[tuple[int, int, int, int]]]] = {}
        rule_none: set[int] = set()
        for atom_idx, ns, ne, a, b, verdict in matches:
            for entry_idx, role, gaps in roles[atom_idx]:
                if (exact[entry_idx] or needs[atom_idx]) and not (
                    verdict if verdict is not None else self._accept(ns, ne, exact[entry_idx], gaps, text, origin)
                ):
                    continue
                if role == _ROLE_TERM:
                    terms.append((ns, ne, entry_idx, a, b))
                elif role == _ROLE_ALLOW:
                    allows.append((ns, ne, risks_of[entry_idx]))
                elif role == _ROLE_ALL:
                    rule_all.setdefault(entry_idx, {}).setdefault(self._atoms[atom_idx], []).append((ns, ne, a, b))
                else:
                    rule_none.add(entry_idx)

        def suppressed(entry_idx: int, ns: int, ne: int) -> bool:
            risks = risks_of[entry_idx]
            return any(a <= ns and ne <= b and (not r or set(r) & set(risks)) for a, b, r in allows)

        hits: list[_Flat] = []
        terms.sort()
        for ns, ne, entry_idx, a, b in terms:
            if not (allows and suppressed(entry_idx, ns, ne)):
                hits.append((rec, entry_idx, ((a, b),), (rtext[a:b],)))
        for entry_idx, found in sorted(rule_all.items()):
            if entry_idx in rule_none:
                continue
            spans = []
            for atom in self._rule_atoms[entry_idx]:
                occ = sorted(o for o in found.get(atom, ()) if not (allows and suppressed(entry_idx, o[0], o[1])))
                if not occ:
                    break
                spans.append(occ[0][2:])
            else:
                hits.append((rec, entry_idx, tuple(spans), tuple(rtext[a:b] for a, b in spans)))
        return hits


_record = operator.itemgetter(0)
_VERDICT = (False, True, None)
_WORD_BYTES: bytearray | None = None
# Every word character (``normalize.is_word_char``) lies below U+1100; an atom without any such
# character needs no boundary check, which this C-speed search decides for most Chinese terms.
_MAYBE_WORD = re.compile("[\u0000-\u10ff]")


def _word_bytes() -> bytearray:
    global _WORD_BYTES
    if _WORD_BYTES is None:
        _WORD_BYTES = bytearray(tables().word.tobytes())
    return _WORD_BYTES


def compile_library(entries: Sequence[Entry]) -> KeywordMatcher:
    """Validate and compile a library; an empty library is an error a user can act on."""
    if not entries:
        raise ValidationError(N_("The keyword library is empty: import terms first."))
    return KeywordMatcher(entries)
