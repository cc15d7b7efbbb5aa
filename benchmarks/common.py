"""Set-up the translation benchmarks share (translation.py, tc_big.py, flow.py): the
samples' sentences, opus-mt-shaped random-weight models that emit a fixed number of
tokens, and the process's memory as Linux reports it. One copy, so the three measure the
same inputs the same way. Imported by the scripts as a sibling (``python benchmarks/x.py``
puts this folder first on the path)."""

from __future__ import annotations

from pathlib import Path

from pipeline.config.load import load_config
from pipeline.models.tiny import OPUS_MT_ARCH, OPUS_MT_NL_EN_VOCAB, build_tiny_marian, default_texts


def sample_sentences() -> list[str]:
    """Every distinct sentence of the sample corpus, through the project's own front half
    (distinct: a naive loop would not deduplicate)."""
    from pipeline.documents.prepare import prepare_source
    from pipeline.sources.discover import discover_sources

    config = load_config()
    sentences: list[str] = []
    for source in discover_sources(config.sources):
        sentences += [
            segment.text for segment in prepare_source(source, config.translation).segments
        ]
    return list(dict.fromkeys(sentences))


def fixed_length_marian(
    target: Path,
    model_id: str,
    tokens: int,
    arch: dict | None = None,
    model_vocab_size: int | None = OPUS_MT_NL_EN_VOCAB,
) -> Path:
    """A random-weight Marian model in ``target`` with ``arch`` (default: opus-mt's) that
    emits exactly ``tokens`` tokens and ``</s>`` per sentence; one built before for the
    same count is reused. ``model_vocab_size``: the embedding's size (None: the
    architecture's own)."""
    marker = target / "generation_config.json"
    if marker.is_file() and f'"min_new_tokens": {tokens},' in marker.read_text():
        return target
    print(
        f"building a {target.name}-shaped model (random weights) in {target.parent} ...", flush=True
    )
    return build_tiny_marian(
        target,
        default_texts(),
        vocab_size=8000,
        arch=arch or OPUS_MT_ARCH,
        model_vocab_size=model_vocab_size,
        min_new_tokens=tokens,
        model_id=model_id,
    )


def proc_status(field: str) -> int:
    """A field of /proc/self/status in bytes (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak_rss() -> None:
    """Start a new peak-RSS window (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
