"""Characters to numbers: the article's sections 1.2 and 1.3.

A `Vocab` gives every character a consecutive integer from 0 (the article's
`{c: i for i, c in enumerate("acehktz")}`), turns a word into its integer
codes, and from there into one-hot column vectors.  The pre-RNN encodings the
article builds on the way to an RNN live here too: the order-blind sum
`h = h + x`, the order-aware `h = 2h + x`, the bag of characters and the
weighted bag.  Batches of codes are padded on the left (section 2.2.2) so
that the zero steps come before a word's first character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Vocab:
    """An ordered character set; a character's code is its position."""

    chars: str

    def __post_init__(self) -> None:
        if len(set(self.chars)) != len(self.chars):
            raise ValueError(f"vocabulary has repeated characters: {self.chars!r}")

    @classmethod
    def from_words(cls, words: Iterable[str]) -> Vocab:
        """The sorted set of characters used by `words`."""
        return cls("".join(sorted(set("".join(words)))))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char: str) -> bool:
        return char in self._index

    @property
    def _index(self) -> dict[str, int]:
        index = self.__dict__.get("_cached_index")
        if index is None:
            index = {c: i for i, c in enumerate(self.chars)}
            object.__setattr__(self, "_cached_index", index)
        return index

    def code(self, char: str) -> int:
        """The integer code of one character; KeyError if it is not in the vocabulary."""
        return self._index[char]

    def encode(self, word: str) -> np.ndarray:
        """Integer codes of a word, one per character (every character must be known)."""
        index = self._index
        unknown = [c for c in word if c not in index]
        if unknown:
            raise KeyError(f"characters not in the vocabulary: {''.join(dict.fromkeys(unknown))!r}")
        return np.fromiter((index[c] for c in word), dtype=np.int64, count=len(word))

    def split_known(self, word: str) -> tuple[str, list[int]]:
        """The word with unknown characters dropped, and the positions that were dropped."""
        index = self._index
        dropped = [i for i, c in enumerate(word) if c not in index]
        kept = "".join(c for c in word if c in index)
        return kept, dropped

    def onehot(self, word: str) -> np.ndarray:
        """One-hot columns of a word: shape (len(vocab), len(word)), column t is x_t."""
        x = np.zeros((len(self), len(word)))
        x[self.encode(word), np.arange(len(word))] = 1.0
        return x


# ----------------------------------------------------------------------------
# encodings before the RNN (sections 1.2 and 1.3)

def sum_encoding(codes: Sequence[int]) -> list[int]:
    """Running values of h = h + x: the order-blind sum; the last one encodes the word."""
    h, steps = 0, []
    for x in codes:
        h = h + int(x)
        steps.append(h)
    return steps


def weighted_encoding(codes: Sequence[int], scale: int = 2) -> list[int]:
    """Running values of h = scale*h + x: x_t ends up weighted by scale**(m-t)."""
    h, steps = 0, []
    for x in codes:
        h = scale * h + int(x)
        steps.append(h)
    return steps


def bag_of_chars(onehots: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Running h = scale*h + x_t over one-hot columns: (nfeatures, m) -> (nfeatures, m).

    scale 1 is the bag of characters, scale 2 the article's weighted bag; column
    t holds h_t, so the last column is the word's vector.
    """
    h = np.zeros(onehots.shape[0])
    steps = np.empty_like(onehots, dtype=float)
    for t in range(onehots.shape[1]):
        h = scale * h + onehots[:, t]
        steps[:, t] = h
    return steps


# ----------------------------------------------------------------------------
# padding a batch of words (section 2.2.2)

def pad_batch(seqs: Sequence[np.ndarray], pad: int, side: str = "left",
              length: int | None = None) -> np.ndarray:
    """Stack integer code sequences into a (batch, length) matrix filled with `pad`.

    Left padding (the default) right-aligns every word so its first character
    comes after the zero steps; `side="right"` left-aligns them.
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    longest = max((len(s) for s in seqs), default=0)
    length = longest if length is None else length
    if length < longest:
        raise ValueError(f"length {length} is shorter than the longest word ({longest})")
    X = np.full((len(seqs), length), pad, dtype=np.int64)
    for i, s in enumerate(seqs):
        if len(s):
            if side == "left":
                X[i, length - len(s):] = s
            else:
                X[i, :len(s)] = s
    return X
