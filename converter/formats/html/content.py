"""A page's main content: the element that holds it, and the navigation, menus and footers left out.

Rules in the manner of readability and jusText, on the original tree (so every text node keeps its
identity for the in-place writer): the page's ``main`` (or its only ``article``) is the content, else
its body; inside it, navigation (``nav``, ``aside``, ARIA landmarks, classes and ids that name menus,
bars, footers, breadcrumbs, tables of contents…) and blocks made mostly of links are left out. A header
or footer that holds a heading and little linked text stays (an article's own title).
"""

from __future__ import annotations

import re

from lxml import etree

from .source import local

NAVIGATION = frozenset({"nav", "aside", "menu", "form"})
REGIONS = frozenset({"header", "footer"})
ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
NEGATIVE = re.compile(
    r"(?:^|[\s_-])(?:nav\w*|menu\w*|header|footer|foot|sidebar|side-?bar|breadcrumbs?|crumbs?|toc|"
    r"pager|pagination|paging|share|social|related|recommend\w*|comments?|copyright|banner|masthead|"
    r"topbar|navbar|skip|ads?|advert\w*|sponsor\w*|widget|login|search)(?:$|[\s_-])",
    re.I,
)
LINK_DENSE = 0.6  # share of an element's text inside links above which it is a list of links
MIN_LINKS = 3
MENU_ITEM = 12  # mean characters of a link in a menu (a list of longer links is a list of resources)
MIN_TEXT = 20  # characters of main content under which the whole page is read instead


def main_element(root: etree._Element) -> etree._Element:
    """The element holding the page's content: ``main`` (or role=main), a lone ``article``, the body."""
    found = _find(root, lambda e: local(e.tag) == "main" or e.get("role") == "main")
    if found:
        return found[0]
    articles = _find(root, lambda e: local(e.tag) == "article")
    if len(articles) == 1:
        return articles[0]
    body = _find(root, lambda e: local(e.tag) == "body")
    return body[0] if body else root


def _find(root: etree._Element, test) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and test(e)]


def is_navigation(element: etree._Element) -> bool:
    """Whether an element is the page's navigation or boilerplate rather than its content.

    >>> from lxml import html
    >>> page = html.fromstring('<div><div class="nav-bar">首页</div><header><h1>标题</h1></header>'
    ...     '<ul><li><a href="a">甲</a></li><li><a href="b">乙</a></li><li><a href="c">丙</a></li></ul></div>')
    >>> [is_navigation(e) for e in page]
    [True, False, True]
    """
    name = local(element.tag)
    named = " ".join((element.get("class", ""), element.get("id", "")))
    marked = name in NAVIGATION or element.get("role", "") in ROLES
    if marked:
        return True
    if name in REGIONS or NEGATIVE.search(named):
        return not (_has_heading(element) and link_density(element) < 0.5)
    if name in ("ul", "ol", "dl", "table", "div", "p", "td", "tr") and not _has_heading(element):
        links = [a for a in element.iter("a", "{*}a") if a.get("href") is not None]
        if len(links) < MIN_LINKS or link_density(element, links) <= LINK_DENSE:
            return False
        return sum(_length(a) for a in links) / len(links) <= MENU_ITEM
    return False


def _has_heading(element: etree._Element) -> bool:
    return any(local(e.tag) in ("h1", "h2", "h3") for e in element.iter() if isinstance(e.tag, str))


def link_density(element: etree._Element, links: list[etree._Element] | None = None) -> float:
    """The share of an element's visible characters that are inside links.

    >>> from lxml import html
    >>> link_density(html.fromstring('<p>看这里 <a href="x">链接</a></p>'))
    0.4
    """
    total = _length(element)
    if not total:
        return 0.0
    if links is None:
        links = [a for a in element.iter("a", "{*}a") if a.get("href") is not None]
    return sum(_length(a) for a in links) / total


def _length(element: etree._Element) -> int:
    return sum(len(text.strip()) for text in element.itertext())
