"""Plain language (issue #12 item 7): every page each role can reach, fetched from the live server as its
browser would (session cookie), shows no Latin word outside a short allow-list of names users know
(PDF, Excel, GB 18218 …): no internal code, no English label, no command name.

The walk starts at the home page and follows every same-site link (and GET form) of every page it
reaches, once per URL shape (ids replaced by N, query strings dropped), so each kind of page of each
role is read once; the text read is what a person sees: the page's text and its titles, placeholders,
labels and option texts, not its markup, scripts or styles.

The same walk is the check that every page opens: each entry of the role's menu (side menu and phone bottom
bar, every one of them whatever its shape) answers 200 — no menu entry a role cannot use — and no page reached
by a link answers a server error."""

import re
import urllib.parse
from html.parser import HTMLParser
from typing import NamedTuple

import pytest

from ..browserless import Session
from ..conftest import PASSWORD
from ..test_role_homes import menu_links

# once per test command, in the PostgreSQL pass (docs/adr/0031-outside-world-suites-run-once.md)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]

# Latin words a user of the system knows as such: names of standards' methods, file kinds and units. Besides
# these, a single capital letter passes (GB/T 4754 sections, the factors L, E, C, S of LEC and LS, GB 18218's
# Q), and so do GB 18218's hazard class symbols (J1–J5, W1–W11) and codes of five or more capitals and digits
# (a credit code, GB 6441's WSA10001); "Q4" or "v1" do not
ALLOWED = {
    "GB",  # national standards: GB 18218, GB/T 2260
    "AQ",  # safety industry standards: AQ/T
    "LEC",  # the LEC risk method
    "LS",  # the LS risk method
    "PDF",
    "Excel",
    "Word",
    "PNG",
    "JPG",
    "KB",
    "MB",
    "API",  # 我的API令牌: IT staff call it so
    "SHA",  # a document's fingerprint (SHA-256) on its page, for checking a copy
    "CAS",  # CAS numbers of chemicals
    "AOD",  # steelmaking furnaces named in the major-hazard judgement standard (AOD炉, VOD炉, LF炉, RH炉)
    "VOD",
    "LF",
    "RH",
    "km",
    "kg",
    "m",
    "t",  # tonnes in GB 18218 quantities
    "q",  # GB 18218's q (quantity present)
    "JPEG",
    # monitoring (issue #16): the units of gas detectors (GB/T 50493-2019) and process values, and the two ways a
    # gateway sends data, named so to the enterprise's instrument staff
    "LEL",
    "OEL",
    "VOL",
    "IDLH",
    "MPa",
    "ppm",
    "MQTT",
    "HTTP",
    "WEBP",
    "WebP",
    "HEIC",  # the photo kinds a phone takes, named on the tip-off form
    # extensions of the names of files users uploaded (现场.png)
    "png",
    "jpg",
    "jpeg",
    "webp",
    "heic",
    "pdf",
    "docx",
    "xlsx",
}
WORD = re.compile(r"[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*")
# … and a file's SHA-256 fingerprint (64 hexadecimal digits), shown to check a copy of an official document
CODE = re.compile(r"[A-Z]|[JW][0-9]{1,2}|(?=.*[0-9])[A-Z0-9]{5,}|[A-Z]{8,}|[0-9]{3}X|[0-9a-f]{64}")
SKIP_PATHS = ("/api/", "/static/", "/media/", "/logout", "/login", "/jobs/")
VISIBLE_ATTRS = ("title", "placeholder", "aria-label", "alt")
SHAPE = re.compile(r"/\d+(?=/|$)")
MAX_PAGES = 80  # per role: the walk reads each kind of page once; more would mean a loop of shapes


class Reader(HTMLParser):
    """The text of a page as a person sees it, and the same-site links and GET forms on it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("script", "style", "template", "noscript"):
            self._hidden += 1
        for name in VISIBLE_ATTRS:
            if values.get(name):
                self.text.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.text.append(values["value"])
        if tag == "a" and values.get("href") and not values.get("download"):
            self.links.append(values["href"])
        if tag == "form" and (values.get("method") or "get").lower() == "get" and values.get("action"):
            self.links.append(values["action"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "noscript") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


# a web address shown as such (what a venue's QR code holds) is not a word, nor a gateway's MQTT topic
URL = re.compile(r"https?://\S+|anquan/v1/\S+")


def foreign_words(text: str, names: set[str]) -> set[str]:
    words = set(WORD.findall(URL.sub(" ", text))) - ALLOWED - names
    # a number written with its unit (5MB, 500m) is the unit's word
    return {w for w in words if not CODE.fullmatch(w) and w.lstrip("0123456789") not in ALLOWED}


class Walk(NamedTuple):
    words: dict[str, set[str]]  # page → the foreign words on it
    broken: dict[str, int]  # page → status: a menu entry answering other than 200, any page a server error
    menu: list[str]  # the start page's menu entries


def walk(session: Session, names: set[str], start: str = "/") -> Walk:
    """Every page reachable from `start` (one per URL shape, and every menu entry whatever its shape)."""
    seen_shapes: set[str] = set()
    queue, found, broken = [start], {}, {}
    entries: list[str] = []
    menu: set[str] = set()  # menu entries not fetched yet
    while queue and len(seen_shapes) < MAX_PAGES:
        path = queue.pop(0)
        shape = SHAPE.sub("/N", path.split("?")[0])
        if shape in seen_shapes and path not in menu:
            continue
        seen_shapes.add(shape)
        menu.discard(path)
        status, headers, body = session.request("GET", path)
        if status >= 500 or (path in entries and status != 200):
            broken[path] = status
        if status != 200 or not (headers.get("Content-Type") or "").startswith("text/html"):
            continue
        html = body.decode("utf-8", "replace")
        if path == start:
            entries = menu_links(html)
            menu.update(entry for entry in entries if entry != start)
        reader = Reader()
        reader.feed(html)
        words = foreign_words(" ".join(reader.text), names)
        if words:
            found[path] = words
        for href in reader.links:
            url = urllib.parse.urlsplit(urllib.parse.urljoin(path, href))
            if url.scheme or url.netloc or not url.path.startswith("/"):
                continue
            if any(url.path.startswith(p) for p in SKIP_PATHS):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    assert not menu, f"menu entries never reached: {sorted(menu)}"
    return Walk(found, broken, entries)


def test_no_latin_words_on_any_page_of_any_role(live_server, seeded, world):
    """Each persona of the world walks every page it can reach; none shows a word outside the allow-list."""
    # account names are chosen by whoever makes the account; the test world's are Latin (county_office …)
    from anquan.accounts.models import User

    # and so is the name of a file uploaded in the seeded world (plan.png)
    names = {"plan"} | {
        w for username in User.objects.values_list("username", flat=True) for w in WORD.findall(username)
    }
    offenders, broken = {}, {}
    for persona, user in world.users.items():
        session = Session(live_server.url)
        session.login(user.username, PASSWORD)
        walked = walk(session, names)
        for path, words in walked.words.items():
            offenders[f"{persona} {path}"] = sorted(words)
        broken |= {f"{persona} {path}": status for path, status in walked.broken.items()}
        assert "/" in walked.menu, persona  # the walk read the role's menu
    assert not broken, broken
    assert not offenders, "\n".join(f"{page}: {' '.join(words)}" for page, words in sorted(offenders.items()))
