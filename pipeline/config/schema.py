"""Run configuration: YAML files validated by pydantic models.

Unknown keys are errors (``extra="forbid"``) so a typo never silently falls back to a
default. ``ConfigError`` carries a message that names the offending key.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from pipeline.errors import UsageError
from pipeline.languages import DETECTABLE_LANGUAGES
from pipeline.storage.cache import cache_dir

ISO_LANGUAGE = r"^[a-z]{2,3}$"


class ConfigError(UsageError, ValueError):
    """A configuration that can't be used; the message names the key and what is wrong."""


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSpec(StrictModel):
    """A Hugging Face model: hub id plus, optionally, where it already lies on disk."""

    id: str = Field(description="Hub id, e.g. Helsinki-NLP/opus-mt-nl-en")
    revision: str | None = Field(default=None, description="Hub revision (branch, tag or sha)")
    path: Path | None = Field(default=None, description="Explicit local directory; wins")

    @property
    def name(self) -> str:
        """The part after the slash: the directory name under ``$BRIEFING_MODELS_DIR``."""
        return self.id.rsplit("/", 1)[-1]

    @field_validator("id")
    @classmethod
    def _id_is_safe(cls, value: str) -> str:
        parts = value.split("/")
        if not value or len(parts) > 2 or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"not a model id of the form 'owner/name': {value!r}")
        return value


