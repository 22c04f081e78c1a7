"""Model files: round trip, atomic writes, and refusal of anything broken or pickled."""

import json
import pickle
import zipfile

import numpy as np
import pytest

from rnn_tui import model as modelfile
from rnn_tui.engine import rnn
from rnn_tui.engine.vocab import Vocab
from rnn_tui.model import ModelError

LANGS = ("English", "French", "German")


def make(tmp_path, bias=False, name="m.npz"):
    P = rnn.init_params(7, 4, 3, seed=1, bias=bias)
    path = modelfile.save(tmp_path / name, P, Vocab("acehktz"), LANGS, {"note": "test"})
    return path, P


@pytest.mark.parametrize("bias", [False, True])
def test_round_trip(tmp_path, bias):
    """What is saved loads back identically, with its metadata."""
    path, P = make(tmp_path, bias)
    m = modelfile.load(path)
    assert set(m.params) == set(P) and all(np.array_equal(m.params[k], P[k]) for k in P)
    assert m.vocab.chars == "acehktz" and m.languages == LANGS
    assert m.meta["note"] == "test" and m.meta["format_version"] == modelfile.FORMAT_VERSION
    assert m.meta["nhidden"] == 4 and m.meta["bias"] is bias


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    """A failing write keeps the old file intact and cleans up its temporary file."""
    path, _ = make(tmp_path)
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError):
        make(tmp_path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_truncated_and_garbage_files_are_refused(tmp_path):
    """Half a file, or random bytes, give a one-line 'truncated or corrupted' error."""
    path, _ = make(tmp_path)
    raw = path.read_bytes()
    (tmp_path / "half.npz").write_bytes(raw[: len(raw) // 2])
    (tmp_path / "junk.npz").write_bytes(b"\x00\x01garbage" * 10)
    for bad in ("half.npz", "junk.npz"):
        with pytest.raises(ModelError) as e:
            modelfile.load(tmp_path / bad)
        assert "\n" not in str(e.value) and ("corrupted" in str(e.value) or "not an rnn-tui model" in str(e.value))


def test_a_pickle_payload_is_refused_without_running_it(tmp_path):
    """A pickle that would run code on load is rejected, and its code never runs."""
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    (tmp_path / "evil.npz").write_bytes(pickle.dumps(Exploit()))
    with pytest.raises(ModelError, match="pickled data, which rnn-tui never loads"):
        modelfile.load(tmp_path / "evil.npz")
    path, P = make(tmp_path)                     # an object array in place of W, in a real archive
    meta = modelfile.load(path).meta
    blob = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with zipfile.ZipFile(path, "w") as z:
        for k, v in {**P, "W": np.array([Exploit()] * 16, dtype=object).reshape(4, 4),
                     modelfile.META_KEY: blob}.items():
            with z.open(f"{k}.npy", "w") as f:
                np.lib.format.write_array(f, v, allow_pickle=True)
    with pytest.raises(ModelError, match="W holds object values, not the numbers a model has"):
        modelfile.load(path)
    assert not marker.exists()


def _rewrite(path, arrays, meta):
    blob = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays, **{modelfile.META_KEY: blob})


def test_mismatched_contents_are_refused(tmp_path):
    """Shapes that contradict the metadata, NaNs, missing metadata, a future format."""
    path, P = make(tmp_path)
    meta = modelfile.load(path).meta
    cases = [
        ({**P, "V": np.zeros((5, 4), np.float32)}, meta, r"V is \(5, 4\), but the metadata implies \(3, 4\)"),
        ({**P, "W": np.full((4, 4), np.nan, np.float32)}, meta, "NaN or infinite"),
        ({k: v for k, v in P.items() if k != "U"}, meta, r"holds arrays \['V', 'W'\], but the rnn cell's model has"),
        (P, {**meta, "format_version": 99}, "model format 99, but this rnn-tui reads format 1"),
        (P, {k: v for k, v in meta.items() if k != "vocab"}, "its vocabulary is not a string"),
    ]
    for arrays, m, message in cases:
        _rewrite(tmp_path / "x.npz", arrays, m)
        with pytest.raises(ModelError, match=message):
            modelfile.load(tmp_path / "x.npz")
    np.savez(tmp_path / "plain.npz", W=np.eye(2))
    with pytest.raises(ModelError, match="no metadata"):
        modelfile.load(tmp_path / "plain.npz")
    with pytest.raises(ModelError, match="no such model file"):
        modelfile.load(tmp_path / "missing.npz")


def test_reading_a_name_folds_drops_and_cuts(tmp_path):
    """Accents fold, unknown characters drop (and are reported), long input is cut at 64."""
    path, _ = make(tmp_path)
    m = modelfile.load(path)
    r = m.read("Çatzé!")
    assert r.folded == "catze!" and r.used == "catze" and r.dropped == ((5, "!"),)
    assert ("Ç", "c") in r.changed and ("é", "e") in r.changed
    assert r.trace.probs.shape == (5, 3)
    assert [lang for lang, _ in r.top(m.languages, 2)] == [m.languages[i] for i in np.argsort(-r.trace.final_probs)[:2]]
    long = m.read("cat" * 30)
    assert long.truncated and len(long.used) == modelfile.MAX_NAME
    empty = m.read("123 !!")
    assert empty.trace is None and empty.top(m.languages) == []


def test_shipped_pretrained_model_loads_and_classifies():
    """The pretrained names model loads and puts a Greek name first as Greek."""
    from rnn_tui.resources import pretrained_model

    m = modelfile.load(pretrained_model())
    assert len(m.languages) >= 16
    assert m.read("Papadopoulos").top(m.languages, 1)[0][0] == "Greek"


def test_influence_sums_to_the_final_probability_gain(tmp_path):
    """Per-character changes of the predicted class add up to its final probability minus the start."""
    path, _ = make(tmp_path)
    m = modelfile.load(path)
    r = m.read("katze")
    gain = r.influence()
    c = int(np.argmax(r.trace.final_probs))
    assert gain.shape == (5,)
    assert gain.sum() == pytest.approx(r.trace.final_probs[c] - 1 / 3)
    assert m.read("!!").influence().size == 0
