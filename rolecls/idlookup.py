"""Look up spaCy string ids (64-bit hashes) for whole arrays at once: a hash table and named word sets.

A Python ``dict`` lookup per token costs more than the rest of the per-token work; these tables
answer for every token of a batch in a few numpy operations.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import NamedTuple

import numpy
from spacy.strings import StringStore, get_string_id

# Memoised per-string values are dropped past this many strings, so that scoring millions of texts
# with ever new words keeps its memory bounded.
MEMO_LIMIT = 1_000_000


class IdTable:
    """A hash table from spaCy string ids (or other 64-bit keys) to integers, looked up for whole arrays.

    Open addressing with linear probing, at most a quarter full, so that most lookups end at the
    first slot; ``get`` probes all ids at once, one slot position per round. ``add`` inserts new keys.
    """

    def __init__(self, keys: numpy.ndarray, values: numpy.ndarray, default: int) -> None:
        self.default = default
        self.count = 0
        self._allocate(64)
        self.add(keys, values)

    def _allocate(self, size: int) -> None:
        self.mask = numpy.uint64(size - 1)
        self.keys = numpy.zeros(size, dtype=numpy.uint64)
        self.values = numpy.full(size, self.default, dtype=numpy.int64)
        self.used = numpy.zeros(size, dtype=bool)
        self.rounds = 1

    def add(self, keys: numpy.ndarray, values: numpy.ndarray | list[int]) -> None:
        """Insert keys that are not in the table yet (the first value of a key given twice)."""
        keys, first = numpy.unique(numpy.asarray(keys, dtype=numpy.uint64), return_index=True)
        values = numpy.asarray(values, dtype=numpy.int64)[first]
        size = len(self.keys)
        if 4 * (self.count + len(keys)) > size:
            while 4 * (self.count + len(keys)) > size:
                size *= 2
            old_keys, old_values = self.keys[self.used], self.values[self.used]
            self._allocate(size)
            self.count = 0
            self._place(old_keys, old_values)
        self._place(keys, values)

    def _place(self, keys: numpy.ndarray, values: numpy.ndarray) -> None:
        size = len(self.keys)
        home = (keys & self.mask).astype(numpy.int64)
        probe = numpy.zeros(len(keys), dtype=numpy.int64)
        waiting = numpy.arange(len(keys))
        while len(waiting):
            slots = (home[waiting] + probe[waiting]) & (size - 1)
            free = ~self.used[slots]
            taken, first_claim = numpy.unique(slots[free], return_index=True)  # one key per free slot
            placed = waiting[free][first_claim]
            self.used[taken] = True
            self.keys[taken] = keys[placed]
            self.values[taken] = values[placed]
            still = numpy.ones(len(waiting), dtype=bool)
            still[numpy.flatnonzero(free)[first_claim]] = False
            waiting = waiting[still]
            probe[waiting] += 1
        self.count += len(keys)
        self.rounds = max(self.rounds, int(probe.max(initial=0)) + 1)

    def find(self, ids: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The value of each id (``default`` where absent), and whether it is in the table."""
        ids = numpy.asarray(ids, dtype=numpy.uint64)
        slots = (ids & self.mask).astype(numpy.intp)
        # Most ids end at their first slot: that round works on whole arrays, the next ones on the rest.
        used = self.used[slots]
        present = used & (self.keys[slots] == ids)
        found = numpy.where(present, self.values[slots], self.default)
        pending = numpy.flatnonzero(used & ~present)
        for probe in range(1, self.rounds):
            if not len(pending):
                break
            probed = (slots[pending] + probe) & int(self.mask)
            used = self.used[probed]
            hit = used & (self.keys[probed] == ids[pending])
            found[pending[hit]] = self.values[probed[hit]]
            present[pending[hit]] = True
            pending = pending[used & ~hit]  # an empty slot ends the search
        return found, present

    def get(self, ids: numpy.ndarray) -> numpy.ndarray:
        """The value of each id, or ``default`` for ids not in the table."""
        return self.find(ids)[0]