class TranslationConfig(StrictModel):
    """Which MarianMT model translates which language, and how generation runs."""

    models: dict[str, ModelSpec] = Field(
        default_factory=lambda: {
            "nl": ModelSpec(id="Helsinki-NLP/opus-mt-nl-en"),
            "nb": ModelSpec(id="Helsinki-NLP/opus-mt-gmq-en"),
            "nn": ModelSpec(id="Helsinki-NLP/opus-mt-gmq-en"),
            "it": ModelSpec(id="Helsinki-NLP/opus-mt-it-en"),
        }
    )
    passthrough: list[str] = Field(
        default_factory=lambda: ["en"], description="Languages copied verbatim (English)"
    )
    num_beams: int = Field(
        default=4, ge=1, le=16, description="Beam width; 1 is greedy (fastest, a little worse)"
    )
    max_batch_tokens: int = Field(
        default=4096,
        ge=64,
        description="Token budget of one length-sorted batch (longest sentence x sentences)",
    )
    max_batch_sentences: int = Field(default=32, ge=1, description="Sentences in one batch")
    device: Literal["auto", "cpu", "cuda"] = "auto"
    precision: Literal["float32", "int8", "float16", "bfloat16"] = Field(
        default="float32",
        description="float32 (reference); int8: dynamic quantisation, CPU; float16/bfloat16: CUDA",
    )
    threads: int | Literal["auto"] | None = Field(
        default="auto",
        description="CPU threads (torch.set_num_threads): auto = physical cores, null = torch's",
    )
    workers: int | Literal["auto"] = Field(
        default="auto",
        description=(
            "Batches decoded side by side on a CPU, each on threads / workers threads: "
            "auto = one per thread up to 4"
        ),
    )
    max_loaded_models: int = Field(
        default=1,
        ge=1,
        description=(
            "Translation models held in memory at once (a float32 opus-mt model is about "
            "0.3 GB plus its working memory); languages are translated one after another, "
            "so 1 is enough for a run, more save reloading in a long-lived worker"
        ),
    )
    engine: Literal["transformers", "ctranslate2"] = Field(
        default="transformers",
        description='transformers (reference) or ctranslate2 (needs pip install -e ".[ct2]")',
    )

    @field_validator("threads")
    @classmethod
    def _threads_positive(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 1:
            raise ValueError("threads must be at least 1, 'auto' or null")
        return value

    @field_validator("workers")
    @classmethod
    def _workers_positive(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 1:
            raise ValueError("workers must be at least 1 or 'auto'")
        return value

    @model_validator(mode="after")
    def _precision_fits_device(self) -> TranslationConfig:
        if self.precision in ("float16", "bfloat16") and self.device == "cpu":
            raise ValueError(
                f"precision {self.precision} runs on CUDA only; on a CPU use float32 or int8"
            )
        if self.precision == "int8" and self.device == "cuda" and self.engine == "transformers":
            raise ValueError(
                "precision int8 (dynamic quantisation) runs on the CPU only with engine "
                "transformers; on CUDA use float16, or engine ctranslate2"
            )
        return self

    @field_validator("models")
    @classmethod
    def _languages_are_codes(cls, value: dict[str, ModelSpec]) -> dict[str, ModelSpec]:

        for code in value:
            if not re.match(ISO_LANGUAGE, code):
                raise ValueError(f"language {code!r} is not an ISO 639 code such as 'nl'")
            if code not in DETECTABLE_LANGUAGES:
                hint = " (Norwegian is 'nb' or 'nn')" if code == "no" else ""
                raise ValueError(
                    f"language {code!r} is never detected, so its model would never be "
                    f"used{hint}; detectable codes include nl, nb, nn, it, en, da, sv, de"
                )
        return value

    @field_validator("passthrough")
    @classmethod
    def _passthrough_codes(cls, value: list[str]) -> list[str]:

        for code in value:
            if not re.match(ISO_LANGUAGE, code):
                raise ValueError(f"language {code!r} is not an ISO 639 code such as 'en'")
        return value


class SummaryConfig(StrictModel):
    """How each source, and the overview, are summarised in English."""

    method: Literal["abstractive", "extractive"] = "abstractive"
    model: ModelSpec = Field(default_factory=lambda: ModelSpec(id="sshleifer/distilbart-cnn-12-6"))
    max_sentences: int = Field(default=3, ge=1, description="Extractive: sentences kept")
    # None: the model's own generation setting (distilbart-cnn: 142, 56, 4).
    max_length: int | None = Field(
        default=None, ge=8, description="Abstractive: summary tokens at most (None: model's)"
    )
    min_length: int | None = Field(
        default=None, ge=0, description="Abstractive: summary tokens at least (None: model's)"
    )
    num_beams: int | None = Field(default=None, ge=1, le=16)
    precision: Literal["float32", "int8", "float16", "bfloat16"] = "float32"
    engine: Literal["transformers", "ctranslate2"] = "transformers"
    # float32 on a CPU: "lean" (the default) packs the encoder for a call's encoding and
    # lets it go, then packs the decoder for its searches, so the two halves of the model
    # are never resident together (a briefing's summaries are one call: the same packing
    # work as "fast"); "fast" packs every weight once at loading and keeps it (all of the
    # model resident; a long-lived worker summarising often pays the packing once). Same
    # output either way.
    memory: Literal["fast", "lean"] = Field(
        default="lean",
        description="Abstractive, float32 CPU: 'lean' packs per phase, 'fast' once at loading",
    )


class ScheduleConfig(StrictModel):
    """A deployment that `briefing serve` runs on a cron schedule."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="Deployment name")
    cron: str = Field(description="Cron expression, e.g. '0 7 * * 1-5' (07:00 on weekdays)")
    timezone: str = "UTC"
    sources: list[str] | None = Field(default=None, description="Default: the config's")
    output_dir: str | None = None
    output_name: str | None = None
    only_new: bool = Field(default=True, description="Skip sources already briefed")

    @field_validator("cron")
    @classmethod
    def _cron_is_valid(cls, value: str) -> str:

        from cronsim import CronSim, CronSimError

        try:
            CronSim(value, datetime(2026, 1, 1))
        except CronSimError as error:
            raise ValueError(f"not a valid cron expression {value!r}: {error}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_is_known(cls, value: str) -> str:

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use e.g. 'Europe/Oslo')") from None
        return value


class RunnerConfig(StrictModel):
    """Where task runs execute: threads in the flow's process, or a Dask cluster."""

    kind: Literal["threads", "dask"] = "threads"
    max_workers: int = Field(default=4, ge=1, description="Threads: concurrent task runs")
    dask_address: str | None = Field(
        default=None, description="Dask: an existing scheduler, e.g. tcp://10.0.0.5:8786"
    )
    dask_workers: int = Field(default=2, ge=1, description="Dask: local cluster processes")
    model_concurrency: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Model-heavy task runs at once across all runs on the Prefect server (tag "
            "'briefing-model'); null: no limit. Each tagged task run then asks the server "
            "for a slot (about 2 s each on a small machine); within one process the engine "
            "already runs one translation at a time"
        ),
    )


class CacheConfig(StrictModel):
    """Persisted task results, so a rerun over unchanged sources does no model work."""

    enabled: bool = True
    dir: Path | None = Field(
        default=None,
        description="Default: $BRIEFING_CACHE_DIR, else $XDG_CACHE_HOME/briefing, "
        "else ~/.cache/briefing",
    )

    def location(self) -> Path:
        return self.dir if self.dir is not None else cache_dir()


class WebConfig(StrictModel):
    """Limits for URL and feed sources."""

    timeout: float = Field(default=20.0, gt=0, le=300, description="Seconds per request")
    max_bytes: int = Field(default=5_000_000, ge=1_000, description="Largest page fetched")
    retries: int = Field(default=2, ge=0, le=10, description="Retries of transient failures")


class FlagConfig(StrictModel):
    """When a source gets a quality flag."""

    min_confidence: float = Field(
        default=-1.0,
        le=0,
        description="Mean token log-probability of the translation below which it is flagged",
    )
    min_language_confidence: float = Field(
        default=0.8, ge=0, le=1, description="Language detection confidence below this is flagged"
    )
    min_length_ratio: float = Field(
        default=0.5, gt=0, description="English/source length ratio below this is odd"
    )
    max_length_ratio: float = Field(
        default=2.0, gt=0, description="English/source length ratio above this is odd"
    )
    min_ratio_chars: int = Field(
        default=30, ge=1, description="Sentences shorter than this are not judged by length"
    )
    min_copied_words: int = Field(
        default=3,
        ge=1,
        description="A sentence copied unchanged counts as untranslated from this many words "
        "(shorter ones are often names: 'NATO', 'Jens Stoltenberg')",
    )

    @model_validator(mode="after")
    def _ratio_bounds(self) -> FlagConfig:
        if self.min_length_ratio >= self.max_length_ratio:
            raise ValueError("min_length_ratio must be below max_length_ratio")
        return self


class SynthesisConfig(StrictModel):
    """How sources are grouped, how points are chosen, when sources are flagged."""

    group_threshold: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Cosine of two sources' weighted names, figures, dates and words "
        "(average over the groups) at or above which they are one story",
    )
    support_threshold: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="TF-IDF cosine of two sentences at or above which one supports the other",
    )
    max_points: int = Field(default=8, ge=1, le=50, description="Key points per group")
    max_per_source: int = Field(
        default=2, ge=1, le=50, description="Single-source points any one source may add"
    )
    min_point_words: int = Field(
        default=6, ge=1, description="Shorter sentences (headings, captions) are no points"
    )
    flags: FlagConfig = Field(default_factory=FlagConfig)


