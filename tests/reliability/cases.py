"""The catalogue of bad inputs and injected faults the reliability tests put Briefing through.

Each ``BadInput`` writes its input into a folder and says what the briefing must report
for every source it produces: the status, and a fragment of the message. The same
catalogue drives the pipeline-level tests (every case), the one run of the real flow (the
cases marked ``in_flow``) and the figures in docs/reliability.md.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"


def sample(prefix: str) -> str:
    [path] = SAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


Check = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Expected:
    """What the briefing must say about one source (found by its ``path``)."""

    path: str
    status: str  # "ok", "skipped" or "failed"
    message: str | None = None  # a fragment of ``error``; None: there must be no error
    check: Check | None = None  # more checks on the source's JSON record


@dataclass(frozen=True)
class Built:
    given: list[Path]  # what is handed to Briefing (files, folders)
    expected: list[Expected]


@dataclass(frozen=True)
class BadInput:
    name: str
    description: str
    build: Callable[[Path], Built]
    in_flow: bool = True  # part of the mix that goes through the real flow
    tags: tuple[str, ...] = field(default_factory=tuple)


def _file(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _one(
    name: str,
    data: str | bytes,
    status: str,
    message: str | None = None,
    check: Check | None = None,
) -> Callable[[Path], Built]:
    def build(folder: Path) -> Built:
        path = _file(folder, name, data)
        return Built([path], [Expected(str(path), status, message, check)])

    return build


# --- texts ------------------------------------------------------------------------------

CP1252_TEXT = (
    "De minister zei: “We investeren €5 miljoen in de coördinatie van het beleid — dat is "
    "één stap.” Het kabinet is het eens over de café’s in de binnenstad.\n\n"
    "De gemeenteraad vergadert volgende week opnieuw over het plan en de financiën.\n"
)
CP1252_CHARACTERS = ("€", "“", "”", "—", "ö", "é", "’", "ë")

LATIN1_TEXT = (
    "Il governo ha deciso: la città di Forlì avrà più fondi per l'università. È una novità "
    "per la società civile, ha detto il ministro. Perché così si può crescere.\n"
)
LATIN1_CHARACTERS = ("à", "ì", "ù", "È", "é", "ò")

INVALID_UTF8 = (
    "Het kabinet heeft besloten de steun aan Oekraïne te verhogen. Het café ".encode()
    + b"\xff"
    + b" in de binnenstad bleef open. De minister zei dat de "
    + b"\xc3"  # a truncated two-byte sequence
    + " coördinatie beter moet en dat het parlement volgende week stemt.\n".encode()
)

GERMAN = (
    "Die Bundesregierung hat am Mittwoch beschlossen, die Hilfe für die Ukraine deutlich zu "
    "erhöhen. Der Kanzler sagte, Deutschland werde seine Verantwortung in Europa wahrnehmen "
    "und die Zusammenarbeit mit den Partnern weiter stärken.\n"
)
SWEDISH = (
    "Regeringen beslutade på onsdagen att kraftigt öka stödet till Ukraina. Statsministern "
    "sade att Sverige kommer att ta sitt ansvar i Europa och fortsätta att stärka samarbetet "
    "med sina partner inom försvaret.\n"
)
DANISH = (
    "Regeringen besluttede onsdag at øge støtten til Ukraine betydeligt. Statsministeren "
    "sagde, at Danmark vil tage sit ansvar i Europa og fortsat styrke samarbejdet med sine "
    "partnere. Det er meget vigtigt for os, efter hvad der er sket, sagde hun.\n"
)

DUTCH_ARTICLE = (
    "De gemeenteraad van Utrecht heeft dinsdagavond ingestemd met een nieuw plan voor de "
    "binnenstad. Vanaf volgend jaar mogen er overdag geen auto's meer rijden in het centrum.\n\n"
    "De wethouder zei dat de maatregel de luchtkwaliteit moet verbeteren. Ondernemers zijn "
    "verdeeld: sommigen vrezen minder klanten, anderen verwachten juist meer bezoekers.\n"
)
# The same article as another tool saved it: a BOM, Windows line ends, extra blank lines.
DUTCH_ARTICLE_COPY = (
    b"\xef\xbb\xbf" + DUTCH_ARTICLE.replace("\n\n", "\n\n\n").replace("\n", "\r\n").encode()
)

ENGLISH_ARTICLE = (
    "The city council of Leeds voted on Tuesday to close the city centre to cars during the "
    "day from next year. The council leader said the measure would improve air quality.\n\n"
    "Shop owners are divided: some fear fewer customers, others expect more visitors on foot.\n"
)

HTML_SECRETS = (
    "SECRET-STYLE",
    "SECRET-SCRIPT",
    "SECRET-INLINE-SCRIPT",
    "SECRET-NAV",
    "SECRET-ROLE-NAV",
    "SECRET-MENU-CLASS",
    "SECRET-NOSCRIPT",
)
HTML_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><title>Kabinet verhoogt steun aan Oekraïne</title>
<style>body { color: red } .SECRET-STYLE { display: none }</style>
<script>var tracking = "SECRET-SCRIPT"; document.write("SECRET-SCRIPT");</script>
</head><body>
<nav><ul><li><a href="/">Home SECRET-NAV</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div role="navigation"><a href="/binnenland">Binnenland SECRET-ROLE-NAV</a></div>
<ul class="menu main-menu"><li><a href="/buitenland">Buitenland SECRET-MENU-CLASS</a></li></ul>
<noscript>Zet JavaScript aan SECRET-NOSCRIPT</noscript>
<article>
<h1>Kabinet verhoogt steun aan Oekraïne</h1>
<p>Het kabinet heeft woensdag besloten de steun aan Oekraïne fors te verhogen. De
minister-president zei dat Nederland zijn verantwoordelijkheid in Europa neemt.</p>
<script>console.log("SECRET-INLINE-SCRIPT")</script>
<p>De Tweede Kamer debatteert volgende week over het besluit. Verschillende partijen hebben
al laten weten dat zij het plan steunen, maar willen meer duidelijkheid over de kosten.</p>
</article>
</body></html>
"""

