"""Characters to numbers, and the article's pre-RNN encodings (errata corrected)."""

import numpy as np
import pytest

from rnn_tui.engine.vocab import Vocab, bag_of_chars, pad_batch, sum_encoding, weighted_encoding

V = Vocab("acehktz")


def test_codes_follow_the_article_vocabulary():
    """a=0 c=1 e=2 h=3 k=4 t=5 z=6, so katze is 4 0 5 6 2 (the article's figure says 1 0 5 6 2)."""
    assert list(V.encode("cat")) == [1, 0, 5]
    assert list(V.encode("katze")) == [4, 0, 5, 6, 2]


@pytest.mark.parametrize("word,total,weighted", [
    ("cat", 6, 9), ("act", 6, 7), ("chat", 9, 25), ("katze", 17, 98), ("kat", 9, 21)])
def test_sum_and_weighted_encodings(word, total, weighted):
    """h = h + x cannot tell cat from act; h = 2h + x can (9 against 7); katze sums to 17."""
    codes = V.encode(word)
    assert sum_encoding(codes)[-1] == total
    assert weighted_encoding(codes)[-1] == weighted


def test_bags_of_characters():
    """cat's bag is [1,1,0,0,0,1,0]; its weighted bag is [2,4,0,0,0,1,0]."""
    assert bag_of_chars(V.onehot("cat"))[:, -1].tolist() == [1, 1, 0, 0, 0, 1, 0]
    assert bag_of_chars(V.onehot("cat"), 2)[:, -1].tolist() == [2, 4, 0, 0, 0, 1, 0]
    assert bag_of_chars(V.onehot("katze"), 2)[:, -1].tolist() == [8, 0, 1, 0, 16, 4, 2]


def test_unknown_characters_are_named():
    """Encoding a character outside the vocabulary says which one."""
    with pytest.raises(KeyError, match="'q'"):
        V.encode("qat")
    assert V.split_known("qat!") == ("at", [0, 3])


def test_padding_sides():
    """Left padding right-aligns words; right padding left-aligns them."""
    seqs = [np.array([1, 0, 5]), np.array([4, 0, 5, 6, 2])]
    assert pad_batch(seqs, pad=7).tolist() == [[7, 7, 1, 0, 5], [4, 0, 5, 6, 2]]
    assert pad_batch(seqs, pad=7, side="right")[0].tolist() == [1, 0, 5, 7, 7]
    with pytest.raises(ValueError):
        pad_batch(seqs, pad=7, length=3)


def test_vocab_from_words_is_sorted_and_unique():
    """The vocabulary of cat, chat, katze is the article's 'acehktz'."""
    assert Vocab.from_words(["cat", "chat", "katze"]).chars == "acehktz"
    with pytest.raises(ValueError):
        Vocab("aa")
