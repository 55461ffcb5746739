"""Look up spaCy string ids (64-bit hashes) for whole arrays at once: a hash table and named word sets.

A Python ``dict`` lookup per token costs more than the rest of the per-token work; these tables
answer for every token of a batch in a few numpy operations.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy
from spacy.strings import StringStore, get_string_id

# Memoised per-string values are dropped past this many strings, so that scoring millions of texts
# with ever new words keeps its memory bounded.
MEMO_LIMIT = 1_000_000


class IdTable:
    """A hash table from spaCy string ids (or other 64-bit keys) to integers, looked up for whole arrays.

    Open addressing with linear probing, at most a quarter full, so that most lookups end at the
    first slot; ``get`` probes all ids at once, one slot position per round.
    """

    def __init__(self, keys: numpy.ndarray, values: numpy.ndarray, default: int) -> None:
        keys, first = numpy.unique(numpy.asarray(keys, dtype=numpy.uint64), return_index=True)
        values = numpy.asarray(values, dtype=numpy.int64)[first]
        size = 64
        while size < 4 * len(keys):
            size *= 2
        self.mask = numpy.uint64(size - 1)
        self.default = default
        self.keys = numpy.zeros(size, dtype=numpy.uint64)
        self.values = numpy.full(size, default, dtype=numpy.int64)
        self.used = numpy.zeros(size, dtype=bool)
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
        self.rounds = int(probe.max(initial=0)) + 1

    def get(self, ids: numpy.ndarray) -> numpy.ndarray:
        """The value of each id, or ``default`` for ids not in the table."""
        ids = numpy.asarray(ids, dtype=numpy.uint64)
        found = numpy.full(len(ids), self.default, dtype=numpy.int64)
        home = (ids & self.mask).astype(numpy.int64)
        pending = numpy.arange(len(ids))
        for probe in range(self.rounds):
            slots = (home[pending] + probe) & int(self.mask)
            used = self.used[slots]
            hit = used & (self.keys[slots] == ids[pending])
            found[pending[hit]] = self.values[slots[hit]]
            pending = pending[used & ~hit]  # an empty slot ends the search
            if not len(pending):
                break
        return found


class WordSets:
    """Named sets of strings, tested against arrays of spaCy string ids in one vectorised lookup.

    ``WordSets(end={".", "!"}, colon={":"})`` then ``sets.flags(ids)`` gives one bit per set for
    every id (``sets.bit("end")``); cheaper than one ``numpy.isin`` per set.
    """

    def __init__(self, **sets: Collection[str]) -> None:
        self.names = list(sets)
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


class StringMemo(dict):
    """An integer computed once per string and remembered by string id, answered for arrays of ids.

    ``compute(strings, text)`` gives the value of ``text``; ids are resolved in the ``StringStore``
    passed to ``lookup``. The memo starts over for another store, and past ``MEMO_LIMIT`` strings.
    """

    def __init__(self, compute: Callable[[StringStore, str], int], dtype: type = numpy.int64) -> None:
        super().__init__()
        self.compute = compute
        self.dtype = dtype
        self.strings: StringStore | None = None

    def lookup(self, strings: StringStore, ids: numpy.ndarray) -> numpy.ndarray:
        """The value of the string behind each id, as an array of ``dtype``."""
        if strings is not self.strings or len(self) > MEMO_LIMIT:
            self.clear()
            self.strings = strings
        return numpy.fromiter(map(self.__getitem__, ids.tolist()), dtype=self.dtype, count=len(ids))

    def __missing__(self, key: int) -> int:
        assert self.strings is not None
        value = self[key] = self.compute(self.strings, self.strings[key])
        return value
