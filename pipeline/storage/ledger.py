"""What has been briefed already, so a scheduled run over an inbox or a feed briefs only
what is new and says what it left out.

The ledger is a small JSON file per output name, keyed by a hash of each source's cleaned
text (a re-downloaded or renamed copy of an article is still the same article). It is
written atomically, after the briefing itself, so a crash can at worst brief an item
twice, never lose one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline.storage.atomic import atomic_write_text
from pipeline.text import content_hash
from pipeline.types import SourceReport, Status

LEDGER_DIR = ".briefing-ledger"


@dataclass
class Ledger:
    path: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, output_dir: Path, name: str) -> Ledger:
        path = Path(output_dir) / LEDGER_DIR / f"{name}.json"
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            entries = {}
        except (OSError, ValueError) as error:
            raise ValueError(
                f"the ledger of briefed sources {path} can't be read ({error}); move it away "
                "to start afresh (every source will then count as new)"
            ) from error
        return cls(path, entries if isinstance(entries, dict) else {})

    @classmethod
    def of(cls, output_dir: Path, output_name: str) -> Ledger:
        """The ledger of an output name as configured ("daily-{date}" -> "daily-date"), so
        the dated briefings of one schedule share what they have already briefed."""
        return cls.load(output_dir, re.sub(r"[{}]", "", output_name))

    def seen(self, text: str) -> dict[str, str] | None:
        """When and as what this content was briefed, or None if it is new."""
        return self.entries.get(content_hash(text))

    def briefed_before(self, text: str) -> str | None:
        """Why this content is skipped now ("already briefed on <when> (as <id>)"), or None."""
        seen = self.seen(text)
        return f"already briefed on {seen['briefed_at']} (as {seen['id']})" if seen else None

    def record(self, text: str, source_id: str, path: str, when: datetime | None = None) -> None:
        moment = (when or datetime.now(UTC)).isoformat(timespec="seconds")
        self.entries.setdefault(
            content_hash(text), {"id": source_id, "path": path, "briefed_at": moment}
        )

    def record_briefed(self, reports: Sequence[SourceReport]) -> None:
        """Remember the sources a briefing briefed (``ok``), then save."""
        for report in reports:
            if report.status is Status.OK:
                self.record(report.text, report.id, report.path)
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps(self.entries, indent=1, sort_keys=True))