# Strings that must never reach the HTML briefing as markup.
HOSTILE_PAYLOADS = (
    '<script>alert("xss")</script>',
    '<img src=x onerror="alert(1)">',
    "</details></section><h1>Injected heading</h1>",
    '"><svg onload=alert(2)>',
    '<a href="javascript:alert(3)">click</a>',
    "<!-- comment --><iframe src=//evil.example></iframe>",
    "{{ 7*7 }} {% raw %}",
)
HOSTILE_TEXT = (
    '<script>alert("title")</script> Council approves the new harbour plan\n\n'
    + "The harbour council approved the plan on Monday after a long debate. "
    + " ".join(f"A reader wrote {payload} in the comments." for payload in HOSTILE_PAYLOADS)
    + "\n\nThe work starts in spring and should take two years, the council said.\n"
)


# --- checks on a source's JSON record ---------------------------------------------------


def _has_characters(*characters: str) -> Check:
    def check(record: dict[str, Any]) -> None:
        for character in characters:
            assert character in record["text"], (character, record["text"][:200])
        assert "\ufffd" not in record["text"]

    return check


def _invalid_bytes_replaced(record: dict[str, Any]) -> None:
    assert record["text"].count("\ufffd") == 2, record["text"]
    assert "Oekraïne" in record["text"] and "coördinatie" in record["text"]


def _language(code: str, mixed: bool = False) -> Check:
    def check(record: dict[str, Any]) -> None:
        assert record["language"] == code, record["language"]
        assert record["mixed_language"] is mixed

    return check


def _no_html_secrets(record: dict[str, Any]) -> None:
    everything = repr(record)
    for secret in HTML_SECRETS:
        assert secret not in everything, secret
    assert "fors te verhogen" in record["text"]
    # The title, or, once translated into English, the original kept beside it.
    assert "Kabinet verhoogt steun aan Oekraïne" in (record["title"], record["original_title"])


def _safe_id(record: dict[str, Any]) -> None:
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", record["id"]), record["id"]


def _long_line_kept(record: dict[str, Any]) -> None:
    assert record["language"] == "nl"
    assert len(record["text"]) == 200_000
    assert len(record["sentences"]) > 1  # cut into pieces the splitter and model can take


# --- builders for the cases that are not one plain file ----------------------------------