class BriefingConfig(StrictModel):
    """One briefing job: what to read, how to process it, where to write it."""

    title: str = "Briefing"
    sources: list[str] = Field(
        default_factory=list, description="Files, folders, glob patterns, URLs or feeds"
    )
    output_dir: Path = Path("outputs")
    output_name: str = Field(
        default="briefing",
        description="File stem; {date} becomes the run's UTC date (YYYY-MM-DD)",
    )
    formats: list[Literal["md", "html", "json"]] = Field(
        default_factory=lambda: ["md", "html", "json"]
    )
    only_new: bool = Field(
        default=False, description="Skip sources already briefed under this output name"
    )
    translation: TranslationConfig = Field(default_factory=TranslationConfig)
    summary: SummaryConfig = Field(default_factory=SummaryConfig)
    runner: RunnerConfig = Field(default_factory=RunnerConfig)
    cache: CacheConfig = Field(default_factory=CacheConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    schedules: list[ScheduleConfig] = Field(default_factory=list)
    synthesis: SynthesisConfig = Field(default_factory=SynthesisConfig)
    glossary: Path | None = Field(
        default=None, description="YAML of preferred English renderings (configs/glossary.yaml)"
    )

    @field_validator("output_name")
    @classmethod
    def _placeholders_are_known(cls, value: str) -> str:

        if not re.fullmatch(r"[A-Za-z0-9{][A-Za-z0-9._{}-]{0,99}", value):
            raise ValueError(
                f"{value!r} is not a file name stem: use letters, digits, '.', '_' and '-' "
                "(and {date}), start with a letter or digit, at most 100 characters, "
                "no '/' (the folder is --output-dir / output_dir)"
            )
        unknown = set(re.findall(r"{([^}]*)}", value)) - {"date"}
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; only {{date}} is known")
        return value

    def resolved_output_name(self, when: datetime | None = None) -> str:
        """``output_name`` with ``{date}`` filled in."""
        moment = when or datetime.now(UTC)
        return self.output_name.replace("{date}", moment.strftime("%Y-%m-%d"))

    def model_specs(self) -> dict[str, ModelSpec]:
        """Every distinct model the config can use, keyed by hub id."""
        specs = {spec.id: spec for spec in self.translation.models.values()}
        if self.summary.method == "abstractive":
            specs[self.summary.model.id] = self.summary.model
        return specs


def is_url(text: str) -> bool:

    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text))
