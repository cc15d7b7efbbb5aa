"""Reduce a saved web page to its main text (trafilatura, with an lxml fallback)."""

from __future__ import annotations

import re

from pipeline.text import normalise_newlines

_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


def looks_like_html(text: str) -> bool:
    """True for a whole HTML document (not for text that merely mentions a tag)."""
    return bool(_HTML_START.match(text[:4096]))


# --- HTML -------------------------------------------------------------------------------


def extract_html(html: str) -> tuple[str, str | None]:
    """Main text of a page as paragraphs separated by blank lines, and its title.

    trafilatura finds the article and leaves out navigation, comments and tables; when it
    finds nothing (a very short page) a plain lxml extraction takes over, which still
    never returns script, style or navigation text.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Without this, a page with nothing else yields its menu (or its <noscript> text).
        prune_xpath=PRUNE_XPATH,
    )
    title = _clean_line(getattr(document, "title", None) or "") or None
    body = _paragraphs(getattr(document, "text", None) or "")
    if not body:
        body, fallback_title = _lxml_text(html)
        title = title or fallback_title
    return body, title


# Navigation menus: <nav>, ARIA navigation roles, and the class or id tokens sites give
# their menus (a whole token, so "navigator" or "menu-card" in an article stays).
_MENU_TOKENS = (
    "nav", "navbar", "navigation", "menu", "menubar", "main-nav", "main-menu", "site-nav",
    "site-menu", "nav-menu", "top-nav", "topnav", "sidenav", "breadcrumb", "breadcrumbs",
    "skip-link", "skiplink",
)  # fmt: skip


def _token_test(attribute: str) -> str:
    padded = f"concat(' ', normalize-space(translate(@{attribute}, "
    padded += "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')), ' ')"
    return " or ".join(f"contains({padded}, ' {token} ')" for token in _MENU_TOKENS)


# The page's main containers are never pruned, whatever classes a site gives them.
NAVIGATION_XPATH = (
    "//nav | //*[@role='navigation' or @role='menu' or @role='menubar']"
    "[not(self::html or self::body or self::main or self::article)]"
    " | //*[not(self::html or self::body or self::main or self::article)]"
    f"[{_token_test('class')} or {_token_test('id')}]"
)

# Elements that are never article text: code, fallbacks for browsers without scripts,
# embedded media and controls. trafilatura keeps <noscript> and <template> text.
_NON_CONTENT_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
    "select", "button",
)  # fmt: skip
PRUNE_XPATH = NAVIGATION_XPATH + "".join(f" | //{tag}" for tag in _NON_CONTENT_TAGS)
_DROPPED_TAGS = (*_NON_CONTENT_TAGS, "nav", "head")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "aside", "blockquote", "pre", "main", "dd",
    "dt", "figcaption", "hr",
)  # fmt: skip


def _lxml_text(html: str) -> tuple[str, str | None]:
    import lxml.html
    from lxml import etree

    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError):
        return "", None
    titles = root.xpath("//title")
    title = _clean_line(titles[0].text_content()) if titles else ""
    for element in list(root.iter(*_DROPPED_TAGS)) + list(root.xpath(NAVIGATION_XPATH)):
        if element.getparent() is not None:  # not already gone with an ancestor
            element.drop_tree()
    return _paragraphs(_block_text(root)), title or None


def _block_text(root: object) -> str:
    """The tree's text with a line break around every block element (tree left as is:
    lxml refuses to store some characters a page may contain)."""
    from lxml import etree

    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        block = element.tag in _BLOCK_TAGS
        if event == "start":
            parts.append("\n" if block else "")
            parts.append(element.text or "")
        else:
            parts.append("\n" if block else "")
            if element is not root:
                parts.append(element.tail or "")
    return "".join(parts)


def _paragraphs(text: str) -> str:
    lines = (_clean_line(line) for line in normalise_newlines(text).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _clean_line(line: str) -> str:
    return " ".join(line.split())