class WordSets:
    """Named sets of strings, tested against arrays of spaCy string ids in one vectorised lookup.

    ``WordSets(end={".", "!"}, colon={":"})`` then ``sets.flags(ids)`` gives one bit per set for
    every id (``sets.bit("end")``); cheaper than one ``numpy.isin`` per set.
    """

    def __init__(self, **sets: Collection[str]) -> None:
        self.names = list(sets)
        self.sets = [frozenset(words) for words in sets.values()]
        bits: dict[int, int] = {}
        for number, words in enumerate(sets.values()):
            for word in words:
                key = get_string_id(word)
                bits[key] = bits.get(key, 0) | (1 << number)
        self.table = IdTable(numpy.array(list(bits), dtype=numpy.uint64), numpy.array(list(bits.values())), 0)

    def bit(self, name: str) -> int:
        return 1 << self.names.index(name)

    def flags(self, ids: numpy.ndarray) -> numpy.ndarray:
        """The bits of the sets that hold each id (0 for none)."""
        return self.table.get(ids)

    def flags_of(self, text: str) -> int:
        """The bits of the sets that hold ``text``."""
        return sum(1 << number for number, words in enumerate(self.sets) if text in words)


class Column(NamedTuple):
    """A per-string value kept by a :class:`Lexicon`: ``compute(strings, texts)`` gives the values of ``texts``."""

    name: str
    compute: Callable[[StringStore, list[str]], list[int]]
    dtype: type


class Lexicon:
    """Values computed once per string and kept in columns by row, for arrays of string ids.

    ``rows(strings, ids)`` finds every id's row with one vectorised lookup (new strings get new rows);
    ``column(spec, rows)`` gives a :class:`Column`'s values there, computing them for rows that have none
    yet. Several per-string values then cost one hash lookup per token instead of one each. The lexicon
    starts over for another ``StringStore`` and past ``MEMO_LIMIT`` strings; ``generation`` counts the
    starts, so that rows kept from before one can be told apart.
    """

    def __init__(self) -> None:
        self.generation = 0
        self._clear(None)

    def _clear(self, strings: StringStore | None) -> None:
        self.strings = strings
        self.index = IdTable(numpy.zeros(0, dtype=numpy.uint64), numpy.zeros(0, dtype=numpy.int64), -1)
        self.ids = numpy.zeros(64, dtype=numpy.uint64)
        self.count = 0
        self.columns: dict[str, tuple[numpy.ndarray, int]] = {}  # values (with room to grow), rows filled
        self.generation += 1

    def rows(self, strings: StringStore, ids: numpy.ndarray) -> numpy.ndarray:
        """The row of each id."""
        if strings is not self.strings or self.count > MEMO_LIMIT:
            self._clear(strings)
        ids = numpy.asarray(ids, dtype=numpy.uint64)
        rows, present = self.index.find(ids)
        if not present.all():
            new = numpy.unique(ids[~present])
            self.ids = with_room(self.ids, self.count + len(new))
            self.ids[self.count : self.count + len(new)] = new
            self.index.add(new, numpy.arange(self.count, self.count + len(new)))
            self.count += len(new)
            rows[~present] = self.index.get(ids[~present])
        return rows

    def column(self, spec: Column, rows: numpy.ndarray) -> numpy.ndarray:
        """The values of column ``spec`` at ``rows`` (rows of the current generation)."""
        values, filled = self.columns.get(spec.name, (None, 0))
        if values is None or filled < self.count:
            assert self.strings is not None
            texts = [self.strings[key] for key in self.ids[filled : self.count].tolist()]
            new: numpy.ndarray = numpy.array(spec.compute(self.strings, texts), dtype=spec.dtype)
            values = with_room(values if values is not None else numpy.zeros(64, dtype=spec.dtype), self.count)
            values[filled : self.count] = new
            self.columns[spec.name] = (values, self.count)
        return values[rows]


def with_room(values: numpy.ndarray, size: int) -> numpy.ndarray:
    """``values``, or a copy twice as large (zero-filled), so that it holds at least ``size`` entries."""
    if len(values) >= size:
        return values
    grown = numpy.zeros(max(size, 2 * len(values)), dtype=values.dtype)
    grown[: len(values)] = values
    return grown
