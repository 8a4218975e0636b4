"""
Scrapy peer for bench/run.ts: crawls the practice site from one start URL, follows every
same-host link and yields the four item types of examples/practice.yaml (quote, author,
job, product) with the same fields and conversions. Items go to the feed given with -O;
the distinct 200 text/html URLs fetched go to `pages_out` (JSON list), and one JSON summary
line is printed on stdout when the spider closes.

    python3 -m scrapy runspider bench/peers/scrapy_quotes.py -a start_url=http://127.0.0.1:8080/ \
        -a pages_out=/tmp/pages.json -O /tmp/items.jsonl -s CONCURRENT_REQUESTS=16 ...

Settings (concurrency, delays, robots, retries) come from the command line, so the
benchmark shows them next to the figures. `-a seen=1` (not used by bench/run.ts) skips links
this spider already yielded before they reach Scrapy's middlewares and dupefilter, as gleaner
does; BENCHMARKS.md reports that variant separately.
"""
import json
import re
import sys
from datetime import datetime
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse

WS = re.compile(r"\s+")
EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])")
LOCATION = re.compile(r"^in (.+)$")


def norm(s):
    return WS.sub(" ", s or "").strip()


def text(sel, css):
    """Whitespace-collapsed text of the first match (all descendant text), or None."""
    found = sel.css(css)
    return norm(found[0].xpath("string()").get()) if found else None


def to_date(s):
    """'March 14, 1879' (or already ISO) -> '1879-03-14'; None if it does not parse."""
    if not s:
        return None
    for fmt in ("%B %d, %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(s, fmt).strftime("%Y-%m-%d")
        except ValueError:
            pass
    return None


def to_number(s, cast):
    if s is None:
        return None
    try:
        return cast(s.replace(",", "").replace("$", "").strip())
    except ValueError:
        return None


def first(pattern, s):
    m = pattern.search(s or "")
    if not m:
        return None
    return m.group(1) if m.groups() else m.group(0)


class PracticeSpider(scrapy.Spider):
    name = "practice"

    def __init__(self, start_url, pages_out, seen="0", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = set() if seen == "1" else None
        self.start_urls = [start_url]
        self.netloc = urlsplit(start_url).netloc.lower()
        self.pages_out = pages_out
        self.fetched = set()  # distinct 200 text/html URLs
        self.fetches = 0
        self.items = 0

    def parse(self, response):
        if not isinstance(response, HtmlResponse):
            return
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if response.status == 200 and ctype.startswith("text/html"):
            self.fetches += 1
            self.fetched.add(response.url)
        path = urlsplit(response.url).path

        for q in response.css("div.quote"):
            self.items += 1
            yield {
                "_type": "quote",
                "text": text(q, "span.text"),
                "author": text(q, "small.author"),
                "tags": [norm(t.xpath("string()").get()) for t in q.css("a.tag")],
            }
        if path.startswith("/author/"):
            self.items += 1
            yield {
                "_type": "author",
                "name": text(response, "h3.author-title"),
                "born": to_date(text(response, ".author-born-date")),
                "location": first(LOCATION, text(response, ".author-born-location")),
                "email": first(EMAIL, text(response, ".author-description")),
            }
        if path.startswith("/jobs/view/"):
            self.items += 1
            yield {
                "_type": "job",
                "title": text(response, "h1.job-title"),
                "company": text(response, ".company"),
                "location": text(response, ".location"),
                "salary": to_number(response.css(".salary::attr(data-value)").get(), int),
                "posted": to_date(response.css("time.posted::attr(datetime)").get()),
                "email": first(EMAIL, text(response, ".description")),
            }
        for row in response.css("#products tbody tr"):
            self.items += 1
            yield {
                "_type": "product",
                "name": text(row, "td.name"),
                "price": to_number(text(row, "td.price"), float),
                "stock": to_number(text(row, "td.stock"), int),
                "sku": text(row, "td.sku"),
            }

        # Follow every same-host link; the scheduler's dupefilter (canonical URL) dedups.
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc.lower() == self.netloc:
                if self.seen is not None:
                    key = url.split("#", 1)[0]
                    if key in self.seen:
                        continue
                    self.seen.add(key)
                yield scrapy.Request(url, callback=self.parse)

    def closed(self, reason):
        with open(self.pages_out, "w", encoding="utf-8") as f:
            json.dump(sorted(self.fetched), f)
        start = self.crawler.stats.get_value("start_time")
        seconds = (datetime.now(start.tzinfo) - start).total_seconds() if start else None
        summary = {"tool": "scrapy", "reason": reason, "pages": len(self.fetched), "fetches": self.fetches, "items": self.items, "seconds": seconds}
        sys.stdout.write(json.dumps(summary) + "\n")
        sys.stdout.flush()
