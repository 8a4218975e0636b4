/**
 * The browser side of `js` mode: small dependency-free scripts that build the same
 * `div.quote` markup `renderQuote` (quotes.ts) writes on the server, from JSON shaped
 * like `/api/quotes?page=N` quotes: `{ author: { name, slug }, tags, text }`.
 * Kept ES5-plain so any Chromium runs it; nothing is fetched but same-site JSON.
 */

/** Shared functions: renderQuote(q), appendQuotes(el, list), fetchQuotes(page). */
const RUNTIME = `function renderQuote(q) {
  function el(tag, cls, attrs) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  var div = el("div", "quote", { itemscope: "", itemtype: "http://schema.org/CreativeWork" });
  var text = el("span", "text", { itemprop: "text" });
  text.textContent = q.text;
  div.appendChild(text);
  var by = el("span");
  by.appendChild(document.createTextNode("by "));
  var author = el("small", "author", { itemprop: "author" });
  author.textContent = q.author.name;
  by.appendChild(author);
  by.appendChild(document.createTextNode(" "));
  var about = el("a", "", { href: "/author/" + encodeURIComponent(q.author.slug) + "/" });
  about.textContent = "(about)";
  by.appendChild(about);
  div.appendChild(by);
  var tags = el("div", "tags");
  tags.appendChild(document.createTextNode("Tags: "));
  tags.appendChild(el("meta", "keywords", { itemprop: "keywords", content: q.tags.join(",") }));
  for (var i = 0; i < q.tags.length; i++) {
    var a = el("a", "tag", { href: "/tag/" + encodeURIComponent(q.tags[i]) + "/" });
    a.textContent = q.tags[i];
    tags.appendChild(a);
    tags.appendChild(document.createTextNode(" "));
  }
  div.appendChild(tags);
  return div;
}
function appendQuotes(app, quotes) {
  for (var i = 0; i < quotes.length; i++) app.appendChild(renderQuote(quotes[i]));
}
function fetchQuotes(page) {
  return fetch("/api/quotes?page=" + page).then(function (r) {
    if (!r.ok) throw new Error("/api/quotes?page=" + page + ": HTTP " + r.status);
    return r.json();
  });
}
function endOfList(after, text) {
  var p = document.createElement("p");
  p.className = "end-of-list";
  p.textContent = text;
  after.parentNode.insertBefore(p, after.nextSibling);
}
`;

/** JSON safe inside <script>: no "</script>" or "<!--" can appear. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** quotes.toscrape.com/js/ style: the page's quotes inline as `var data = [...];`. */
export function inlineDataScript(quotes: unknown[]): string {
  return `var data = ${scriptJson(quotes)};
${RUNTIME}
appendQuotes(document.getElementById("app"), data);
`;
}

/** Renders `/api/quotes?page=N` after load; marks `#app[data-loaded]` when done. */
export function xhrScript(page: number): string {
  return `${RUNTIME}
fetchQuotes(${page}).then(function (d) {
  var app = document.getElementById("app");
  appendQuotes(app, d.quotes);
  app.setAttribute("data-loaded", "true");
});
`;
}

/** First batch inline; each click on button.load-more appends the next API page until `limit`. */
export function loadMoreScript(first: unknown[], limit: number): string {
  return `var data = ${scriptJson(first)};
${RUNTIME}
(function () {
  var app = document.getElementById("app");
  var button = document.querySelector("button.load-more");
  var next = 2, shown = 0, limit = ${limit};
  function add(quotes) {
    quotes = quotes.slice(0, limit - shown);
    appendQuotes(app, quotes);
    shown += quotes.length;
  }
  function finish() {
    button.parentNode.removeChild(button);
    endOfList(app, "All quotes loaded.");
  }
  add(data);
  if (shown >= limit) return finish();
  button.addEventListener("click", function () {
    if (button.disabled) return;
    button.disabled = true;
    fetchQuotes(next).then(function (d) {
      next++;
      add(d.quotes);
      if (shown >= limit || !d.has_next) finish();
      else button.disabled = false;
    }, function () { button.disabled = false; });
  });
})();
`;
}

/** Loads API page 1, then the next page each time the window is scrolled near the bottom, until `limit`. */
export function scrollScript(limit: number): string {
  return `${RUNTIME}
(function () {
  var app = document.getElementById("app");
  var loading = document.querySelector(".loading");
  var next = 1, shown = 0, busy = false, finished = false, limit = ${limit};
  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 300;
  }
  function load() {
    if (busy || finished) return;
    busy = true;
    fetchQuotes(next).then(function (d) {
      next++;
      var quotes = d.quotes.slice(0, limit - shown);
      appendQuotes(app, quotes);
      shown += quotes.length;
      if (shown >= limit || !d.has_next) {
        finished = true;
        loading.parentNode.removeChild(loading);
        endOfList(app, "No more quotes.");
      }
      busy = false;
    }, function () { busy = false; });
  }
  window.addEventListener("scroll", function () { if (nearBottom()) load(); });
  load();
})();
`;
}

/** `/js/app.js`, the app shell's bundle: builds its whole page from API page 1. */
export const APP_BUNDLE = `${RUNTIME}
(function () {
  var root = document.getElementById("root");
  var h1 = document.createElement("h1");
  h1.textContent = "Quotes App";
  root.appendChild(h1);
  var app = document.createElement("div");
  app.id = "app";
  root.appendChild(app);
  fetchQuotes(1).then(function (d) {
    appendQuotes(app, d.quotes);
    app.setAttribute("data-loaded", "true");
  });
})();
`;