def long_line() -> str:
    """200,000 characters of Dutch words on one line, without a single punctuation mark."""
    words = re.sub(r"[^\w\s]", " ", sample("000")).split()
    text = " ".join(words * (200_000 // len(" ".join(words)) + 1))[:200_000]
    return text[:-1] + "x" if text.endswith(" ") else text


def ten_megabytes() -> bytes:
    article = (sample("000") + "\n\n").encode()
    return article * (10_000_000 // len(article) + 1)


def random_bytes(no_nul: bool = False) -> bytes:
    generator = random.Random(6)
    low = 1 if no_nul else 0
    return bytes(generator.randrange(low, 256) for _ in range(4096))


def _mixed_language() -> str:
    dutch = [p for p in sample("000").split("\n\n") if len(p) > 150]
    english = [p for p in sample("003").split("\n\n") if len(p) > 150]
    paragraphs = [p for pair in zip(dutch[:3], english[:3], strict=True) for p in pair]
    return "\n\n".join(paragraphs) + "\n"


def _duplicate(folder: Path) -> Built:
    original = _file(folder, "dup-original.txt", DUTCH_ARTICLE)
    copy = _file(folder, "dup-copy.txt", DUTCH_ARTICLE_COPY)
    return Built(
        [original, copy],
        [
            Expected(str(original), "ok", None, _language("nl")),
            Expected(str(copy), "skipped", "duplicate of dup-original"),
        ],
    )


def _symlink_loop(folder: Path) -> Built:
    loop = folder / "loop"
    inside = _file(loop, "inside.txt", ENGLISH_ARTICLE)
    (loop / "self").symlink_to(loop, target_is_directory=True)
    (loop / "sub").mkdir()
    (loop / "sub" / "back").symlink_to(loop, target_is_directory=True)
    return Built([loop], [Expected(str(inside), "ok", None, _language("en"))])


def _fifo(folder: Path) -> Built:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return Built([path], [Expected(str(path), "failed", "not a regular file")])


def _directory_named_txt(folder: Path) -> Built:
    path = folder / "directory.txt"
    _file(path, "notes.bin", b"\x00\x01")
    return Built([path], [Expected(str(path), "failed", "is a directory")])


def _empty_folder(folder: Path) -> Built:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "empty-folder"
    path.mkdir()
    return Built([path], [Expected(str(path), "failed", "holds no files Briefing reads")])


def _missing(folder: Path) -> Built:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "missing.txt"
    return Built([path], [Expected(str(path), "failed", "file not found")])


def _broken_symlink(folder: Path) -> Built:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "broken.txt"
    path.symlink_to(folder / "deleted-long-ago.txt")
    return Built([path], [Expected(str(path), "failed", "file not found")])


def many_files(folder: Path, count: int) -> list[Path]:
    """``count`` small, distinct English reports in one folder."""
    target = folder / f"many-{count}"
    target.mkdir(parents=True)
    paths = []
    for number in range(count):
        paths.append(
            _file(
                target,
                f"report {number:04d}.txt",
                f"Report number {number}: the harbour council met on day {number} and agreed "
                f"to repair pier {number % 97} before the winter storms arrive.\n",
            )
        )
    return paths


def _many_files(folder: Path) -> Built:
    paths = many_files(folder, 2000)
    return Built([paths[0].parent], [Expected(str(p), "ok", None) for p in paths])


BAD_INPUTS: tuple[BadInput, ...] = (
    BadInput("empty", "an empty file", _one("empty.txt", b"", "skipped", "empty file")),
    BadInput(
        "whitespace",
        "a file of whitespace only",
        _one("blank.txt", " \n\t\r\n\u3000\n", "skipped", "only whitespace"),
    ),
    BadInput(
        "png",
        "a PNG image named .txt",
        _one("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "failed", "PNG image"),
    ),
    BadInput(
        "pdf",
        "a PDF document named .txt",
        _one(
            "report.txt",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20,
            "failed",
            "PDF document",
        ),
    ),
    BadInput(
        "random_bytes",
        "4 KB of random bytes",
        _one("noise.txt", random_bytes(), "failed", "binary"),
    ),
    BadInput(
        "random_bytes_without_nul",
        "4 KB of random bytes without a NUL byte",
        _one("noise-no-nul.txt", random_bytes(no_nul=True), "failed", "cannot decode text"),
    ),
    BadInput(
        "cp1252",
        "cp1252 text (Windows quotes, euro sign, accents)",
        _one(
            "windows.txt",
            CP1252_TEXT.encode("cp1252"),
            "ok",
            None,
            _has_characters(*CP1252_CHARACTERS),
        ),
    ),
    BadInput(
        "latin1",
        "latin-1 text",
        _one(
            "latin.txt",
            LATIN1_TEXT.encode("latin-1"),
            "ok",
            None,
            _has_characters(*LATIN1_CHARACTERS),
        ),
    ),
    BadInput(
        "utf16",
        "UTF-16 text with a byte-order mark",
        _one("utf16.txt", LATIN1_TEXT.encode("utf-16"), "ok", None, _has_characters("città")),
        in_flow=False,  # the flow's time goes to ok sources: these are covered by cp1252
    ),
    BadInput(
        "invalid_utf8",
        "UTF-8 with invalid bytes",
        _one("invalid-utf8.txt", INVALID_UTF8, "ok", None, _invalid_bytes_replaced),
    ),
    BadInput(
        "ten_megabytes",
        "a 10 MB text",
        _one("huge.txt", ten_megabytes(), "failed", "file too large"),
    ),
    BadInput(
        "long_line",
        "one 200,000-character line without punctuation",
        _one("one-long-line.txt", long_line(), "ok", None, _long_line_kept),
        in_flow=False,  # fine in the flow, but 20 s of tiny-model generation
    ),
    BadInput(
        "german",
        "German (no model configured)",
        _one("german.txt", GERMAN, "skipped", "German (de)"),
    ),
    BadInput(
        "swedish",
        "Swedish (no model configured)",
        _one("swedish.txt", SWEDISH, "skipped", "Swedish (sv)"),
    ),
    BadInput(
        "danish",
        "Danish (no model configured)",
        _one("danish.txt", DANISH, "skipped", "Danish (da)"),
    ),
    BadInput(
        "mixed_language",
        "Dutch and English paragraphs in one file",
        _one("mixed.txt", _mixed_language(), "ok", None, _language("nl", mixed=True)),
    ),
    BadInput(
        "html_script_style_nav",
        "HTML with `<script>`, `<style>`, `<noscript>` and navigation menus",
        _one("page.html", HTML_PAGE, "ok", None, _no_html_secrets),
    ),
    BadInput(
        "html_without_text",
        "HTML with nothing but scripts and menus",
        _one(
            "scripts-only.html",
            "<html><head><script>var x = 1;</script></head><body><nav>Menu</nav></body></html>",
            "skipped",
            "HTML page without readable text",
        ),
    ),
    BadInput(
        "only_debris",
        "a pasted page that is nothing but web debris",
        _one("debris.txt", "apple store\nShare\nViews: 12\nCopy link\n", "skipped", "web debris"),
    ),
    BadInput(
        "unsupported_suffix",
        "a CSV file named explicitly",
        _one("table.csv", "a,b\n1,2\n", "skipped", "unsupported file type"),
    ),
    BadInput(
        "name_with_spaces",
        "a file name with spaces",
        _one("name with  spaces (copy).txt", sample("001"), "ok", None, _safe_id),
    ),
    BadInput(
        "unicode_name",
        "a file name in non-ASCII letters",
        _one("città è ñ 日本.txt", sample("004"), "ok", None, _safe_id),
        in_flow=False,
    ),
    BadInput(
        "leading_dash_name",
        "a file name starting with a dash",
        _one("--leading-dash.txt", sample("002"), "ok", None, _safe_id),
    ),
    BadInput("duplicate", "the same article twice, saved differently", _duplicate),
    BadInput("symlink_loop", "a folder with symlink loops", _symlink_loop),
    BadInput("fifo", "an unreadable file: a named pipe", _fifo),
    BadInput(
        "directory_named_txt", "an unreadable file: a directory named x.txt", _directory_named_txt
    ),
    BadInput("empty_folder", "a folder with nothing to read", _empty_folder),
    BadInput("missing", "a path that does not exist", _missing),
    BadInput("broken_symlink", "a symlink to a deleted file", _broken_symlink),
    BadInput(
        "hostile_text",
        "text full of HTML and template injection",
        _one("hostile.txt", HOSTILE_TEXT, "ok", None, _language("en")),
    ),
    BadInput("many_files", "a folder of 2,000 files", _many_files, in_flow=False),
)

#: Faults injected by the tests; each has a test function named ``test_fault_<name>``.
FAULTS: dict[str, str] = {
    "killed_while_staging": "SIGKILL while the briefing files are being written",
    "killed_at_random": "SIGKILL at 25 random moments of a write",
    "disk_full": "the disk fills up mid-write (file size limit)",
    "output_dir_is_a_file": "the output directory is a regular file",
    "output_parent_is_a_file": "the output directory's parent is a regular file",
    "directory_in_the_way": "a directory sits where an output file goes",
    "stale_temp_files": "temporary files left by a crashed run",
    "interleaved_writers": "two writers of one briefing, renames forced to interleave",
    "lock_held": "another writer holds the output directory too long",
    "concurrent_cli_runs": "two `briefing run` processes into one output directory at once",
    "corrupt_model": "one language's model weights truncated",
    "remote_code_model": "a model folder that asks to run its own code",
}
