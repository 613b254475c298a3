from bot.references import ALPHABET, new_reference, normalise


def test_references_are_random_and_readable():
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    for ref in refs:
        assert ref.startswith("PD-") and len(ref) == 12
        assert set(ref[3:7] + ref[8:]) <= set(ALPHABET)
        assert not set("ILOU") & set(ref[3:])


def test_typed_references_are_read_forgivingly():
    assert normalise("my case is pd-7k3m-q9tx, thanks") == "PD-7K3M-Q9TX"
    assert normalise("PD 7K3M Q9TX") == "PD-7K3M-Q9TX"
    assert normalise("Re: [PD-7K3M-Q9TX] your request") == "PD-7K3M-Q9TX"
    assert normalise("PD-7K3M-Q9TO") == "PD-7K3M-Q9T0"   # O typed for zero


def test_no_reference_in_text():
    assert normalise("") is None
    assert normalise("PD-12-34") is None
    assert normalise("x" * 100_000) is None
